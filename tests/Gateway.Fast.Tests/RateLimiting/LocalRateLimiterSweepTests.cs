using Gateway.Fast.Configuration;
using Gateway.Fast.RateLimiting;
using static Gateway.Fast.Tests.RateLimiting.LocalRateLimiterFixedTests;

namespace Gateway.Fast.Tests.RateLimiting;

public sealed class LocalRateLimiterSweepTests
{
    private static readonly RateLimitPolicy TenPerTenSeconds = new(10, 10);

    [Fact]
    public void Sweep_RemovesAKeyOnlyOnceItsNewestWindowEndedTwoIntervalsAgo()
    {
        var time = LimiterClock.Start(5);
        var limiter = new LocalRateLimiter(time);
        limiter.TryAcquire(RateLimitKey.ForGateway("deleted"), TenPerTenSeconds); // window [0, 10)

        time.SetSeconds(29.999);
        Assert.Equal(0, limiter.Sweep());
        Assert.Equal(1, limiter.KeyCount);

        time.SetSeconds(30);
        Assert.Equal(1, limiter.Sweep());
        Assert.Equal(0, limiter.KeyCount);
    }

    [Fact]
    public void Sweep_KeepsKeysUsedRecently()
    {
        var time = LimiterClock.Start(0);
        var limiter = new LocalRateLimiter(time);
        limiter.TryAcquire(RateLimitKey.ForGateway("idle"), TenPerTenSeconds);
        time.SetSeconds(25);
        limiter.TryAcquire(RateLimitKey.ForGateway("busy"), TenPerTenSeconds);

        time.SetSeconds(35);
        Assert.Equal(1, limiter.Sweep());
        Assert.Equal(1, limiter.KeyCount);
        Assert.Equal(10, Admitted(limiter, RateLimitKey.ForGateway("busy"), TenPerTenSeconds, 20)); // [30, 40) is a new window
    }

    [Fact]
    public void Sweep_UsesEachKeysOwnInterval()
    {
        var time = LimiterClock.Start(0);
        var limiter = new LocalRateLimiter(time);
        limiter.TryAcquire(RateLimitKey.ForGateway("short"), new RateLimitPolicy(1, 10));
        limiter.TryAcquire(RateLimitKey.ForGateway("long"), new RateLimitPolicy(1, 3600));

        time.SetSeconds(3600);
        Assert.Equal(1, limiter.Sweep());
        time.SetSeconds(3 * 3600);
        Assert.Equal(1, limiter.Sweep());
        Assert.Equal(0, limiter.KeyCount);
    }

    [Fact]
    public void SweptKey_StartsAFreshCountWhenSeenAgain()
    {
        var time = LimiterClock.Start(0);
        var limiter = new LocalRateLimiter(time);
        var policy = new RateLimitPolicy(10, 10, RateLimitingTechnique.Sliding);
        Assert.Equal(10, Admitted(limiter, RateLimitKey.ForGateway("gw"), policy, 20));

        time.SetSeconds(30);
        Assert.Equal(1, limiter.Sweep());
        Assert.Equal(10, Admitted(limiter, RateLimitKey.ForGateway("gw"), policy, 20));
        Assert.Equal(1, limiter.KeyCount);
    }
}
