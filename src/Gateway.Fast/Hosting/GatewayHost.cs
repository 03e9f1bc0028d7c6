using Gateway.Fast.Access;
using Gateway.Fast.Caching;
using Gateway.Fast.Configuration;
using Gateway.Fast.Dashboard;
using Gateway.Fast.Fleet;
using Gateway.Fast.Forwarding;
using Gateway.Fast.Logging;
using Gateway.Fast.Management;
using Gateway.Fast.Mcp;
using Gateway.Fast.Metrics;
using Gateway.Fast.Pipeline;
using Gateway.Fast.Providers;
using Gateway.Fast.RateLimiting;
using Gateway.Fast.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Gateway.Fast.Hosting;

/// <summary>Builds the gateway process: Kestrel, services, and the middleware order (proxy first, then the cold routes).</summary>
public static class GatewayHost
{
    /// <summary>Where the gateway listens when neither <c>ASPNETCORE_URLS</c>, <c>--urls</c> nor Kestrel endpoints say (docs/design.md#configuration).</summary>
    public const string DefaultUrl = "http://0.0.0.0:8080";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        // The slim builder logs to the console only; the EventSource logger costs nothing until a trace listens, and
        // lets `dotnet-trace` (Microsoft-Extensions-Logging) line log lines up with GC pauses and stalls.
        builder.Logging.AddEventSourceLogger();
        configure?.Invoke(builder);

        var configuration = builder.Configuration;
        var dataPath = configuration["GATEWAY_DATA"];
        if (!string.IsNullOrWhiteSpace(dataPath))
        {
            configuration[$"{GatewayOptions.SectionName}:{nameof(GatewayOptions.DataPath)}"] = dataPath;
        }

        if (string.IsNullOrWhiteSpace(configuration[WebHostDefaultsUrlsKey]) && !configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var options = configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
        var limits = configuration.GetSection(ServerLimitsOptions.SectionName).Get<ServerLimitsOptions>() ?? new ServerLimitsOptions();
        RaiseThreadPoolMinimum(limits.BlockingIoThreads);
        builder.WebHost.UseSockets(sockets => sockets.Backlog = limits.ListenBacklog);
        // Kestrel's socket buffers come from pools the idle trim can empty (BlockMemoryPool); registered after
        // UseSockets, so the transport's options read this factory, not Kestrel's.
        builder.Services.AddSingleton<BlockMemoryPoolFactory>();
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>>(static sp => sp.GetRequiredService<BlockMemoryPoolFactory>());
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.Limits.MaxConcurrentConnections = limits.EffectiveMaxConcurrentConnections(ProcessResources.DescriptorLimit());
            kestrel.Limits.MaxConcurrentUpgradedConnections = limits.MaxConcurrentUpgradedConnections;
            // Kestrel's default protocols (HTTP/1.1 and HTTP/2) stay: HTTP/2 by ALPN on TLS endpoints. Cleartext HTTP/2
            // (h2c, prior knowledge) needs an endpoint of its own: Kestrel__Endpoints__h2c__Url + __Protocols=Http2.
        });

        var services = builder.Services;
        services.Configure<Microsoft.Extensions.Hosting.HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(limits.ShutdownTimeoutSeconds));
        services.PostConfigure<LoggerFilterOptions>(UrlLoggingFilter.Apply);
        services.Configure<GatewayOptions>(configuration.GetSection(GatewayOptions.SectionName));
        services.PostConfigure<GatewayOptions>(o =>
        {
            if (!string.IsNullOrWhiteSpace(dataPath))
            {
                o.DataPath = dataPath;
            }
        });
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ProviderRegistry>();
        services.AddSingleton<UpstreamInvoker>();
        services.AddSingleton<ProxyForwarder>();
        services.AddSingleton<AttemptRunner>();
        services.AddSingleton<IRateLimiter, LocalRateLimiter>();
        services.AddHostedService<MaintenanceService>();
        services.AddHostedService<MemoryTrimService>();
        services.AddSingleton(static sp =>
        {
            var metrics = new GatewayMetrics();
            var logs = sp.GetRequiredService<FasterLogStore>();
            metrics.TrackLogQueue(() => logs.QueueDepth);
            StorageHealth.Track(metrics, logs, sp.GetRequiredService<CacheDiskUsage>());
            var cache = sp.GetRequiredService<ICacheStore>();
            metrics.TrackResources(() => ResourceHealth.Memory(cache), ResourceHealth.Descriptors);
            if (sp.GetService<RedisConnection>() is { } redis)
            {
                metrics.TrackRedis(redis);
                metrics.TrackFleetTiers(sp.GetRequiredService<LiveReplicas>(), sp.GetService<RateLimiting.IRateLimiter>() as FleetRateLimiter,
                    sp.GetService<SharedCacheStore>());
            }

            return metrics;
        });
        services.AddGatewayStorage();
        services.AddGatewayAccess();
        services.AddGatewayFleet(configuration); // nothing without REDIS_URL
        services.AddResponseCache(configuration);
        services.AddFleetLimitsAndCache(configuration); // limits and cache shared through Redis; nothing without REDIS_URL
        services.AddRequestLogs(configuration);
        services.AddSingleton(sp => new Accounting.CostCalculator(Accounting.PriceTable.FromConfiguration(configuration)));
        var defaultRoutesAuth = new DefaultRoutesAuth(configuration["AUTH_TOKEN"]);
        var environmentKeys = new Access.EnvironmentProviderKeys(configuration);
        services.AddSingleton(defaultRoutesAuth);
        services.AddSingleton(environmentKeys);
        services.AddRequestPipeline();
        services.AddGatewayMcp();
        string[] corsOrigins = CorsSetup.Origins(configuration);
        if (corsOrigins.Length > 0)
        {
            services.AddGatewayCors(corsOrigins);
        }

        var app = builder.Build();
        if (environmentKeys.Providers.Count > 0 && !defaultRoutesAuth.Required)
        {
            // The keys are the operator's money: say once, at start, who can spend them.
            app.Logger.LogWarning(
                "Provider keys from the environment ({Providers}) serve any caller of /v1/chat/completions and the other default routes. " +
                "Set AUTH_TOKEN (or turn on authentication for the gateway 'default') unless only trusted clients reach this port.",
                string.Join(", ", environmentKeys.Providers));
        }

        if (corsOrigins.Length > 0)
        {
            app.UseCors(); // before the proxy: preflights are answered here
        }

        app.UseMiddleware<GatewayApp>();
        app.UseDashboard(); // after the proxy too: static files for /dashboard/… only
        app.UseGatewayMcp(); // /mcp and /sse: a cold path like the management API, built on its first request
        app.UseRouting(); // after the proxy: endpoint matching never runs for /v1/… requests
        app.MapDashboardRoot();
        app.MapHealth();
        app.MapMetrics("/metrics");
        app.MapManagementApi();
        app.MapFleetApi(); // fleet mode only
        return app;
    }

    /// <summary>Adds <paramref name="blockingIoThreads"/> to the pool's minimum worker count (see <see cref="ServerLimitsOptions.BlockingIoThreads"/>);
    /// process-wide, so it only ever raises it: a second host in the same process (tests) leaves it as the first set it.</summary>
    private static void RaiseThreadPoolMinimum(int blockingIoThreads)
    {
        ThreadPool.GetMinThreads(out int workers, out int io);
        int wanted = Environment.ProcessorCount + Math.Max(0, blockingIoThreads);
        if (workers < wanted)
        {
            ThreadPool.SetMinThreads(wanted, io);
        }
    }

    private const string WebHostDefaultsUrlsKey = "urls";
}
