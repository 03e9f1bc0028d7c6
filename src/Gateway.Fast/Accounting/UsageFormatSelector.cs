namespace Gateway.Fast.Accounting;

/// <summary>Picks the usage shape of a response from its provider's usage dialect (a catalog row), its content type and the request path.</summary>
public static class UsageFormatSelector
{
    /// <summary>As <see cref="Select(Providers.UsageDialect, string?, string?)"/> for a provider named by its wire id (catalog lookup).</summary>
    /// <param name="provider">The wire id, e.g. <c>openai</c>, <c>workers-ai</c>, <c>aws-bedrock</c>.</param>
    /// <param name="contentType">The response's <c>Content-Type</c>, when known.</param>
    /// <param name="path">The provider-relative path sent upstream, e.g. <c>/v1/chat/completions</c>.</param>
    public static UsageWireFormat Select(string provider, string? contentType, string? path) =>
        Select(Providers.ProviderCatalog.Find(provider)?.Usage ?? Providers.UsageDialect.None, contentType, path);

    /// <param name="dialect">How the provider's native answers report usage (its catalog row).</param>
    /// <param name="contentType">The response's <c>Content-Type</c>, when known.</param>
    /// <param name="path">The provider-relative path sent upstream, e.g. <c>/v1/chat/completions</c>.</param>
    public static UsageWireFormat Select(Providers.UsageDialect dialect, string? contentType, string? path)
    {
        var type = contentType.AsSpan();
        if (type.StartsWith("application/vnd.amazon.eventstream", StringComparison.OrdinalIgnoreCase))
        {
            return UsageWireFormat.BedrockEventStream;
        }

        if (!type.IsEmpty && !type.Contains("json", StringComparison.OrdinalIgnoreCase) &&
            !type.Contains("event-stream", StringComparison.OrdinalIgnoreCase))
        {
            return UsageWireFormat.None; // audio, images, text/plain errors: nothing to count
        }

        var p = path.AsSpan();
        if (p.Contains("/chat/completions", StringComparison.Ordinal) || p.EndsWith("/completions", StringComparison.Ordinal) ||
            p.EndsWith("/responses", StringComparison.Ordinal) || p.EndsWith("/embeddings", StringComparison.Ordinal))
        {
            return UsageWireFormat.OpenAI; // OpenAI-compatible endpoints of Gemini, Cohere, Workers AI, Bedrock Mantle too
        }

        switch (dialect)
        {
            case Providers.UsageDialect.Anthropic:
                return UsageWireFormat.Anthropic;
            case Providers.UsageDialect.Gemini:
                return UsageWireFormat.Gemini;
            case Providers.UsageDialect.Vertex:
                return p.Contains("/publishers/anthropic/", StringComparison.Ordinal) ? UsageWireFormat.Anthropic : UsageWireFormat.Gemini;
            case Providers.UsageDialect.Bedrock:
                if (p.Contains("/converse", StringComparison.Ordinal))
                {
                    return UsageWireFormat.BedrockConverse;
                }

                // InvokeModel relays the model's own body: Claude's carries Anthropic usage, Nova's Converse-shaped usage.
                // Other models report counts in X-Amzn-Bedrock-*-Token-Count headers (BedrockHeaderUsage); the
                // base64-wrapped invoke stream is an event stream, read above (InvocationMetrics).
                if (p.Contains("with-response-stream", StringComparison.Ordinal))
                {
                    return UsageWireFormat.None;
                }

                return p.Contains("anthropic.", StringComparison.Ordinal) ? UsageWireFormat.Anthropic
                    : p.Contains("amazon.nova", StringComparison.Ordinal) ? UsageWireFormat.BedrockConverse
                    : UsageWireFormat.None;
            case Providers.UsageDialect.WorkersAi:
                return p.Contains("/v1/", StringComparison.Ordinal) ? UsageWireFormat.OpenAI : UsageWireFormat.WorkersAi;
            case Providers.UsageDialect.Cohere:
                return UsageWireFormat.Cohere;
            case Providers.UsageDialect.OpenAI:
                return UsageWireFormat.OpenAI;
            default:
                return UsageWireFormat.None;
        }
    }
}
