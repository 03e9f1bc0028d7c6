using Gateway.Fast.Configuration;
using Gateway.Fast.RateLimiting;
using static Gateway.Fast.Tests.RateLimiting.LocalRateLimiterFixedTests;

namespace Gateway.Fast.Tests.RateLimiting;

/// <summary>Many threads released together against one key at a frozen fake time must admit exactly the limit.</summary>
public sealed class LocalRateLimiterConcurrencyTests
{
    private const int Threads = 16;
    private const int CallsPerThread = 10_000;

    /// <summary>Runs <paramref name="calls"/> on <see cref="Threads"/> threads that start together; returns the total admitted.</summary>
    private static int AdmittedConcurrently(LocalRateLimiter limiter, Func<int, RateLimitKey> keyOf, RateLimitPolicy policy, int calls = CallsPerThread)
    {
        using var start = new Barrier(Threads);
        int admitted = 0;
        var threads = new Thread[Threads];
        for (int t = 0; t < Threads; t++)
        {
            var key = keyOf(t);
            threads[t] = new Thread(() =>
            {
                start.SignalAndWait();
                int mine = Admitted(limiter, key, policy, calls);
                Interlocked.Add(ref admitted, mine);
            });
            threads[t].Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        return admitted;
    }

    [Theory]
    [InlineData(RateLimitingTechnique.Fixed, 1)]
    [InlineData(RateLimitingTechnique.Fixed, 1_000)]
    [InlineData(RateLimitingTechnique.Fixed, 100_000)]
    [InlineData(RateLimitingTechnique.Sliding, 1)]
    [InlineData(RateLimitingTechnique.Sliding, 1_000)]
    [InlineData(RateLimitingTechnique.Sliding, 100_000)]
    public void ConcurrentCallersOnOneKey_AdmitExactlyTheLimit(RateLimitingTechnique technique, int limit)
    {
        var limiter = new LocalRateLimiter(LimiterClock.Start(3));
        var policy = new RateLimitPolicy(limit, 60, technique);

        Assert.Equal(limit, AdmittedConcurrently(limiter, _ => RateLimitKey.ForGateway("gw"), policy));
    }

    [Fact]
    public void ConcurrentCallersOnOneKey_AdmitExactlyTheSlidingRemainderWhenThePreviousWindowWeighs()
    {
        var time = LimiterClock.Start(0);
        var limiter = new LocalRateLimiter(time);
        var policy = new RateLimitPolicy(1_000, 10, RateLimitingTechnique.Sliding);
        var key = RateLimitKey.ForGateway("gw");
        Assert.Equal(1_000, Admitted(limiter, key, policy, 2_000));

        time.SetSeconds(12.5); // 1000 × 3/4 = 750 weighs → 250 left
        Assert.Equal(250, AdmittedConcurrently(limiter, _ => key, policy));
    }

    [Fact]
    public void ConcurrentCallersOnTheirOwnKeys_EachGetTheWholeLimit()
    {
        var limiter = new LocalRateLimiter(LimiterClock.Start(3));
        var policy = new RateLimitPolicy(500, 60, RateLimitingTechnique.Sliding);

        Assert.Equal(Threads * 500, AdmittedConcurrently(limiter, t => RateLimitKey.ForTeam("gw", "team-" + t), policy));
        Assert.Equal(Threads, limiter.KeyCount);
    }

    [Theory]
    [InlineData(RateLimitingTechnique.Fixed)]
    [InlineData(RateLimitingTechnique.Sliding)]
    public void SweepRacingConcurrentCallers_NeverLetsAnyOfThemCountIntoARemovedState(RateLimitingTechnique technique)
    {
        var time = LimiterClock.Start(0);
        var limiter = new LocalRateLimiter(time);
        var policy = new RateLimitPolicy(100, 10, technique);
        var key = RateLimitKey.ForGateway("gw");

        for (int round = 1; round <= 20; round++)
        {
            time.SetSeconds(round * 30); // the key is idle: its newest window ended two intervals ago
            using var done = new CancellationTokenSource();
            var sweeper = new Thread(() =>
            {
                while (!done.IsCancellationRequested)
                {
                    limiter.Sweep();
                }
            });
            sweeper.Start();

            int admitted = AdmittedConcurrently(limiter, _ => key, policy, calls: 1_000);
            done.Cancel();
            sweeper.Join();

            Assert.Equal(100, admitted);
        }
    }
}
