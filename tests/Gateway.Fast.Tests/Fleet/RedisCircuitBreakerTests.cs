using Gateway.Fast.Fleet;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Fast.Tests.Fleet;

public sealed class RedisCircuitBreakerTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void OpensAfterTheThreshold_AndRefusesCallsForThePeriod()
    {
        var breaker = new RedisCircuitBreaker(_time, failures: 3, TimeSpan.FromSeconds(2));
        breaker.Failure();
        breaker.Failure();
        Assert.True(breaker.TryEnter());
        breaker.Failure();

        Assert.True(breaker.IsOpen);
        Assert.False(breaker.TryEnter());
        _time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.False(breaker.TryEnter());
    }

    [Fact]
    public void AfterThePeriod_LetsExactlyOneProbeThrough_AndItsSuccessCloses()
    {
        var breaker = new RedisCircuitBreaker(_time, failures: 1, TimeSpan.FromSeconds(2));
        breaker.Failure();
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.True(breaker.TryEnter());
        Assert.False(breaker.TryEnter());
        breaker.Success();

        Assert.False(breaker.Tripped);
        Assert.True(breaker.TryEnter());
        Assert.True(breaker.TryEnter());
    }

    [Fact]
    public void AFailedProbe_OpensForAnotherPeriod()
    {
        var breaker = new RedisCircuitBreaker(_time, failures: 3, TimeSpan.FromSeconds(2));
        breaker.Trip();
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(breaker.TryEnter());
        breaker.Failure();

        Assert.True(breaker.IsOpen);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(breaker.TryEnter());
    }

    [Fact]
    public void AProbeThatNeverReports_OnlyDelaysTheNextProbeByOnePeriod()
    {
        var breaker = new RedisCircuitBreaker(_time, failures: 1, TimeSpan.FromSeconds(2));
        breaker.Failure();
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(breaker.TryEnter()); // this caller gives up without reporting

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(breaker.TryEnter());
    }

    [Fact]
    public void ASuccessResetsTheCountOfFailuresInARow()
    {
        var breaker = new RedisCircuitBreaker(_time, failures: 2, TimeSpan.FromSeconds(2));
        breaker.Failure();
        breaker.Success();
        breaker.Failure();

        Assert.False(breaker.Tripped);
    }
}
