namespace Gateway.Fast.Accounting;

/// <summary>Turns a response's usage into USD with a <see cref="PriceTable"/>, or with the caller's <c>cf-aig-custom-cost</c>.</summary>
public sealed class CostCalculator
{
    private const double PerMillion = 1_000_000.0;

    public CostCalculator(PriceTable prices) => Prices = prices;

    public static CostCalculator Default { get; } = new(PriceTable.Default);

    public PriceTable Prices { get; }

    /// <summary>
    /// USD for <paramref name="usage"/>: uncached input at the input price, cached input at the cached price (input
    /// price when the model has none), output at the output price. Null when the model has no price; 0 for no tokens.
    /// </summary>
    /// <param name="provider">The provider's wire id (ProviderCatalog).</param>
    /// <param name="model">The model billed; when null, the model the response named.</param>
    /// <param name="usage">The reported or estimated tokens.</param>
    public double? Compute(string provider, string? model, in Usage usage)
    {
        if (!Prices.TryGet(provider, model ?? usage.Model, out var price))
        {
            return null;
        }

        int cached = Math.Clamp(usage.CachedInputTokens ?? 0, 0, usage.InputTokens);
        return ((usage.InputTokens - cached) * price.Input + cached * (price.CachedInput ?? price.Input) + usage.OutputTokens * price.Output) /
               PerMillion;
    }

    /// <summary>The custom cost when the request sent one (docs/gateway-api.md#request-headers: it overrides, and the log records custom_cost = true).</summary>
    public double? Compute(string provider, string? model, in Usage usage, in CustomCost? custom) =>
        custom is { } c ? c.Compute(usage) : Compute(provider, model, usage);
}
