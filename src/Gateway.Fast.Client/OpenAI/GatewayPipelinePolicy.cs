using System.ClientModel.Primitives;

namespace Gateway.Fast.Client.OpenAI;

/// <summary>
/// A System.ClientModel pipeline step for SDKs built on it (OpenAI's): adds the gateway credential and the <c>cf-aig-*</c>
/// headers to each call (the defaults, then the innermost <see cref="GatewayCall"/> scope's, which win) and records the
/// answer's <c>cf-aig-log-id</c> as the client's <see cref="GatewayClient.LastLogId"/>.
/// </summary>
public sealed class GatewayPipelinePolicy : PipelinePolicy
{
    private readonly GatewayClient _client;
    private readonly GatewayRequestOptions? _defaults;

    public GatewayPipelinePolicy(GatewayClient client, GatewayRequestOptions? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _defaults = defaults;
    }

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        ArgumentNullException.ThrowIfNull(message);
        Prepare(message.Request);
        ProcessNext(message, pipeline, currentIndex);
        Observe(message);
    }

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        ArgumentNullException.ThrowIfNull(message);
        Prepare(message.Request);
        await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
        Observe(message);
    }

    private void Prepare(PipelineRequest request)
    {
        if (_client.ApiToken is { } token)
        {
            request.Headers.Set("cf-aig-authorization", "Bearer " + token);
        }

        foreach (var (name, value) in GatewayHeaders.For(_defaults))
        {
            request.Headers.Set(name, value);
        }

        foreach (var (name, value) in GatewayHeaders.For(GatewayCall.Current))
        {
            request.Headers.Set(name, value);
        }
    }

    private void Observe(PipelineMessage message)
    {
        if (message.Response is { } response)
        {
            _client.Observe(response.Headers.TryGetValue("cf-aig-log-id", out var logId) ? logId : null);
        }
    }
}
