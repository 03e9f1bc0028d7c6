namespace Gateway.Fast.Compat;

/// <summary>The one translator instance of each family (they are stateless); null for OpenAI-compatible providers.</summary>
internal static class CompatTranslators
{
    /// <summary>The chat translator, or null when the family speaks OpenAI already.</summary>
    public static IChatTranslator? Chat(CompatFamily family) => family switch
    {
        CompatFamily.Anthropic => Anthropic,
        _ => null,
    };

    private static readonly Anthropic.AnthropicTranslator Anthropic = new();

    /// <summary>True when the family is reached without translation or has a translator in this build.</summary>
    public static bool Supports(CompatFamily family) => family == CompatFamily.OpenAICompatible || Chat(family) is not null;
}
