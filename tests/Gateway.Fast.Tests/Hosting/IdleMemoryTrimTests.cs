using Gateway.Fast.Hosting;

namespace Gateway.Fast.Tests.Hosting;

/// <summary>When a quiet gateway gives a burst's memory back: quiet, grown since the last trim, and only once per growth.</summary>
public sealed class IdleMemoryTrimTests
{
    private const long MiB = 1 << 20;

    [Fact]
    public void AQuietPeriodAfterGrowth_Trims_OnceUntilItGrowsAgain()
    {
        var trim = new IdleMemoryTrim();
        Assert.False(trim.ShouldTrim(totalAllocated: 100 * MiB, committed: 100 * MiB)); // baseline

        Assert.False(trim.ShouldTrim(totalAllocated: 900 * MiB, committed: 300 * MiB)); // the burst: busy
        Assert.True(trim.ShouldTrim(totalAllocated: 901 * MiB, committed: 300 * MiB)); // quiet and grown
        trim.Trimmed(committed: 110 * MiB);

        Assert.False(trim.ShouldTrim(totalAllocated: 902 * MiB, committed: 110 * MiB)); // nothing left to give back
        Assert.False(trim.ShouldTrim(totalAllocated: 903 * MiB, committed: 120 * MiB)); // grown less than 20 %
        Assert.True(trim.ShouldTrim(totalAllocated: 904 * MiB, committed: 140 * MiB));
    }

    [Fact]
    public void ABusyGateway_IsNeverPaused()
    {
        var trim = new IdleMemoryTrim();
        trim.ShouldTrim(totalAllocated: 0, committed: 100 * MiB);

        long allocated = 0;
        for (int period = 0; period < 10; period++)
        {
            allocated += IdleMemoryTrim.QuietBytes;
            Assert.False(trim.ShouldTrim(allocated, committed: 500 * MiB));
        }
    }
}
