using Gateway.Fast.Configuration;
using Gateway.Fast.RateLimiting;
using static Gateway.Fast.Tests.RateLimiting.LocalRateLimiterFixedTests;

namespace Gateway.Fast.Tests.RateLimiting;

public sealed class LocalRateLimiterPolicyChangeTests
{
    private static readonly RateLimitKey Gateway = RateLimitKey.ForGateway("gw");

    [Fact]
    public void RaisedLimit_AdmitsTheDifferenceOnTheNextCall()
    {
        var limiter = new LocalRateLimiter(LimiterClock.Start());
        Assert.Equal(5, Admitted(limiter, Gateway, new RateLimitPolicy(5, 60), 10));

        Assert.Equal(3, Admitted(limiter, Gateway, new RateLimitPolicy(8, 60), 10));
    }

    [Fact]
    public void LoweredLimit_DeniesOnTheNextCall()
    {
        var limiter = new LocalRateLimiter(LimiterClock.Start());
        Assert.Equal(3, Admitted(limiter, Gateway, new RateLimitPolicy(10, 60), 3));

        Assert.Equal(0, Admitted(limiter, Gateway, new RateLimitPolicy(2, 60), 10));
        Assert.Equal(2, Admitted(limiter, Gateway, new RateLimitPolicy(5, 60), 10));
    }

    [Fact]
    public void SwitchingFixedToSliding_KeepsTheCounts()
    {
        var time = LimiterClock.Start(0);
        var limiter = new LocalRateLimiter(time);
        Assert.Equal(10, Admitted(limiter, Gateway, new RateLimitPolicy(10, 10, RateLimitingTechnique.Fixed), 20));

        time.SetSeconds(15); // fixed would admit 10 here; sliding weighs the previous window's 10 by ½
        Assert.Equal(5, Admitted(limiter, Gateway, new RateLimitPolicy(10, 10, RateLimitingTechnique.Sliding), 20));
    }

    [Fact]
    public void ChangedInterval_CountsInTheNewIntervalsWindows()
    {
        var time = LimiterClock.Start(0);
        var limiter = new LocalRateLimiter(time);
        Assert.Equal(3, Admitted(limiter, Gateway, new RateLimitPolicy(3, 60), 10));

        time.SetSeconds(10); // 10-second windows: [10, 20) is new
        Assert.Equal(3, Admitted(limiter, Gateway, new RateLimitPolicy(3, 10), 10));
        Assert.Equal(0, Admitted(limiter, Gateway, new RateLimitPolicy(3, 10), 10));
    }

    [Fact]
    public void TurningLimitingOff_AdmitsAndTurningItBackOn_KeepsTheWindowsCount()
    {
        var limiter = new LocalRateLimiter(LimiterClock.Start());
        Assert.Equal(2, Admitted(limiter, Gateway, new RateLimitPolicy(2, 60), 5));

        Assert.Equal(5, Admitted(limiter, Gateway, default, 5));
        Assert.Equal(0, Admitted(limiter, Gateway, new RateLimitPolicy(2, 60), 5));
    }
}
