namespace Gateway.Fast.Accounting;

/// <summary>Every byte literal the usage readers look for (docs/design.md#code-conventions: one <c>*Strings</c> class per area).</summary>
internal static class UsageStrings
{
    // Markers include the quotes: an unescaped "usage" can only be a property name or a string value, and the reader
    // requires a ':' after it, so text inside content (where quotes are escaped as \") never matches.
    public static ReadOnlySpan<byte> UsageMarker => "\"usage\""u8;
    public static ReadOnlySpan<byte> UsageMetadataMarker => "\"usageMetadata\""u8;
    public static ReadOnlySpan<byte> MetaMarker => "\"meta\""u8;
    public static ReadOnlySpan<byte> ModelMarker => "\"model\""u8;
    public static ReadOnlySpan<byte> ModelVersionMarker => "\"modelVersion\""u8;
    public static ReadOnlySpan<byte> ContentMarker => "\"content\""u8;
    public static ReadOnlySpan<byte> TextMarker => "\"text\""u8;
    public static ReadOnlySpan<byte> ResponseMarker => "\"response\""u8;

    // OpenAI Chat Completions / Completions / Responses API; also Workers AI and Cohere's token names.
    public static ReadOnlySpan<byte> PromptTokens => "prompt_tokens"u8;
    public static ReadOnlySpan<byte> CompletionTokens => "completion_tokens"u8;
    public static ReadOnlySpan<byte> InputTokens => "input_tokens"u8;
    public static ReadOnlySpan<byte> OutputTokens => "output_tokens"u8;
    public static ReadOnlySpan<byte> CachedTokens => "cached_tokens"u8;
    public static ReadOnlySpan<byte> TotalTokens => "total_tokens"u8;
    public static ReadOnlySpan<byte> PromptTokensDetails => "prompt_tokens_details"u8;
    public static ReadOnlySpan<byte> InputTokensDetails => "input_tokens_details"u8;
    public static ReadOnlySpan<byte> PromptCacheHitTokens => "prompt_cache_hit_tokens"u8; // DeepSeek

    // Anthropic
    public static ReadOnlySpan<byte> CacheReadInputTokens => "cache_read_input_tokens"u8;
    public static ReadOnlySpan<byte> CacheCreationInputTokens => "cache_creation_input_tokens"u8;

    // Gemini
    public static ReadOnlySpan<byte> PromptTokenCount => "promptTokenCount"u8;
    public static ReadOnlySpan<byte> CandidatesTokenCount => "candidatesTokenCount"u8;
    public static ReadOnlySpan<byte> ThoughtsTokenCount => "thoughtsTokenCount"u8;
    public static ReadOnlySpan<byte> CachedContentTokenCount => "cachedContentTokenCount"u8;
    public static ReadOnlySpan<byte> ToolUsePromptTokenCount => "toolUsePromptTokenCount"u8;

    // Bedrock Converse
    public static ReadOnlySpan<byte> InputTokensCamel => "inputTokens"u8;
    public static ReadOnlySpan<byte> OutputTokensCamel => "outputTokens"u8;
    public static ReadOnlySpan<byte> CacheReadInputTokensCamel => "cacheReadInputTokens"u8;
    public static ReadOnlySpan<byte> CacheWriteInputTokensCamel => "cacheWriteInputTokens"u8;
    public static ReadOnlySpan<byte> CacheReadInputTokenCountCamel => "cacheReadInputTokenCount"u8;
    public static ReadOnlySpan<byte> CacheWriteInputTokenCountCamel => "cacheWriteInputTokenCount"u8;

    // Cohere
    public static ReadOnlySpan<byte> BilledUnits => "billed_units"u8;
    public static ReadOnlySpan<byte> Tokens => "tokens"u8;

    // AWS event-stream headers
    public static ReadOnlySpan<byte> MessageTypeHeader => ":message-type"u8;
    public static ReadOnlySpan<byte> EventTypeHeader => ":event-type"u8;
    public static ReadOnlySpan<byte> EventMessageType => "event"u8;
    public static ReadOnlySpan<byte> MetadataEvent => "metadata"u8;
}
