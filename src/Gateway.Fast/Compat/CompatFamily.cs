namespace Gateway.Fast.Compat;

/// <summary>How a provider is reached from the unified API: as OpenAI itself, or through a translator.</summary>
internal enum CompatFamily : byte
{
    /// <summary>Speaks OpenAI chat completions already: only <c>model</c> changes; the answer is relayed as it comes.</summary>
    OpenAICompatible,
    Anthropic,
    Gemini,
    Bedrock,
    Cohere,
}
