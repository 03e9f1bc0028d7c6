using System.Runtime.CompilerServices;
using Gateway.Fast.Accounting;
using Gateway.Fast.Tests.Logging;

namespace Gateway.Fast.Tests.Accounting;

/// <summary>
/// The token counter's tables are let go once unused, and then really freed: loaded through the library's model-name
/// factory they stayed in its static cache. Alone, after the parallel tests: another test counting meanwhile would hold
/// the tokenizer or load it again.
/// </summary>
[Collection(HeapMeasuringCollection.Name)]
public sealed class TokenizerReleaseTests
{
    [Fact]
    public async Task AUsedTokenizer_IsKept()
    {
        await TokenEstimator.WhenLoaded;
        Assert.True(TokenEstimator.Count("Hello there") > 0);

        Assert.False(TokenEstimator.ReleaseIfIdle(TimeSpan.FromHours(1)));
        Assert.True(TokenEstimator.IsLoaded);
    }

    [Fact]
    public async Task AnIdleTokenizer_IsLetGo_Collected_AndLoadedAgainWithTheSameCounts()
    {
        var (released, before) = LoadAndCount();

        Assert.True(TokenEstimator.ReleaseIfIdle(TimeSpan.Zero));
        Assert.False(TokenEstimator.IsLoaded);
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        Assert.False(released.IsAlive); // nothing else (a library cache) holds its tables

        await TokenEstimator.WhenLoaded;
        Assert.True(TokenEstimator.IsLoaded);
        Assert.Equal(before, TokenEstimator.Count("Say hello to the world."));
    }

    [Fact]
    public async Task ATokenizerLetGo_IsNotLetGoTwice()
    {
        await TokenEstimator.WhenLoaded;
        Assert.True(TokenEstimator.ReleaseIfIdle(TimeSpan.Zero));
        Assert.False(TokenEstimator.ReleaseIfIdle(TimeSpan.Zero));
    }

    // Not inlined, and no await in the test before the collection: a frame (or an awaiter kept in one) that still held
    // the tokenizer or its loading task would keep it alive.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Tokenizer, int Count) LoadAndCount()
    {
        TokenEstimator.WhenLoaded.GetAwaiter().GetResult();
        return (new WeakReference(TokenEstimator.Tokenizer), TokenEstimator.Count("Say hello to the world."));
    }
}
