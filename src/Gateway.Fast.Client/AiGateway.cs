using System.Text.Json.Nodes;

namespace Gateway.Fast.Client;

/// <summary>
/// One gateway: the Universal Endpoint, its logs, analytics and URLs; the methods of the Workers binding's
/// <c>env.AI.gateway(id)</c> in .NET form. Made by <see cref="GatewayClient.Gateway"/>.
/// </summary>
public sealed partial class AiGateway
{
    private readonly GatewayConnection _connection;
    private readonly GatewayClient _client;

    internal AiGateway(GatewayConnection connection, string id, GatewayClient client)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        _connection = connection;
        _client = client;
        Id = id;
    }

    /// <summary>The gateway's id.</summary>
    public string Id { get; }

    /// <summary>
    /// Sends a fallback chain to the Universal Endpoint: the steps are tried in order until one answers. Returns the response
    /// as it is, headers read and body not yet (<c>cf-aig-step</c> names the step that answered); read a stream with
    /// <see cref="ServerSentEvents.ReadAsync"/>. Sets the client's <see cref="GatewayClient.LastLogId"/>.
    /// </summary>
    public async Task<HttpResponseMessage> RunAsync(IEnumerable<UniversalStep> steps, UniversalRunOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var chain = new JsonArray();
        foreach (var step in steps)
        {
            chain.Add((JsonNode)step.ToJson());
        }

        using var request = _connection.ProxyRequest(_connection.ProxyUrl(Id), chain, options?.Gateway, null, options?.ExtraHeaders);
        var response = await _connection.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        _client.Observe(response);
        return response;
    }

    /// <summary>One step on its own: a chain of one.</summary>
    public Task<HttpResponseMessage> RunAsync(UniversalStep step, UniversalRunOptions? options = null, CancellationToken cancellationToken = default)
        => RunAsync([step], options, cancellationToken);

    /// <summary>
    /// The URL to point a provider's SDK at (<c>…/v1/{account}/{gateway}/{provider}</c>), or the Universal Endpoint's
    /// (<c>…/v1/{account}/{gateway}/</c>) without a provider: the same URL the gateway's <c>GET …/gateways/{id}/url/{provider}</c>
    /// answers, built from the client's settings with no call.
    /// </summary>
    public string GetUrl(string? provider = null)
        => _connection.ProxyUrl(Id, provider is null ? "" : Uri.EscapeDataString(provider));
}
