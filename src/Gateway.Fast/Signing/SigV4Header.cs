namespace Gateway.Fast.Signing;

/// <summary>One header to sign, as it will be sent: any name casing, the raw value (a repeated name is one entry per value).</summary>
internal readonly record struct SigV4Header(string Name, string Value);
