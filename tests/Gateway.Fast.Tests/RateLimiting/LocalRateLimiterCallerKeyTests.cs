using Gateway.Fast.Pipeline;
using Gateway.Fast.RateLimiting;
using Microsoft.AspNetCore.Http;
using static Gateway.Fast.Tests.RateLimiting.LocalRateLimiterFixedTests;

namespace Gateway.Fast.Tests.RateLimiting;

/// <summary>Caller keys (<c>cf-aig-rate-limit-key</c>) are chosen by clients: each gets its own window, and the set stays bounded.</summary>
public sealed class LocalRateLimiterCallerKeyTests
{
    private static readonly RateLimitPolicy TwoPerTenSeconds = new(2, 10);

    private static RateLimitKey Caller(int i) => RateLimitKey.ForCaller("gw", "user-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void EachCallerKey_CountsInItsOwnWindow_ApartFromTheGateways()
    {
        var limiter = new LocalRateLimiter(LimiterClock.Start(0));

        Assert.Equal(2, Admitted(limiter, Caller(1), TwoPerTenSeconds, 5));
        Assert.Equal(2, Admitted(limiter, Caller(2), TwoPerTenSeconds, 5));
        Assert.Equal(2, Admitted(limiter, RateLimitKey.ForGateway("gw"), TwoPerTenSeconds, 5));
        Assert.Equal(2, limiter.CallerKeyCount);
    }

    [Fact]
    public void ManyDistinctCallerKeys_AreAllSweptOnceIdle()
    {
        const int Callers = 20_000;
        var time = LimiterClock.Start(5);
        var limiter = new LocalRateLimiter(time);
        for (int i = 0; i < Callers; i++)
        {
            Assert.True(limiter.TryAcquire(Caller(i), TwoPerTenSeconds).Allowed);
        }

        Assert.Equal(Callers, limiter.KeyCount);
        Assert.Equal(Callers, limiter.CallerKeyCount);

        time.SetSeconds(29.999); // their window [0, 10) ended less than two intervals ago
        Assert.Equal(0, limiter.Sweep());

        time.SetSeconds(30);
        Assert.Equal(Callers, limiter.Sweep());
        Assert.Equal(0, limiter.KeyCount);
        Assert.Equal(0, limiter.CallerKeyCount);
    }

    [Fact]
    public void PastTheCap_ANewCallerSharesTheGatewayWideWindow_UntilASweepFreesRoom()
    {
        var time = LimiterClock.Start(0);
        var limiter = new LocalRateLimiter(time, maxCallerKeys: 2);
        Assert.Equal(2, Admitted(limiter, Caller(1), TwoPerTenSeconds, 5));
        Assert.Equal(2, Admitted(limiter, Caller(2), TwoPerTenSeconds, 5));

        // Callers 3 and 4 find no room: both count in the gateway's window, which admits 2 between them.
        Assert.Equal(2, Admitted(limiter, Caller(3), TwoPerTenSeconds, 5));
        Assert.Equal(0, Admitted(limiter, Caller(4), TwoPerTenSeconds, 5));
        Assert.Equal(0, Admitted(limiter, RateLimitKey.ForGateway("gw"), TwoPerTenSeconds, 1));
        Assert.Equal(2, limiter.CallerKeyCount);

        time.SetSeconds(30);
        Assert.Equal(3, limiter.Sweep()); // callers 1 and 2, and the gateway's window
        Assert.Equal(0, limiter.CallerKeyCount);
        Assert.Equal(2, Admitted(limiter, Caller(3), TwoPerTenSeconds, 5));
        Assert.Equal(2, Admitted(limiter, Caller(4), TwoPerTenSeconds, 5));
        Assert.Equal(2, limiter.CallerKeyCount);
    }

    [Fact]
    public void ASeenCallerKey_IsReadAndCountedWithoutAllocating()
    {
        var limiter = new LocalRateLimiter(LimiterClock.Start(0));
        var policy = new RateLimitPolicy(1_000, 10);
        IHeaderDictionary headers = new HeaderDictionary { [RateLimitKeyHeader.Name] = "user-42" };
        limiter.TryAcquire(RateLimitKeyHeader.KeyFor("gw", headers), policy); // the key's one allocation, and JIT

        long before = GC.GetAllocatedBytesForCurrentThread();
        int admitted = 0;
        for (int i = 0; i < 100; i++)
        {
            admitted += limiter.TryAcquire(RateLimitKeyHeader.KeyFor("gw", headers), policy).Allowed ? 1 : 0;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(100, admitted);
    }

    [Fact]
    public async Task RacingNewCallers_NeverTrackMoreThanTheCap()
    {
        var limiter = new LocalRateLimiter(LimiterClock.Start(0), maxCallerKeys: 100);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            await start.Task;
            for (int i = 0; i < 1_000; i++)
            {
                limiter.TryAcquire(Caller(w * 1_000 + i), TwoPerTenSeconds);
            }
        })).ToArray();

        start.SetResult();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(100, limiter.CallerKeyCount);
        Assert.Equal(101, limiter.KeyCount); // the 100 callers and the gateway-wide window the rest shared
    }
}
