using Microsoft.Extensions.Time.Testing;

namespace Gateway.Fast.Tests.RateLimiting;

/// <summary>A fake clock set relative to <see cref="T0"/>, a second that starts a window of every interval the tests use.</summary>
internal static class LimiterClock
{
    /// <summary>2025-01-01T00:00:00Z = unix 1,735,689,600, a multiple of 10, 60 and 3,600 seconds.</summary>
    public static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Start(double secondsAfterT0 = 0) => new(T0 + TimeSpan.FromSeconds(secondsAfterT0));

    public static void SetSeconds(this FakeTimeProvider time, double secondsAfterT0)
        => time.SetUtcNow(T0 + TimeSpan.FromSeconds(secondsAfterT0));
}
