using System.Buffers;
using System.Net;
using System.Net.Http.Headers;

namespace Capacity.Load;

/// <summary>Sends a target's request over one shared connection pool and reads the answer to its end.</summary>
internal sealed class RequestSender : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpMessageInvoker _invoker;
    private readonly Target _target;
    private readonly byte[] _body;
    private string? _firstError;

    public RequestSender(Target target, int maxConnections)
    {
        _target = target;
        _body = File.ReadAllBytes(target.Body);
        _invoker = new HttpMessageInvoker(CreateHandler(maxConnections));
    }

    /// <summary>The first failure seen, for the run's notes.</summary>
    public string? FirstError => _firstError;

    /// <summary>A handler like the load tests' other clients: no proxy, cookies, decompression or tracing headers.</summary>
    public static SocketsHttpHandler CreateHandler(int maxConnections) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        MaxConnectionsPerServer = maxConnections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        ActivityHeadersPropagator = null,
        ConnectTimeout = TimeSpan.FromSeconds(15),
    };

    /// <summary>Builds the target's POST (HTTP/1.1, its headers and body).</summary>
    public static HttpRequestMessage CreateRequest(Target target, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, target.Uri)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = Json;
        foreach (var (name, value) in target.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    /// <summary>True when the answer was 2xx and its body was read to the end.</summary>
    public async Task<bool> SendAsync(CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var request = CreateRequest(_target, _body);
            using var response = await _invoker.SendAsync(request, cancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            while (await body.ReadAsync(buffer, cancellationToken) > 0)
            {
            }

            if (!response.IsSuccessStatusCode)
            {
                Interlocked.CompareExchange(ref _firstError, $"HTTP {(int)response.StatusCode}", null);
                return false;
            }

            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            Interlocked.CompareExchange(ref _firstError, $"{ex.GetType().Name}: {ex.Message}", null);
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose() => _invoker.Dispose();
}
