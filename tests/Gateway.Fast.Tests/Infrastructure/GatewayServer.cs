using Gateway.Fast.Hosting;
using Gateway.Fast.Providers;
using Gateway.Fast.Simulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Fast.Tests.Infrastructure;

/// <summary>The real gateway on Kestrel at 127.0.0.1:0, every provider's upstream pointed at one simulator, data in a temp folder.</summary>
public sealed class GatewayServer : IAsyncDisposable
{
    public const string ManagementToken = "test-management-token";

    private readonly WebApplication _app;

    private GatewayServer(WebApplication app, string dataPath, Uri address)
    {
        _app = app;
        DataPath = dataPath;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    /// <summary>The gateway's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    public string DataPath { get; }

    /// <summary>A plain client on <see cref="Address"/>.</summary>
    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts a gateway whose providers all point at <paramref name="simulator"/>; <paramref name="configure"/>, when given,
    /// runs on the builder after the test defaults (e.g. a logging provider that captures every line).
    /// </summary>
    public static Task<GatewayServer> StartAsync(SimulatorHost simulator, string dataPath, IDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var config = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["GATEWAY_DATA"] = dataPath,
            ["CF_AIG_MANAGEMENT_API_TOKEN"] = ManagementToken,
        };
        foreach (var provider in ProviderCatalog.All)
        {
            config[$"Gateway:Providers:{provider.Id}:BaseUrl"] = UpstreamFor(provider.Id, simulator.BaseUrl);
        }

        // Provider keys in the test runner's own environment would reach the gateway's configuration: blanked, so a test
        // sees an environment key only where it sets one.
        foreach (string variable in ProviderKeyVariables)
        {
            config[variable] = "";
        }

        if (settings is not null)
        {
            foreach (var (k, v) in settings)
            {
                config[k] = v;
            }
        }

        return StartAsync(config, configure);
    }

    /// <summary>The environment variables the gateway reads provider keys from.</summary>
    public static readonly string[] ProviderKeyVariables =
    [
        "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY", "GROQ_API_KEY", "MISTRAL_API_KEY", "COHERE_API_KEY",
        "DEEPSEEK_API_KEY", "XAI_API_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION",
        "AWS_DEFAULT_REGION", "AZURE_RESOURCE_NAME", "AZURE_API_KEY", "CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_API_TOKEN",
    ];

    /// <summary>The simulator base each provider's paths expect (OpenAI's ends in /v1; templated hosts become the simulator's).</summary>
    public static string UpstreamFor(string provider, string simulator) => provider switch
    {
        "openai" or "cerebras" or "replicate" => simulator + "/v1",
        "groq" => simulator + "/openai/v1",
        "workers-ai" => simulator + "/client/v4/accounts/{account}/ai",
        "azure-openai" => simulator + "/openai/deployments/{deployment}",
        "huggingface" => simulator + "/models",
        _ => simulator,
    };

    public static async Task<GatewayServer> StartAsync(IDictionary<string, string?> config, Action<WebApplicationBuilder>? configure = null)
    {
        // Dozens of gateways run at once in a test run: a small cache each (1 MiB pages, 4 MiB in memory).
        config = new Dictionary<string, string?>(config);
        config.TryAdd("Gateway:Cache:PageSizeBits", "20");
        config.TryAdd("Gateway:Cache:MemorySizeBits", "22");
        config.TryAdd("Gateway:Cache:IndexSizeBits", "16");
        config.TryAdd("Gateway:Cache:SegmentSizeBits", "22");
        var app = GatewayHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new GatewayServer(app, config["GATEWAY_DATA"]!, new Uri(address + "/"));
    }

    /// <summary>A client that carries the management token.</summary>
    public HttpClient ManagementClient()
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ManagementToken);
        return client;
    }

    /// <summary>
    /// The log row is queued after the response is complete: flushes until it is committed and returns it
    /// (bounded by a deadline, never a fixed sleep).
    /// </summary>
    public async Task<Gateway.Fast.Logging.LogRecord> WaitForLogRowAsync(string id)
    {
        var store = Services.GetRequiredService<Gateway.Fast.Logging.ILogStore>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            await WaitForDeferredRowsAsync(deadline);
            await store.FlushAsync(CancellationToken.None);
            if (store.TryGet(id, out var record))
            {
                return record;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"log row {id} never appeared");
            }

            await Task.Yield();
        }
    }

    /// <summary>
    /// Waits until every row of the requests that have ended is in the log's queue: rows are built after their response
    /// (Pipeline/Stages/RowDeferral), so a caller holding its answer may be ahead of its row.
    /// </summary>
    public async Task WaitForDeferredRowsAsync(DateTime deadline)
    {
        var rows = Services.GetRequiredService<Gateway.Fast.Pipeline.Stages.RowDeferral>();
        while (rows.InFlight > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{rows.InFlight} deferred log rows never reached the log's queue");
            }

            await Task.Yield();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
