namespace Gateway.Fast.Compat;

/// <summary>Token counts in OpenAI's terms: <c>prompt_tokens</c> (cached ones included), <c>completion_tokens</c>, <c>prompt_tokens_details.cached_tokens</c>.</summary>
internal readonly record struct ChatUsage(long PromptTokens, long CompletionTokens, long CachedPromptTokens = 0)
{
    public long TotalTokens => PromptTokens + CompletionTokens;
}
