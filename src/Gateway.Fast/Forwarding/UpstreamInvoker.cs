using System.Net;

namespace Gateway.Fast.Forwarding;

/// <summary>The one <see cref="HttpMessageInvoker"/> every upstream call goes through, tuned for a proxy (as YARP's ReverseProxy.Direct).</summary>
public sealed class UpstreamInvoker : IDisposable
{
    public UpstreamInvoker()
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None, // passthrough: bytes as the provider sent them
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = null, // no tracing headers added to provider calls
            ConnectTimeout = TimeSpan.FromSeconds(15),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5), // follow provider DNS changes
            // After a burst of 3,000 streams, the default minute kept 3,000 idle connections, their buffers (~50 MB) and
            // descriptors; 20 s still reuses connections under any steady traffic, at one reconnect after a quiet spell.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(20),
            MaxConnectionsPerServer = int.MaxValue,
        };
        Invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    public HttpMessageInvoker Invoker { get; }

    public void Dispose() => Invoker.Dispose();
}
