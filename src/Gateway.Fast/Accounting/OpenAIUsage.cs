namespace Gateway.Fast.Accounting;

/// <summary>
/// OpenAI's usage object and every compatible one: Chat Completions (<c>prompt_tokens</c>, <c>completion_tokens</c>,
/// <c>prompt_tokens_details.cached_tokens</c>), the Responses API (<c>input_tokens</c>, <c>output_tokens</c>,
/// <c>input_tokens_details.cached_tokens</c>, in <c>response.completed</c>) and DeepSeek's <c>prompt_cache_hit_tokens</c>.
/// </summary>
internal static class OpenAIUsage
{
    public static UsageSlot Map(ReadOnlySpan<byte> parent, ReadOnlySpan<byte> name)
    {
        if (parent.IsEmpty)
        {
            if (name.SequenceEqual(UsageStrings.PromptTokens) || name.SequenceEqual(UsageStrings.InputTokens))
            {
                return UsageSlot.Input;
            }

            if (name.SequenceEqual(UsageStrings.CompletionTokens) || name.SequenceEqual(UsageStrings.OutputTokens))
            {
                return UsageSlot.Output;
            }

            if (name.SequenceEqual(UsageStrings.TotalTokens))
            {
                return UsageSlot.Total;
            }

            return name.SequenceEqual(UsageStrings.PromptCacheHitTokens) ? UsageSlot.CacheRead : UsageSlot.None;
        }

        return name.SequenceEqual(UsageStrings.CachedTokens) &&
               (parent.SequenceEqual(UsageStrings.PromptTokensDetails) || parent.SequenceEqual(UsageStrings.InputTokensDetails))
            ? UsageSlot.CacheRead
            : UsageSlot.None;
    }

    /// <summary>
    /// <c>prompt_tokens</c> already counts cached tokens. OpenAI's <c>completion_tokens</c> counts reasoning tokens;
    /// xAI's does not (grok-3-mini: prompt 12 + completion 1 + reasoning 228 = total 241), so output is
    /// <c>total_tokens − prompt_tokens</c> whenever that is larger.
    /// </summary>
    public static Usage ToUsage(in UsageAccumulator acc)
    {
        int input = acc.Get(UsageSlot.Input);
        int output = acc.Get(UsageSlot.Output);
        if (acc.Has(UsageSlot.Total) && acc.Has(UsageSlot.Input))
        {
            output = Math.Max(output, acc.Get(UsageSlot.Total) - input);
        }

        return new(input, output, acc.GetOrNull(UsageSlot.CacheRead), acc.Has(UsageSlot.Input) || acc.Has(UsageSlot.Output));
    }
}
