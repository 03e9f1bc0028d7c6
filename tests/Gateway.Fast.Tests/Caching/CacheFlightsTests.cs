using Gateway.Fast.Caching;

namespace Gateway.Fast.Tests.Caching;

public sealed class CacheFlightsTests
{
    private static readonly CacheKey Key = CacheKey.ForCustomKey("gw", 0, "k");

    [Fact]
    public void TheFirstLeads_TheSecondFindsItsFlight()
    {
        var flights = new CacheFlights();

        Assert.True(flights.TryLead(Key, out var flight, out var none));
        Assert.False(flights.TryLead(Key, out var noFlight, out var inFlight));

        Assert.NotNull(flight);
        Assert.Null(none);
        Assert.Null(noFlight);
        Assert.Same(flight.Task, inFlight);
        Assert.False(inFlight!.IsCompleted);
        Assert.Equal(1, flights.Count);
    }

    [Fact]
    public async Task Land_RemovesTheFlightAndWakesWaitersToLookAgain()
    {
        var flights = new CacheFlights();
        flights.TryLead(Key, out var flight, out _);
        flights.TryLead(Key, out _, out var inFlight);
        var waiter = flights.WaitAsync(inFlight!, CancellationToken.None).AsTask();

        flight!.Land();

        Assert.False(await waiter); // look the key up again
        Assert.Equal(0, flights.Count);
        Assert.Equal(0, flights.Waiting);
        Assert.True(flights.TryLead(Key, out var next, out _)); // a new leader after the first landed
        Assert.NotSame(flight, next);
    }

    [Fact]
    public async Task LandUncacheable_SendsWaitersStraightToTheProvider()
    {
        var flights = new CacheFlights();
        flights.TryLead(Key, out var flight, out _);
        flights.TryLead(Key, out _, out var inFlight);

        flight!.Land(uncacheable: true);
        flight.Land(); // the first call decides

        Assert.True(await flights.WaitAsync(inFlight!, CancellationToken.None));
    }

    [Fact]
    public async Task AWaiterWhoLeaves_StopsWaitingWithoutAnException()
    {
        var flights = new CacheFlights();
        flights.TryLead(Key, out var flight, out _);
        flights.TryLead(Key, out _, out var inFlight);
        using var leave = new CancellationTokenSource();

        var waiter = flights.WaitAsync(inFlight!, leave.Token).AsTask();
        Assert.Equal(1, flights.Waiting);
        await leave.CancelAsync();

        Assert.True(await waiter);
        Assert.Equal(0, flights.Waiting);
        Assert.Equal(1, flights.Count); // the leader is still on its way
        flight!.Land();
    }

    [Fact]
    public void ALandedFlight_DoesNotRemoveTheNextLeadersFlight()
    {
        var flights = new CacheFlights();
        flights.TryLead(Key, out var first, out _);
        first!.Land();
        flights.TryLead(Key, out var second, out _);

        first.Land(); // a late second call of the old leader

        Assert.Equal(1, flights.Count);
        Assert.False(flights.TryLead(Key, out _, out var inFlight));
        Assert.Same(second!.Task, inFlight);
    }
}
