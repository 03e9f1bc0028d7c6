using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Caching;
using Gateway.Fast.Simulator;
using Gateway.Fast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Tests.Caching;

/// <summary>A cache checkpoint in progress (held at a gate on a blocked pool thread, as FASTER's metadata writes block one)
/// never holds up request handling: cache hits, cache writes, plain proxying and <c>/health</c> are all answered meanwhile.</summary>
public sealed class CheckpointDuringRequestsTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _data = new();
    private readonly TaskCompletionSource _checkpointHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ManualResetEventSlim _release = new();
    private SimulatorHost _simulator = null!;
    private GatewayServer _gateway = null!;

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorHost.StartAsync();
        _gateway = await GatewayServer.StartAsync(_simulator, _data.Path, configure: builder =>
            builder.Services.PostConfigure<FasterCacheOptions>(options => options.CheckpointStarted = () =>
            {
                _checkpointHeld.TrySetResult();
                _release.Wait(Patience); // a synchronous wait on a pool thread, like FASTER's commit of checkpoint metadata
                return default;
            }));
    }

    public async Task DisposeAsync()
    {
        _release.Set();
        await _gateway.DisposeAsync();
        await _simulator.DisposeAsync();
        _release.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task RequestsAreAnswered_WhileACacheCheckpointIsInProgress()
    {
        var miss = await SendAsync("kept", cached: true);
        Assert.Equal((HttpStatusCode.OK, "MISS"), (miss.Status, miss.CacheStatus));

        var store = _gateway.Services.GetRequiredService<ICacheStore>();
        var checkpoint = Task.Run(async () => await store.CheckpointAsync());
        await _checkpointHeld.Task.WaitAsync(Patience);

        var hit = await SendAsync("kept", cached: true).WaitAsync(Patience);
        var newEntry = await SendAsync("written during the checkpoint", cached: true).WaitAsync(Patience);
        var plain = await SendAsync("plain", cached: false).WaitAsync(Patience);
        using var health = await _gateway.Client.GetAsync("health").WaitAsync(Patience);

        Assert.False(checkpoint.IsCompleted);
        Assert.Equal((HttpStatusCode.OK, "HIT"), (hit.Status, hit.CacheStatus));
        Assert.Equal(miss.Body, hit.Body);
        Assert.Equal((HttpStatusCode.OK, "MISS"), (newEntry.Status, newEntry.CacheStatus));
        Assert.Equal(HttpStatusCode.OK, plain.Status);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        _release.Set();
        await checkpoint.WaitAsync(Patience);
        var afterwards = await SendAsync("written during the checkpoint", cached: true);
        Assert.Equal("HIT", afterwards.CacheStatus);
    }

    [Fact]
    public async Task AFreshCache_HasNothingToCheckpoint()
    {
        // The store opens clean: an unused cache writes no checkpoint (it used to write its whole index at the first tick).
        var store = _gateway.Services.GetRequiredService<ICacheStore>();
        await store.CheckpointAsync().AsTask().WaitAsync(Patience);

        Assert.False(_checkpointHeld.Task.IsCompleted);
    }

    private async Task<(HttpStatusCode Status, string CacheStatus, string Body)> SendAsync(string content, bool cached)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_gateway.Address, "v1/test-account/default/openai/chat/completions"))
        {
            Content = new StringContent(
                $$"""{"model":"gpt-4o-mini","messages":[{"role":"user","content":{{JsonSerializer.Serialize(content)}}}]}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", "sk-checkpoint-test");
        if (cached)
        {
            request.Headers.TryAddWithoutValidation("cf-aig-cache-ttl", "600");
        }

        using var response = await _gateway.Client.SendAsync(request);
        var status = response.Headers.TryGetValues("cf-aig-cache-status", out var values) ? values.Single() : "";
        return (response.StatusCode, status, await response.Content.ReadAsStringAsync());
    }
}
