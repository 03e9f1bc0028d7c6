using System.Net;
using Gateway.Fast.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Fast.Forwarding;

/// <summary>The one <see cref="HttpMessageInvoker"/> every upstream call goes through, tuned for a proxy (as YARP's ReverseProxy.Direct).</summary>
public sealed class UpstreamInvoker : IDisposable
{
    public UpstreamInvoker(IOptions<GatewayOptions> options)
    {
        bool cleartextHttp2 = options.Value.UpstreamCleartextHttp2;
        CleartextVersion = cleartextHttp2 ? HttpVersion.Version20 : HttpVersion.Version11;
        CleartextPolicy = cleartextHttp2 ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrLower;
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

    /// <summary>
    /// The HTTP version of a call to an <c>http://</c> upstream: 1.1, or 2.0 with prior knowledge (h2c) where configured
    /// (<see cref="GatewayOptions.UpstreamCleartextHttp2"/>), which needs <see cref="CleartextPolicy"/>'s exact version:
    /// without TLS there is no ALPN to agree on it. <c>https://</c> calls ask for 2.0 and take what the provider offers.
    /// </summary>
    public Version CleartextVersion { get; }

    public HttpVersionPolicy CleartextPolicy { get; }

    public void Dispose() => Invoker.Dispose();
}
