using Gateway.Fast.Hosting;

namespace Gateway.Fast.Tests.Hosting;

/// <summary>When a quiet gateway gives a burst's memory back: quiet, above its idle baseline, spaced, and never in a loop.</summary>
public sealed class IdleMemoryTrimTests
{
    private const long MiB = 1 << 20;

    [Fact]
    public void AQuietPeriodAfterABurst_Trims_AndAgainLaterWhileMemoryIsStillAboveTheBaseline()
    {
        var trim = new IdleMemoryTrim();
        Assert.False(trim.ShouldTrim(completedWorkItems: 0, totalAllocated: 100 * MiB, committed: 100 * MiB)); // baseline

        Assert.False(trim.ShouldTrim(completedWorkItems: 0, totalAllocated: 900 * MiB, committed: 300 * MiB)); // the burst: busy
        Assert.True(trim.ShouldTrim(completedWorkItems: 0, totalAllocated: 901 * MiB, committed: 300 * MiB)); // quiet and grown
        trim.Trimmed(committedBefore: 300 * MiB, committedAfter: 180 * MiB);

        // Idle connections still hold memory: the next trim waits its spacing, then runs.
        Assert.False(trim.ShouldTrim(completedWorkItems: 0, totalAllocated: 902 * MiB, committed: 180 * MiB));
        Assert.False(trim.ShouldTrim(completedWorkItems: 0, totalAllocated: 903 * MiB, committed: 180 * MiB));
        Assert.True(trim.ShouldTrim(completedWorkItems: 0, totalAllocated: 904 * MiB, committed: 180 * MiB));
        trim.Trimmed(committedBefore: 180 * MiB, committedAfter: 105 * MiB);

        for (long a = 905; a < 915; a++)
        {
            Assert.False(trim.ShouldTrim(completedWorkItems: 0, totalAllocated: a * MiB, committed: 105 * MiB)); // back at the baseline
        }
    }

    [Fact]
    public void LiveDataThatGrew_BecomesTheBaseline_SoAQuietGatewayIsNotCollectedInALoop()
    {
        var trim = new IdleMemoryTrim();
        trim.ShouldTrim(completedWorkItems: 0, totalAllocated: 0, committed: 100 * MiB);
        Assert.True(trim.ShouldTrim(completedWorkItems: 0, totalAllocated: MiB, committed: 200 * MiB));
        trim.Trimmed(committedBefore: 200 * MiB, committedAfter: 195 * MiB); // freed almost nothing: it is live

        for (long a = 2; a < 12; a++)
        {
            Assert.False(trim.ShouldTrim(completedWorkItems: 0, totalAllocated: a * MiB, committed: 195 * MiB));
        }
    }

    [Fact]
    public void AGatewayServingSlowly_IsNeverPaused_ThoughItAllocatesLittle()
    {
        // Other processes took the CPU: streams are served, slowly, so the period allocates under QuietBytes, but the
        // thread pool still runs their work. A blocking collection then would stop every open stream.
        var trim = new IdleMemoryTrim();
        trim.ShouldTrim(0, 0, committed: 100 * MiB);

        long workItems = 0;
        for (long period = 1; period <= 10; period++)
        {
            workItems += IdleMemoryTrim.QuietWorkItems;
            Assert.False(trim.ShouldTrim(period * MiB, workItems, committed: 300 * MiB));
        }

        Assert.True(trim.ShouldTrim(11 * MiB, workItems + 10, committed: 300 * MiB)); // it goes quiet: now it trims
    }

    [Fact]
    public void ABusyGateway_IsNeverPaused()
    {
        var trim = new IdleMemoryTrim();
        trim.ShouldTrim(completedWorkItems: 0, totalAllocated: 0, committed: 100 * MiB);

        long allocated = 0;
        for (int period = 0; period < 10; period++)
        {
            allocated += IdleMemoryTrim.QuietBytes;
            Assert.False(trim.ShouldTrim(allocated, 0, committed: 500 * MiB));
        }
    }
}
