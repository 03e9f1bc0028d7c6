using Gateway.Fast.Logging;

namespace Gateway.Fast.Tests.Logging;

/// <summary>The sizes encoded rows are rented in: a stream's row is not rounded up to the next power of two.</summary>
public sealed class LogBufferPoolTests
{
    [Theory]
    [InlineData(1, 1024)]
    [InlineData(1024, 1024)]
    [InlineData(1025, 2048)]
    [InlineData(3000, 4096)]
    [InlineData(5000, 8192)]
    [InlineData(8193, 12 * 1024)]
    [InlineData(12 * 1024, 12 * 1024)]
    [InlineData(13_000, 16 * 1024)]
    [InlineData(17_000, 24 * 1024)] // a stream's row of about 16 KB of events: 24 KiB, not 32
    [InlineData(30_000, 32 * 1024)]
    [InlineData(40_000, 48 * 1024)]
    [InlineData(60_000, 64 * 1024)]
    public void Rent_GivesTheSmallestSizeThatHoldsTheRow(int needed, int expected)
    {
        var array = LogBufferPool.Rent(needed);
        Assert.Equal(expected, array.Length);
        LogBufferPool.Return(array);
    }

    [Fact]
    public void ARowPastTheLargestSize_ComesFromTheSharedPool()
    {
        var array = LogBufferPool.Rent(100_000);
        Assert.True(array.Length >= 100_000);
        LogBufferPool.Return(array);
    }

    [Fact]
    public void AnArrayOfAnotherLength_IsNotRentedAgain()
    {
        LogBufferPool.Return(new byte[20_000]); // not a pool size: left to the GC

        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(24 * 1024, LogBufferPool.Rent(20_000).Length);
        }
    }
}
