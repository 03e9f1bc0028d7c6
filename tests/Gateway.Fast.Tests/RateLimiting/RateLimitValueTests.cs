using Gateway.Fast.Configuration;
using Gateway.Fast.RateLimiting;

namespace Gateway.Fast.Tests.RateLimiting;

public sealed class RateLimitValueTests
{
    private static GatewaySettings Settings(int? limit, int? interval, RateLimitingTechnique? technique = null) => new()
    {
        Id = "gw",
        RateLimitingLimit = limit,
        RateLimitingInterval = interval,
        RateLimitingTechnique = technique,
    };

    [Theory]
    [InlineData(null, null)]
    [InlineData(0, 0)]
    [InlineData(10, 0)]
    [InlineData(0, 60)]
    [InlineData(10, null)]
    [InlineData(null, 60)]
    [InlineData(-1, 60)]
    public void TryGetPolicy_IsOffUnlessLimitAndIntervalAreBothPositive(int? limit, int? interval)
    {
        Assert.False(RateLimitPolicy.TryGetPolicy(Settings(limit, interval, RateLimitingTechnique.Sliding), out var policy));
        Assert.Equal(default, policy);
        Assert.False(policy.IsEnabled);
    }

    [Fact]
    public void TryGetPolicy_WithoutTechnique_IsFixed()
    {
        Assert.True(RateLimitPolicy.TryGetPolicy(Settings(10, 60), out var policy));
        Assert.Equal(new RateLimitPolicy(10, 60, RateLimitingTechnique.Fixed), policy);
        Assert.Equal(TimeSpan.FromMinutes(1), policy.Interval);
    }

    [Fact]
    public void TryGetPolicy_KeepsTheSlidingTechnique()
    {
        Assert.True(RateLimitPolicy.TryGetPolicy(Settings(5, 1, RateLimitingTechnique.Sliding), out var policy));
        Assert.Equal((5, 1, RateLimitingTechnique.Sliding), (policy.Limit, policy.IntervalSeconds, policy.Technique));
    }

    [Fact]
    public void DefaultGatewaySettings_HaveNoPolicy()
    {
        Assert.False(RateLimitPolicy.TryGetPolicy(GatewaySettings.CreateDefault(), out _));
    }

    [Theory]
    [InlineData(0L, 1)]
    [InlineData(1L, 1)]
    [InlineData(TimeSpan.TicksPerSecond, 1)]
    [InlineData(TimeSpan.TicksPerSecond + 1, 2)]
    [InlineData(59 * TimeSpan.TicksPerSecond + 1, 60)]
    [InlineData(60 * TimeSpan.TicksPerSecond, 60)]
    public void Deny_RoundsTheWaitUpToWholeSecondsAndAtLeastOne(long waitTicks, int seconds)
    {
        var decision = RateLimitDecision.Deny(TimeSpan.FromTicks(waitTicks));

        Assert.False(decision.Allowed);
        Assert.Equal(seconds, decision.RetryAfterSeconds);
    }

    [Fact]
    public void Keys_AreEqualByScopeAndIdsNotByStringInstance()
    {
        var a = RateLimitKey.ForTeam("gw", "team");
        var b = RateLimitKey.ForTeam(new string("gw".AsSpan()), new string("team".AsSpan()));

        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, RateLimitKey.ForApiKey("gw", "team"));
        Assert.NotEqual(a, RateLimitKey.ForGateway("gw"));
        Assert.NotEqual(RateLimitKey.ForGateway("gw"), RateLimitKey.ForGateway("gw2"));
        Assert.Equal("team:gw/team", a.ToString());
    }

    [Fact]
    public void Policy_RejectsNonPositiveNumbers()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RateLimitPolicy(0, 60));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RateLimitPolicy(10, -1));
    }
}
