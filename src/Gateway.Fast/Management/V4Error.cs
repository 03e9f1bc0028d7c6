namespace Gateway.Fast.Management;

/// <summary>One entry of a v4 envelope's <c>errors</c>; <see cref="Path"/> names the offending field on validation errors.</summary>
public readonly record struct V4Error(int Code, string Message, string? Path = null);
