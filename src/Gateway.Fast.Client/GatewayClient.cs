using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Fast.Client;

/// <summary>
/// A client for a Gateway.Fast deployment, shaped like the Workers AI binding: run a model through a gateway, read the
/// last request's log id, and reach a gateway's Universal Endpoint, logs, analytics and URLs through <see cref="Gateway"/>.
/// </summary>
public sealed class GatewayClient : IDisposable
{
    private readonly GatewayConnection _connection;
    private readonly bool _ownsHttp;
    private string? _lastLogId;

    /// <summary>Creates a client; <paramref name="http"/>, when given, is used as is and not disposed with the client.</summary>
    public GatewayClient(GatewayClientOptions? options = null, HttpClient? http = null)
    {
        _ownsHttp = http is null;
        _connection = new GatewayConnection(options ?? new GatewayClientOptions(), http ?? new HttpClient());
    }

    /// <summary>The gateway's root URL this client calls, without a trailing slash.</summary>
    public string BaseUrl => _connection.BaseUrl;

    public string AccountId => _connection.AccountId;

    internal string? ApiToken => _connection.ApiToken;

    /// <summary>The log id (<c>cf-aig-log-id</c>) of this client's latest request through a gateway; null before the first.</summary>
    public string? LastLogId => Volatile.Read(ref _lastLogId);

    /// <summary>One gateway's Universal Endpoint, logs, analytics and URLs.</summary>
    public AiGateway Gateway(string id) => new(_connection, id, this);

    /// <summary>
    /// Runs a model and returns its JSON answer. <c>{provider}/{model}</c> (or <see cref="RunOptions.Provider"/>) goes through the
    /// unified API in OpenAI's format; <c>@cf/…</c> goes to Workers AI, whose <c>result</c> envelope is unwrapped as the binding does.
    /// A non-2xx answer throws <see cref="AiGatewayException"/>.
    /// </summary>
    public async Task<JsonElement> RunAsync(string model, JsonObject inputs, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        var route = ModelRoute.For(model, inputs, options?.Provider, stream: false);
        using var response = await SendAsync(route, options, cancellationToken).ConfigureAwait(false);
        await ThrowUnlessSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(body, default, cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        if (route.WorkersAi && root.ValueKind == JsonValueKind.Object && root.TryGetProperty("result", out var result) &&
            root.TryGetProperty("success", out var success) && success.ValueKind == JsonValueKind.True)
        {
            return result.Clone();
        }

        return root.Clone();
    }

    /// <summary>
    /// Runs a model with <c>stream: true</c> and yields the answer's server-sent events as they arrive. <see cref="LastLogId"/>
    /// is set once the response headers are in, before the first event.
    /// </summary>
    public async IAsyncEnumerable<SseItem<string>> StreamAsync(string model, JsonObject inputs, RunOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var route = ModelRoute.For(model, inputs, options?.Provider, stream: true);
        var response = await SendAsync(route, options, cancellationToken).ConfigureAwait(false);
        try
        {
            await ThrowUnlessSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        await foreach (var item in ServerSentEvents.ReadAsync(response, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    /// <summary>Runs a model and returns the gateway's response untouched (headers read, body not yet), for any content type.</summary>
    public Task<HttpResponseMessage> RunRawAsync(string model, JsonObject inputs, RunOptions? options = null, CancellationToken cancellationToken = default)
        => SendAsync(ModelRoute.For(model, inputs, options?.Provider, stream: false), options, cancellationToken);

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _connection.Http.Dispose();
        }
    }

    /// <summary>Records the log id of a response that went through a gateway (called by this client and its gateways).</summary>
    internal void Observe(HttpResponseMessage response)
        => Volatile.Write(ref _lastLogId, response.Headers.TryGetValues("cf-aig-log-id", out var values) ? values.FirstOrDefault() : null);

    internal void Observe(string? logId) => Volatile.Write(ref _lastLogId, logId);

    internal static async Task ThrowUnlessSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var (message, code) = await ErrorBody.ReadAsync(response, cancellationToken).ConfigureAwait(false);
        string? logId = response.Headers.TryGetValues("cf-aig-log-id", out var values) ? values.FirstOrDefault() : null;
        throw new AiGatewayException(message, response.StatusCode, code, logId);
    }

    private async Task<HttpResponseMessage> SendAsync(ModelRoute route, RunOptions? options, CancellationToken cancellationToken)
    {
        string url = _connection.ProxyUrl(options?.Gateway?.Id ?? "default", route.Path);
        using var request = _connection.ProxyRequest(url, route.Body, options?.Gateway, options?.ProviderApiToken, options?.ExtraHeaders);

        // Headers only: a stream is read as it arrives, and a JSON answer is parsed from the stream without a copy.
        var response = await _connection.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        Observe(response);
        return response;
    }
}
