namespace Gateway.Fast.Configuration;

/// <summary>One field-level problem with submitted settings; <see cref="Field"/> becomes the v4 error's <c>path</c>.</summary>
public readonly record struct GatewaySettingsError(string Field, string Message);
