namespace Gateway.Fast.Accounting;

/// <summary>
/// Bedrock Converse's usage object (plain body, or the ConverseStream <c>metadata</c> event): <c>inputTokens</c>,
/// <c>outputTokens</c>, <c>cacheReadInputTokens</c>, <c>cacheWriteInputTokens</c>; <c>inputTokens</c> excludes the cache.
/// </summary>
internal static class BedrockUsage
{
    public static UsageSlot Map(ReadOnlySpan<byte> parent, ReadOnlySpan<byte> name)
    {
        if (!parent.IsEmpty)
        {
            return UsageSlot.None;
        }

        if (name.SequenceEqual(UsageStrings.InputTokensCamel))
        {
            return UsageSlot.Input;
        }

        if (name.SequenceEqual(UsageStrings.OutputTokensCamel))
        {
            return UsageSlot.Output;
        }

        // Newer bodies carry cacheReadInputTokens and the older cacheReadInputTokenCount side by side, with the same value.
        if (name.SequenceEqual(UsageStrings.CacheReadInputTokensCamel) || name.SequenceEqual(UsageStrings.CacheReadInputTokenCountCamel))
        {
            return UsageSlot.CacheRead;
        }

        return name.SequenceEqual(UsageStrings.CacheWriteInputTokensCamel) || name.SequenceEqual(UsageStrings.CacheWriteInputTokenCountCamel)
            ? UsageSlot.CacheWrite
            : UsageSlot.None;
    }

    public static Usage ToUsage(in UsageAccumulator acc) =>
        new(acc.Get(UsageSlot.Input) + acc.Get(UsageSlot.CacheRead) + acc.Get(UsageSlot.CacheWrite), acc.Get(UsageSlot.Output),
            acc.GetOrNull(UsageSlot.CacheRead), acc.Has(UsageSlot.Input) || acc.Has(UsageSlot.Output));
}
