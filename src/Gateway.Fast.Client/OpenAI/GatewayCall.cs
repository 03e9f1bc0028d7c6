namespace Gateway.Fast.Client.OpenAI;

/// <summary>
/// Gateway controls for the OpenAI SDK calls made inside a scope: the SDK's typed methods take no extra headers, so
/// <c>using (GatewayCall.With(new() { CacheTtl = … })) await chat.CompleteChatAsync(…);</c> carries them to the
/// <see cref="GatewayPipelinePolicy"/> through the async flow instead.
/// </summary>
public static class GatewayCall
{
    private static readonly AsyncLocal<GatewayRequestOptions?> CurrentOptions = new();

    /// <summary>The controls of the innermost open scope on this async flow, or null.</summary>
    public static GatewayRequestOptions? Current => CurrentOptions.Value;

    /// <summary>Opens a scope whose calls carry <paramref name="options"/> (over the client's defaults); disposing it restores the outer one.</summary>
    public static IDisposable With(GatewayRequestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var scope = new Scope(CurrentOptions.Value);
        CurrentOptions.Value = options;
        return scope;
    }

    private sealed class Scope(GatewayRequestOptions? outer) : IDisposable
    {
        public void Dispose() => CurrentOptions.Value = outer;
    }
}
