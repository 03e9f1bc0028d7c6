namespace Gateway.Fast.Accounting;

/// <summary>
/// Anthropic's usage object: <c>input_tokens</c>, <c>output_tokens</c>, <c>cache_read_input_tokens</c>,
/// <c>cache_creation_input_tokens</c>. Streams carry it in <c>message_start</c> (input, output 1) and again in
/// <c>message_delta</c> (output so far, cumulative), so the last value of each field is the answer.
/// </summary>
internal static class AnthropicUsage
{
    public static UsageSlot Map(ReadOnlySpan<byte> parent, ReadOnlySpan<byte> name)
    {
        if (!parent.IsEmpty)
        {
            return UsageSlot.None; // cache_creation.ephemeral_5m_input_tokens etc. repeat cache_creation_input_tokens
        }

        if (name.SequenceEqual(UsageStrings.InputTokens))
        {
            return UsageSlot.Input;
        }

        if (name.SequenceEqual(UsageStrings.OutputTokens))
        {
            return UsageSlot.Output;
        }

        if (name.SequenceEqual(UsageStrings.CacheReadInputTokens))
        {
            return UsageSlot.CacheRead;
        }

        return name.SequenceEqual(UsageStrings.CacheCreationInputTokens) ? UsageSlot.CacheWrite : UsageSlot.None;
    }

    /// <summary><c>input_tokens</c> excludes cache reads and writes; <see cref="Usage.InputTokens"/> includes them.</summary>
    public static Usage ToUsage(in UsageAccumulator acc) =>
        new(acc.Get(UsageSlot.Input) + acc.Get(UsageSlot.CacheRead) + acc.Get(UsageSlot.CacheWrite), acc.Get(UsageSlot.Output),
            acc.GetOrNull(UsageSlot.CacheRead), acc.Has(UsageSlot.Input) || acc.Has(UsageSlot.Output));
}
