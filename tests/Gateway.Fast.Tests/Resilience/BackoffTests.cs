using System.Net.Http.Headers;
using Gateway.Fast.Configuration;
using Gateway.Fast.Resilience;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Fast.Tests.Resilience;

public sealed class BackoffTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Theory]
    [InlineData(RetryBackoff.Constant, 1_000, new[] { 1_000, 1_000, 1_000, 1_000 })]
    [InlineData(RetryBackoff.Linear, 1_000, new[] { 1_000, 2_000, 3_000, 4_000 })]
    [InlineData(RetryBackoff.Exponential, 1_000, new[] { 1_000, 2_000, 4_000, 8_000 })]
    [InlineData(RetryBackoff.Linear, 5_000, new[] { 5_000, 10_000, 15_000, 20_000 })]
    [InlineData(RetryBackoff.Exponential, 5_000, new[] { 5_000, 10_000, 20_000, 30_000 })] // 40 s capped at 30 s
    [InlineData(RetryBackoff.Exponential, 0, new[] { 0, 0, 0, 0 })]
    public void EachMode_GivesTheSpecSequence(RetryBackoff mode, int baseDelay, int[] expected)
    {
        var actual = Enumerable.Range(1, expected.Length).Select(n => Backoff.DelayMs(mode, baseDelay, n)).ToArray();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void HugeRetryNumbers_StayAtTheCapWithoutOverflow()
    {
        Assert.Equal(Backoff.MaxDelayMs, Backoff.DelayMs(RetryBackoff.Exponential, 1, 64));
        Assert.Equal(Backoff.MaxDelayMs, Backoff.DelayMs(RetryBackoff.Linear, 5_000, int.MaxValue));
        Assert.Equal(0, Backoff.DelayMs(RetryBackoff.Constant, 1_000, 0));
    }

    [Fact]
    public void Policy_DelayBeforeRetry_UsesItsOwnModeAndBase()
    {
        var policy = new RequestPolicy(1_000, 4, 250, RetryBackoff.Exponential);
        Assert.Equal(TimeSpan.FromMilliseconds(1_000), policy.DelayBeforeRetry(3));
    }

    [Theory]
    [InlineData(429, 3, 3_000)]  // longer than the backoff: honoured
    [InlineData(503, 3, 3_000)]
    [InlineData(429, 1, 2_000)]  // shorter: the backoff stands
    [InlineData(429, 3_600, 30_000)] // an hour: capped
    [InlineData(500, 3, 2_000)]  // only 429 and 503 carry a meaningful Retry-After
    [InlineData(0, 3, 2_000)]    // no status (network error)
    public void RetryAfterSeconds_LengthenTheWaitUpToTheCap(int status, int seconds, int expectedMs)
    {
        var policy = new RequestPolicy(1_000, 3, 2_000, RetryBackoff.Constant);
        var delay = Backoff.NextDelay(policy, 1, status, new RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds)), Now);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), delay);
    }

    [Fact]
    public void RetryAfterDate_IsMeasuredFromTheInjectedClock()
    {
        var policy = new RequestPolicy(1_000, 3, 0, RetryBackoff.Constant);
        Assert.Equal(TimeSpan.FromSeconds(7), Backoff.NextDelay(policy, 1, 429, new RetryConditionHeaderValue(Now.AddSeconds(7)), Now));
        Assert.Equal(TimeSpan.Zero, Backoff.NextDelay(policy, 1, 429, new RetryConditionHeaderValue(Now.AddSeconds(-7)), Now));
        Assert.Equal(TimeSpan.Zero, Backoff.NextDelay(policy, 1, 429, null, Now));
    }

    [Theory]
    [InlineData("5", 5_000)]
    [InlineData(" 0 ", 0)]
    [InlineData("120", 30_000)]
    [InlineData("99999999999999", 30_000)]
    [InlineData("Thu, 02 Jan 2025 03:04:15 GMT", 10_000)]
    [InlineData("Thu, 02 Jan 2025 03:00:00 GMT", 0)]
    public void RetryAfterText_ParsesSecondsAndHttpDates(string text, int expectedMs)
    {
        Assert.True(Backoff.TryRetryAfterMs(text, Now, out int ms));
        Assert.Equal(expectedMs, ms);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("soon")]
    [InlineData("1.5")]
    public void RetryAfterText_RejectsGarbage(string text)
    {
        Assert.False(Backoff.TryRetryAfterMs(text, Now, out _));
    }

    [Fact]
    public async Task Wait_CompletesOnlyWhenTheFakeClockPassesTheDelay()
    {
        var time = new FakeTimeProvider(Now);
        var wait = Backoff.WaitAsync(TimeSpan.FromMilliseconds(1_000), time, CancellationToken.None);

        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(wait.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Wait_EndsAsCancelledWhenTheClientLeaves()
    {
        var time = new FakeTimeProvider(Now);
        using var cts = new CancellationTokenSource();
        var wait = Backoff.WaitAsync(TimeSpan.FromSeconds(5), time, cts.Token);

        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void ZeroWait_IsAlreadyComplete()
    {
        var wait = Backoff.WaitAsync(TimeSpan.Zero, new FakeTimeProvider(Now), CancellationToken.None);
        Assert.True(wait.IsCompletedSuccessfully);
    }
}
