namespace Gateway.Fast.Compat;

/// <summary>The one translator instance of each family (they are stateless); null for OpenAI-compatible providers.</summary>
internal static class CompatTranslators
{
    /// <summary>The chat translator, or null when the family speaks OpenAI already.</summary>
    public static IChatTranslator? Chat(CompatFamily family) => family switch
    {
        CompatFamily.Anthropic => Anthropic,
        CompatFamily.Gemini => Gemini,
        CompatFamily.Cohere => Cohere,
        CompatFamily.Bedrock => Bedrock,
        _ => null,
    };

    /// <summary>The embeddings translator, or null when the family has none (OpenAI-compatible providers send OpenAI's own).</summary>
    public static IEmbeddingsTranslator? Embeddings(CompatFamily family) => family switch
    {
        CompatFamily.Gemini => GeminiEmbeddings,
        CompatFamily.Cohere => CohereEmbeddings,
        _ => null,
    };

    private static readonly Anthropic.AnthropicTranslator Anthropic = new();
    private static readonly Gemini.GeminiTranslator Gemini = new();
    private static readonly Cohere.CohereTranslator Cohere = new();
    private static readonly Bedrock.BedrockConverseTranslator Bedrock = new();
    private static readonly Gemini.GeminiEmbeddingsTranslator GeminiEmbeddings = new();
    private static readonly Cohere.CohereEmbeddingsTranslator CohereEmbeddings = new();

    /// <summary>True when the family is reached without translation or has a translator in this build.</summary>
    public static bool Supports(CompatFamily family) => family == CompatFamily.OpenAICompatible || Chat(family) is not null;
}
