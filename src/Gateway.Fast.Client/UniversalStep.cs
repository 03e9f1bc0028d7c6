using System.Text.Json.Nodes;

namespace Gateway.Fast.Client;

/// <summary>One step of a Universal Endpoint fallback chain (docs/gateway-api.md#universal-endpoint).</summary>
public sealed record UniversalStep
{
    /// <summary>A provider slug (<c>openai</c>, <c>anthropic</c>, <c>workers-ai</c>, …, or <c>compat</c>).</summary>
    public required string Provider { get; init; }

    /// <summary>The path under that provider's base, e.g. <c>chat/completions</c>.</summary>
    public required string Endpoint { get; init; }

    /// <summary>The JSON body sent upstream.</summary>
    public JsonNode? Query { get; init; }

    /// <summary>Headers sent upstream for this step (the provider key among them), and per-step <c>cf-aig-*</c> controls.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Per-step timeout and retries, which win over the request's headers.</summary>
    public UniversalStepConfig? Config { get; init; }

    internal JsonObject ToJson()
    {
        var step = new JsonObject { ["provider"] = Provider, ["endpoint"] = Endpoint };
        if (Headers is not null)
        {
            var headers = new JsonObject();
            foreach (var (name, value) in Headers)
            {
                headers[name] = value;
            }

            step["headers"] = headers;
        }

        step["query"] = Query?.DeepClone();
        if (Config is { } config)
        {
            step["config"] = config.ToJson();
        }

        return step;
    }
}

/// <summary>A Universal step's <c>config</c>: <c>requestTimeout</c>, <c>maxAttempts</c>, <c>retryDelay</c>, <c>backoff</c>.</summary>
public sealed record UniversalStepConfig
{
    public TimeSpan? RequestTimeout { get; init; }

    public int? MaxAttempts { get; init; }

    public TimeSpan? RetryDelay { get; init; }

    public GatewayBackoff? Backoff { get; init; }

    internal JsonObject ToJson()
    {
        var config = new JsonObject();
        if (RequestTimeout is { } timeout)
        {
            config["requestTimeout"] = (long)Math.Round(timeout.TotalMilliseconds);
        }

        if (MaxAttempts is { } attempts)
        {
            config["maxAttempts"] = attempts;
        }

        if (RetryDelay is { } delay)
        {
            config["retryDelay"] = (long)Math.Round(delay.TotalMilliseconds);
        }

        if (Backoff is { } backoff)
        {
            config["backoff"] = backoff.ToString().ToLowerInvariant();
        }

        return config;
    }
}
