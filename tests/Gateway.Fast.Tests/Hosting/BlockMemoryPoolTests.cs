using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Fast.Hosting;
using Gateway.Fast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Tests.Hosting;

/// <summary>Kestrel's socket buffers come from the gateway's own block pools, which a trim empties.</summary>
public sealed class BlockMemoryPoolTests
{
    [Fact]
    public void ReturnedBlocks_WaitInThePool_UntilATrimLetsThemGo()
    {
        using var pool = new BlockMemoryPool();
        var rented = Enumerable.Range(0, 3).Select(_ => pool.Rent()).ToList();
        Assert.All(rented, static b => Assert.Equal(BlockMemoryPool.BlockSize, b.Memory.Length));
        Assert.Equal(0, pool.Idle);

        rented.ForEach(static b => b.Dispose());
        Assert.Equal(3, pool.Idle);
        using (var again = pool.Rent(100))
        {
            Assert.Contains(rented, b => b.Memory.Equals(again.Memory)); // reused, not made anew
        }

        Assert.Equal(3, pool.Trim());
        Assert.Equal(0, pool.Idle);

        // A block in use during a trim comes back to the pool as usual.
        var inUse = pool.Rent();
        Assert.Equal(0, pool.Trim());
        inUse.Dispose();
        Assert.Equal(1, pool.Idle);
    }

    [Fact]
    public void ABlockLargerThanThePoolsSize_IsRefused_AndADisposedPoolKeepsNothing()
    {
        var pool = new BlockMemoryPool();
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(BlockMemoryPool.BlockSize + 1));
        var block = pool.Rent();
        pool.Dispose();
        block.Dispose();
        Assert.Equal(0, pool.Idle);
    }

    [Fact]
    public async Task KestrelReadsAndWritesThroughThePools_AndServesAfterATrim()
    {
        await using var env = new GatewayWithSimulator();
        await env.InitializeAsync();
        var pools = env.Gateway.Services.GetRequiredService<BlockMemoryPoolFactory>();
        Assert.True(pools.Pools > 0, "the socket transport made no pool of ours");

        // A body of several blocks each way, so reads and writes span many of them.
        string prompt = new('a', 6 * BlockMemoryPool.BlockSize);
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(env, prompt));
        pools.Trim();

        Assert.Equal(HttpStatusCode.OK, await ChatAsync(env, prompt));
        using var health = await env.Gateway.Client.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private static async Task<HttpStatusCode> ChatAsync(GatewayWithSimulator env, string prompt)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(env.ProviderUrl("openai"), "chat/completions"))
        {
            Content = new StringContent($$"""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"{{prompt}}"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-pool-test");
        using var response = await env.Gateway.Client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        return response.StatusCode;
    }
}
