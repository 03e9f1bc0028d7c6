namespace Gateway.Fast.Compat;

/// <summary>Token counts in OpenAI's terms: <c>prompt_tokens</c> (cached ones included), <c>completion_tokens</c>, <c>prompt_tokens_details.cached_tokens</c>.</summary>
internal readonly record struct ChatUsage(long PromptTokens, long CompletionTokens, long CachedPromptTokens = 0)
{
    public long TotalTokens => PromptTokens + CompletionTokens;

    /// <summary>The caller's view of figures read by the provider's usage reader (Accounting's conventions are OpenAI's).</summary>
    public static ChatUsage From(in Accounting.Usage usage) => new(usage.InputTokens, usage.OutputTokens, usage.CachedInputTokens ?? 0);
}
