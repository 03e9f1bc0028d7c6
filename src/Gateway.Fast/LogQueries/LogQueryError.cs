namespace Gateway.Fast.LogQueries;

/// <summary>A field-level problem in a logs query; <see cref="Path"/> becomes the v4 error's <c>path</c>.</summary>
public readonly record struct LogQueryError(string Path, string Message);
