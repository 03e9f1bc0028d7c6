using Gateway.Fast.Configuration;
using Gateway.Fast.RateLimiting;
using static Gateway.Fast.Tests.RateLimiting.LocalRateLimiterFixedTests;

namespace Gateway.Fast.Tests.RateLimiting;

/// <summary>The sliding-window counter: current + previous · (remaining fraction of this window) &lt; limit.</summary>
public sealed class LocalRateLimiterSlidingTests
{
    private static readonly RateLimitKey Gateway = RateLimitKey.ForGateway("gw");
    private static readonly RateLimitPolicy TenPerTenSeconds = new(10, 10, RateLimitingTechnique.Sliding);

    [Fact]
    public void Sliding_AdmitsTheLimitInAFirstWindow()
    {
        var time = LimiterClock.Start(3);
        var limiter = new LocalRateLimiter(time);

        Assert.Equal(10, Admitted(limiter, Gateway, TenPerTenSeconds, 20));
    }

    [Fact]
    public void Sliding_WeighsThePreviousWindowByTheRemainingFraction()
    {
        var time = LimiterClock.Start(0);
        var limiter = new LocalRateLimiter(time);
        Assert.Equal(10, Admitted(limiter, Gateway, TenPerTenSeconds, 20)); // window [0, 10): 10

        time.SetSeconds(15); // previous 10 × ½ = 5 → 5 more (0+5 … 4+5 < 10)
        Assert.Equal(5, Admitted(limiter, Gateway, TenPerTenSeconds, 20));

        time.SetSeconds(17.5); // 5 + 10 × ¼ = 7.5 → 3 more (7.5, 8.5, 9.5)
        Assert.Equal(3, Admitted(limiter, Gateway, TenPerTenSeconds, 20));

        time.SetSeconds(20); // window [10, 20) counted 8, weighs 8 at its end → 2
        Assert.Equal(2, Admitted(limiter, Gateway, TenPerTenSeconds, 20));

        time.SetSeconds(40); // [30, 40) was empty, so [20, 30) no longer weighs → the full limit
        Assert.Equal(10, Admitted(limiter, Gateway, TenPerTenSeconds, 20));
    }

    [Fact]
    public void Sliding_AtTheExactStartOfAWindow_AFullPreviousWindowStillDeniesEverything()
    {
        var time = LimiterClock.Start(9);
        var limiter = new LocalRateLimiter(time);
        Assert.Equal(10, Admitted(limiter, Gateway, TenPerTenSeconds, 10));

        time.SetSeconds(10); // previous weighs 10 × 10/10: a fixed window would admit 10 more here
        Assert.Equal(0, Admitted(limiter, Gateway, TenPerTenSeconds, 10));
        time.SetSeconds(11); // 10 × 9/10 = 9 → 1
        Assert.Equal(1, Admitted(limiter, Gateway, TenPerTenSeconds, 10));
    }

    [Fact]
    public void Sliding_NeverAdmitsMoreThanTheLimitInAnyAlignedWindow()
    {
        var time = LimiterClock.Start(0);
        var limiter = new LocalRateLimiter(time);
        var perWindow = new int[12];

        for (int tenths = 0; tenths < 1200; tenths += 7) // a burst every 0.7 s over twelve 10-second windows
        {
            time.SetSeconds(tenths / 10.0);
            perWindow[tenths / 100] += Admitted(limiter, Gateway, TenPerTenSeconds, 4);
        }

        Assert.All(perWindow, admitted => Assert.InRange(admitted, 1, 10));
    }

    [Fact]
    public void Sliding_RetryAfter_WhenTheWindowIsFull_ReachesIntoTheNextWindow()
    {
        var time = LimiterClock.Start(0);
        var limiter = new LocalRateLimiter(time);
        Assert.Equal(10, Admitted(limiter, Gateway, TenPerTenSeconds, 10));

        var decision = limiter.TryAcquire(Gateway, TenPerTenSeconds);

        // At 10 s the full window still weighs 10 (denied); any instant after it weighs less, so 11 whole seconds.
        Assert.False(decision.Allowed);
        Assert.Equal(11, decision.RetryAfterSeconds);
        time.SetSeconds(10);
        Assert.False(limiter.TryAcquire(Gateway, TenPerTenSeconds).Allowed);
        time.SetSeconds(11);
        Assert.True(limiter.TryAcquire(Gateway, TenPerTenSeconds).Allowed);
    }

    [Fact]
    public void Sliding_RetryAfter_IsWhenTheWeightedCountDropsBelowTheLimit()
    {
        var time = LimiterClock.Start(0);
        var limiter = new LocalRateLimiter(time);
        var policy = new RateLimitPolicy(3, 60, RateLimitingTechnique.Sliding);
        Assert.Equal(2, Admitted(limiter, Gateway, policy, 2)); // window [0, 60): 2

        time.SetSeconds(75); // e = 15: 2 × 45/60 = 1.5 → admits 2 (1.5, 2.5), denies at 3.5
        Assert.Equal(2, Admitted(limiter, Gateway, policy, 2));
        var decision = limiter.TryAcquire(Gateway, policy);

        // 2 + 2 × (60 − e)/60 < 3 ⇔ e > 30: fifteen seconds and a tick from now → 16.
        Assert.False(decision.Allowed);
        Assert.Equal(16, decision.RetryAfterSeconds);
        time.SetSeconds(90);
        Assert.False(limiter.TryAcquire(Gateway, policy).Allowed);
        time.SetSeconds(91);
        Assert.True(limiter.TryAcquire(Gateway, policy).Allowed);
    }
}
