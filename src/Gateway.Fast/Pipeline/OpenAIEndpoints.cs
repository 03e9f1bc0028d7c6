namespace Gateway.Fast.Pipeline;

/// <summary>The OpenAI endpoints the unified API, the default routes and the team paths serve, as the path after the base.</summary>
internal static class OpenAIEndpoints
{
    public const string Chat = "chat/completions";
    public const string Embeddings = "embeddings";
    public const string LegacyCompletions = "completions";
    public const string Models = "models";
}
