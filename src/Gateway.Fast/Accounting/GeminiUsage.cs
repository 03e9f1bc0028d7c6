namespace Gateway.Fast.Accounting;

/// <summary>
/// Gemini's <c>usageMetadata</c>: <c>promptTokenCount</c> (includes <c>cachedContentTokenCount</c>),
/// <c>candidatesTokenCount</c> plus <c>thoughtsTokenCount</c> as output (thinking is billed as output), and
/// <c>toolUsePromptTokenCount</c> as input. Every streamed chunk repeats it; the last one is complete.
/// </summary>
internal static class GeminiUsage
{
    public static UsageSlot Map(ReadOnlySpan<byte> parent, ReadOnlySpan<byte> name)
    {
        if (!parent.IsEmpty)
        {
            return UsageSlot.None; // promptTokensDetails[].tokenCount split the same figures by modality
        }

        if (name.SequenceEqual(UsageStrings.PromptTokenCount))
        {
            return UsageSlot.Input;
        }

        if (name.SequenceEqual(UsageStrings.CandidatesTokenCount))
        {
            return UsageSlot.Output;
        }

        if (name.SequenceEqual(UsageStrings.ThoughtsTokenCount))
        {
            return UsageSlot.Thoughts;
        }

        if (name.SequenceEqual(UsageStrings.CachedContentTokenCount))
        {
            return UsageSlot.CacheRead;
        }

        return name.SequenceEqual(UsageStrings.ToolUsePromptTokenCount) ? UsageSlot.ToolUsePrompt : UsageSlot.None;
    }

    public static Usage ToUsage(in UsageAccumulator acc) =>
        new(acc.Get(UsageSlot.Input) + acc.Get(UsageSlot.ToolUsePrompt), acc.Get(UsageSlot.Output) + acc.Get(UsageSlot.Thoughts),
            acc.GetOrNull(UsageSlot.CacheRead), acc.Has(UsageSlot.Input) || acc.Has(UsageSlot.Output));
}
