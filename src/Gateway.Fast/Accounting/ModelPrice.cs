namespace Gateway.Fast.Accounting;

/// <summary>One model's list prices in USD per million tokens; cached input falls back to the input price.</summary>
public readonly record struct ModelPrice(double Input, double Output, double? CachedInput);
