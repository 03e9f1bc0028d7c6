using System.Text.Json.Nodes;

namespace Gateway.Fast.Client;

/// <summary>Where <see cref="GatewayClient.RunAsync"/> sends a model: the path under the gateway and the body.</summary>
internal readonly record struct ModelRoute(string Path, JsonObject Body, bool WorkersAi)
{
    /// <summary>
    /// <c>@cf/…</c> and <c>@hf/…</c> models (or provider <c>workers-ai</c>) go to the Workers AI endpoint with the inputs as the
    /// body; anything else is <c>{provider}/{model}</c> on the unified API, <c>compat/chat/completions</c>, or
    /// <c>compat/embeddings</c> for inputs with <c>input</c> and no <c>messages</c>.
    /// </summary>
    public static ModelRoute For(string model, JsonObject inputs, string? provider, bool stream)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        ArgumentNullException.ThrowIfNull(inputs);
        var body = (JsonObject)inputs.DeepClone();
        if (stream)
        {
            body["stream"] = true;
        }

        if (provider == "workers-ai" || (provider is null && (model.StartsWith("@cf/", StringComparison.Ordinal) || model.StartsWith("@hf/", StringComparison.Ordinal))))
        {
            // '@' is legal in a path segment and kept as written, as Cloudflare's documented URLs show it.
            var segments = model.Split('/').Select(static s => Uri.EscapeDataString(s).Replace("%40", "@", StringComparison.Ordinal));
            return new("workers-ai/" + string.Join('/', segments), body, WorkersAi: true);
        }

        string qualified = provider is null ? model : $"{provider}/{model}";
        if (qualified.IndexOf('/', StringComparison.Ordinal) <= 0)
        {
            throw new ArgumentException($"The model '{model}' names no provider: write '{{provider}}/{{model}}' or set RunOptions.Provider.", nameof(model));
        }

        body["model"] = qualified;
        bool embeddings = body.ContainsKey("input") && !body.ContainsKey("messages");
        return new(embeddings ? "compat/embeddings" : "compat/chat/completions", body, WorkersAi: false);
    }
}
