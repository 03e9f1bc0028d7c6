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

        // The quiet spell's fourth period drained the pools (that trim was it); back at the baseline, nothing more.
        for (long a = 905; a < 915; a++)
        {
            Assert.False(trim.ShouldTrim(completedWorkItems: 0, totalAllocated: a * MiB, committed: 105 * MiB));
        }
    }

    [Fact]
    public void AQuietSpell_TrimsOnceMore_AtItsFourthPeriod_WhateverTheGrowth()
    {
        // What a quiet spell lets go of (the token counter's tables, closed upstream connections) is garbage no allocation collects.
        var trim = new IdleMemoryTrim();
        trim.ShouldTrim(0, 0, committed: 100 * MiB);
        Assert.False(trim.ShouldTrim(totalAllocated: 900 * MiB, completedWorkItems: 0, committed: 110 * MiB)); // busy
        Assert.False(trim.Quiet);

        for (int period = 1; period < IdleMemoryTrim.DrainPeriods; period++)
        {
            Assert.False(trim.ShouldTrim(totalAllocated: (900 + period) * MiB, completedWorkItems: 0, committed: 110 * MiB));
            Assert.True(trim.Quiet);
        }

        Assert.True(trim.ShouldTrim(totalAllocated: (900 + IdleMemoryTrim.DrainPeriods) * MiB, completedWorkItems: 0, committed: 110 * MiB));
        trim.Trimmed(committedBefore: 110 * MiB, committedAfter: 104 * MiB);
        for (long a = 910; a < 920; a++)
        {
            Assert.False(trim.ShouldTrim(totalAllocated: a * MiB, completedWorkItems: 0, committed: 104 * MiB));
        }
    }

    [Fact]
    public void TheStartUpsGarbage_IsCollectedAtTheFirstQuietPeriod_UnlessTrafficCameFirst()
    {
        var idle = new IdleMemoryTrim();
        idle.ShouldTrim(0, 0, committed: 100 * MiB); // baseline
        Assert.True(idle.ShouldTrim(MiB, 0, committed: 100 * MiB)); // quiet from the start: not grown, trimmed anyway
        idle.Trimmed(100 * MiB, 96 * MiB);
        Assert.False(idle.ShouldTrim(2 * MiB, 0, committed: 96 * MiB)); // once, not every quiet period

        var served = new IdleMemoryTrim();
        served.ShouldTrim(0, 0, committed: 100 * MiB);
        Assert.False(served.ShouldTrim(900 * MiB, 0, committed: 105 * MiB)); // traffic first
        Assert.False(served.ShouldTrim(901 * MiB, 0, committed: 105 * MiB)); // then quiet, not grown: as before
    }

    [Fact]
    public void SomethingLetGo_IsCollectedAtTheNextQuietSpacedPeriod_WhateverTheGrowth()
    {
        var trim = new IdleMemoryTrim();
        trim.ShouldTrim(0, 0, committed: 100 * MiB);
        for (long a = 1; a <= IdleMemoryTrim.DrainPeriods + 1; a++)
        {
            trim.ShouldTrim(a * MiB, 0, committed: 100 * MiB); // idle; the drain trim comes and goes
            if (a == IdleMemoryTrim.DrainPeriods)
            {
                trim.Trimmed(100 * MiB, 100 * MiB);
            }
        }

        trim.Released(); // the token counter's tables, say
        Assert.False(trim.ShouldTrim(20 * MiB, 0, committed: 100 * MiB)); // still within the spacing
        Assert.True(trim.ShouldTrim(21 * MiB, 0, committed: 100 * MiB));
        trim.Trimmed(100 * MiB, 62 * MiB);

        trim.Released();
        Assert.False(trim.ShouldTrim(22 * MiB, 100 * IdleMemoryTrim.QuietWorkItems, committed: 62 * MiB)); // never while busy
    }

    [Fact]
    public void LiveDataThatGrew_BecomesTheBaseline_SoAQuietGatewayIsNotCollectedInALoop()
    {
        var trim = new IdleMemoryTrim();
        trim.ShouldTrim(completedWorkItems: 0, totalAllocated: 0, committed: 100 * MiB);
        Assert.True(trim.ShouldTrim(completedWorkItems: 0, totalAllocated: MiB, committed: 200 * MiB));
        trim.Trimmed(committedBefore: 200 * MiB, committedAfter: 195 * MiB); // freed almost nothing: it is live

        int trims = 0;
        for (long a = 2; a < 20; a++)
        {
            if (trim.ShouldTrim(completedWorkItems: 0, totalAllocated: a * MiB, committed: 195 * MiB))
            {
                trims++; // the quiet spell's one drain trim (see the next test)
                trim.Trimmed(195 * MiB, 195 * MiB);
            }
        }

        Assert.Equal(1, trims);
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
