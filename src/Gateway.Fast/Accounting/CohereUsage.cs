namespace Gateway.Fast.Accounting;

/// <summary>
/// Cohere v2 <c>usage</c> (<c>billed_units</c>, <c>tokens</c>, <c>cached_tokens</c>) and v1 <c>meta</c>
/// (<c>billed_units</c>, <c>tokens</c>). Billed units are what Cohere charges for, net of the cache, so they win; the
/// cache count is reported only beside the raw <c>tokens</c> it is part of.
/// </summary>
internal static class CohereUsage
{
    public static UsageSlot Map(ReadOnlySpan<byte> parent, ReadOnlySpan<byte> name)
    {
        if (parent.IsEmpty)
        {
            return name.SequenceEqual(UsageStrings.CachedTokens) ? UsageSlot.CacheRead : UsageSlot.None;
        }

        bool input = name.SequenceEqual(UsageStrings.InputTokens);
        if (!input && !name.SequenceEqual(UsageStrings.OutputTokens))
        {
            return UsageSlot.None;
        }

        if (parent.SequenceEqual(UsageStrings.BilledUnits))
        {
            return input ? UsageSlot.BilledInput : UsageSlot.BilledOutput;
        }

        return parent.SequenceEqual(UsageStrings.Tokens) ? (input ? UsageSlot.Input : UsageSlot.Output) : UsageSlot.None;
    }

    public static Usage ToUsage(in UsageAccumulator acc)
    {
        if (acc.Has(UsageSlot.BilledInput) || acc.Has(UsageSlot.BilledOutput))
        {
            return new(acc.Get(UsageSlot.BilledInput), acc.Get(UsageSlot.BilledOutput), null, true);
        }

        return ToProcessedUsage(acc);
    }

    /// <summary>
    /// What the model processed (<c>tokens</c>, with <c>cached_tokens</c> as part of the input), or the billed units when
    /// the object has no <c>tokens</c>: the figure a translated answer shows in OpenAI's <c>usage</c>.
    /// </summary>
    public static Usage ToProcessedUsage(in UsageAccumulator acc)
    {
        if (acc.Has(UsageSlot.Input) || acc.Has(UsageSlot.Output))
        {
            return new(acc.Get(UsageSlot.Input), acc.Get(UsageSlot.Output), acc.GetOrNull(UsageSlot.CacheRead), true);
        }

        return new(acc.Get(UsageSlot.BilledInput), acc.Get(UsageSlot.BilledOutput), acc.GetOrNull(UsageSlot.CacheRead),
            acc.Has(UsageSlot.BilledInput) || acc.Has(UsageSlot.BilledOutput));
    }
}
