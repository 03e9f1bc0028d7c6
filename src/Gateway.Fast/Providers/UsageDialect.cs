namespace Gateway.Fast.Providers;

/// <summary>How a provider's native answers report token usage; the usage reader picks its wire format from this, the
/// content type and the path (<c>Accounting/UsageFormatSelector</c>).</summary>
public enum UsageDialect : byte
{
    /// <summary>No usage the gateway reads (audio, images, providers it does not account); OpenAI-shaped paths still are.</summary>
    None,

    /// <summary>OpenAI's <c>usage</c> object (and the OpenAI-compatible providers').</summary>
    OpenAI,

    Anthropic,

    Gemini,

    /// <summary>Vertex AI: Gemini's usage, or Anthropic's for the Claude publisher paths.</summary>
    Vertex,

    /// <summary>Bedrock: Converse usage, the model's own body on InvokeModel, or event-stream metrics.</summary>
    Bedrock,

    /// <summary>Workers AI's native <c>run</c> answers (its <c>/v1/</c> paths are OpenAI's).</summary>
    WorkersAi,

    Cohere,
}
