namespace Gateway.Fast.Simulator;

/// <summary>Everything a precomputed response depends on; the key of <see cref="ResponseCache"/>.</summary>
/// <param name="Endpoint">The route's endpoint.</param>
/// <param name="Model">Model from the body or the path (interned), or null.</param>
/// <param name="Tokens">Output tokens.</param>
/// <param name="PromptTokens">Prompt tokens, from the request body size.</param>
/// <param name="Stream">Streamed response.</param>
/// <param name="IncludeUsage">OpenAI <c>stream_options.include_usage</c>; Gemini <c>alt=sse</c> reuses nothing of it.</param>
/// <param name="Variant">Endpoint-specific: Gemini alt=sse (1), embeddings base64 (1), Bedrock Converse with tools (1).</param>
/// <param name="Dimensions">Embedding dimensions × 4096 + input count, 0 elsewhere.</param>
/// <param name="Status">Non-zero for an error response.</param>
/// <param name="Tool">The first tool the request declares (interned), or null: chat endpoints then answer with a call to it.</param>
internal readonly record struct ResponseKey(
    SimEndpoint Endpoint,
    string? Model,
    int Tokens,
    int PromptTokens,
    bool Stream,
    bool IncludeUsage,
    byte Variant,
    int Dimensions,
    int Status,
    string? Tool = null);
