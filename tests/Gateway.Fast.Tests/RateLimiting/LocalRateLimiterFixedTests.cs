using Gateway.Fast.Configuration;
using Gateway.Fast.RateLimiting;

namespace Gateway.Fast.Tests.RateLimiting;

public sealed class LocalRateLimiterFixedTests
{
    private static readonly RateLimitKey Gateway = RateLimitKey.ForGateway("gw");

    internal static int Admitted(LocalRateLimiter limiter, RateLimitKey key, RateLimitPolicy policy, int calls)
    {
        int admitted = 0;
        for (int i = 0; i < calls; i++)
        {
            if (limiter.TryAcquire(key, policy).Allowed)
            {
                admitted++;
            }
        }

        return admitted;
    }

    [Fact]
    public void Fixed_AdmitsExactlyTheLimitPerWindow()
    {
        var time = LimiterClock.Start(5);
        var limiter = new LocalRateLimiter(time);
        var policy = new RateLimitPolicy(3, 60, RateLimitingTechnique.Fixed);

        Assert.Equal(3, Admitted(limiter, Gateway, policy, 10));
        time.SetSeconds(59.999);
        Assert.Equal(0, Admitted(limiter, Gateway, policy, 10));
    }

    [Fact]
    public void Fixed_ResetsAtTheWindowBoundary()
    {
        var time = LimiterClock.Start(0);
        var limiter = new LocalRateLimiter(time);
        var policy = new RateLimitPolicy(3, 60);

        Assert.Equal(3, Admitted(limiter, Gateway, policy, 10));
        time.SetSeconds(60);
        Assert.Equal(3, Admitted(limiter, Gateway, policy, 10));
        time.SetSeconds(125);
        Assert.Equal(3, Admitted(limiter, Gateway, policy, 10));
    }

    [Fact]
    public void Fixed_WindowsAreClockAlignedNotStartedByTheFirstRequest()
    {
        var time = LimiterClock.Start(50);
        var limiter = new LocalRateLimiter(time);
        var policy = new RateLimitPolicy(3, 60);

        Assert.Equal(3, Admitted(limiter, Gateway, policy, 10));
        time.SetSeconds(60); // ten seconds later, but a new clock window
        Assert.Equal(3, Admitted(limiter, Gateway, policy, 10));
    }

    [Theory]
    [InlineData(0.0, 60)]
    [InlineData(0.25, 60)] // 59.75 s rounds up
    [InlineData(10.0, 50)]
    [InlineData(58.0, 2)]
    [InlineData(59.5, 1)]
    [InlineData(59.9999, 1)]
    public void Fixed_RetryAfter_IsTheTimeToTheWindowEndInWholeSecondsRoundedUp(double deniedAt, int retryAfter)
    {
        var time = LimiterClock.Start(0);
        var limiter = new LocalRateLimiter(time);
        var policy = new RateLimitPolicy(1, 60);
        Assert.True(limiter.TryAcquire(Gateway, policy).Allowed);

        time.SetSeconds(deniedAt);
        var decision = limiter.TryAcquire(Gateway, policy);

        Assert.False(decision.Allowed);
        Assert.Equal(retryAfter, decision.RetryAfterSeconds);
        Assert.Equal(TimeSpan.FromSeconds(retryAfter), decision.RetryAfter);
    }

    [Fact]
    public void Allowed_HasNoRetryAfter()
    {
        var limiter = new LocalRateLimiter(LimiterClock.Start());
        var decision = limiter.TryAcquire(Gateway, new RateLimitPolicy(1, 60));

        Assert.True(decision.Allowed);
        Assert.Equal(0, decision.RetryAfterSeconds);
        Assert.Equal(TimeSpan.Zero, decision.RetryAfter);
    }

    [Fact]
    public void DisabledPolicy_AdmitsEverythingAndTracksNoKey()
    {
        var limiter = new LocalRateLimiter(LimiterClock.Start());

        Assert.Equal(1000, Admitted(limiter, Gateway, default, 1000));
        Assert.Equal(0, limiter.KeyCount);
    }

    [Fact]
    public void DifferentKeys_AreCountedIndependently()
    {
        var limiter = new LocalRateLimiter(LimiterClock.Start());
        var policy = new RateLimitPolicy(2, 60);

        Assert.Equal(2, Admitted(limiter, RateLimitKey.ForGateway("a"), policy, 5));
        Assert.Equal(2, Admitted(limiter, RateLimitKey.ForGateway("b"), policy, 5));
        Assert.Equal(2, Admitted(limiter, RateLimitKey.ForTeam("a", "team-1"), policy, 5));
        Assert.Equal(2, Admitted(limiter, RateLimitKey.ForApiKey("a", "team-1"), policy, 5));
        Assert.Equal(0, Admitted(limiter, RateLimitKey.ForGateway("a"), policy, 5));
        Assert.Equal(4, limiter.KeyCount);
    }

    [Fact]
    public void EqualKeysBuiltFromDifferentStrings_ShareOneCounter()
    {
        var limiter = new LocalRateLimiter(LimiterClock.Start());
        var policy = new RateLimitPolicy(2, 60);

        Assert.Equal(2, Admitted(limiter, RateLimitKey.ForGateway(new string("gw".AsSpan())), policy, 5));
        Assert.Equal(0, Admitted(limiter, RateLimitKey.ForGateway(new string("gw".AsSpan())), policy, 5));
        Assert.Equal(1, limiter.KeyCount);
    }

    [Theory]
    [InlineData(RateLimitingTechnique.Fixed)]
    [InlineData(RateLimitingTechnique.Sliding)]
    public void OnTheSystemClock_AdmitsTheLimitAndDeniesWithARetryAfterInsideTheInterval(RateLimitingTechnique technique)
    {
        var limiter = new LocalRateLimiter(TimeProvider.System); // the coarse clock path; a day-long window makes a boundary mid-test unlikely
        var policy = new RateLimitPolicy(5, 86_400, technique);

        Assert.Equal(5, Admitted(limiter, Gateway, policy, 5));
        var decision = limiter.TryAcquire(Gateway, policy);

        Assert.False(decision.Allowed);
        Assert.InRange(decision.RetryAfterSeconds, 1, 2 * 86_400);
    }
}
