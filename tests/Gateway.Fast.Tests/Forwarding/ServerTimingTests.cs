using System.Diagnostics;
using System.Globalization;
using Gateway.Fast.Forwarding;

namespace Gateway.Fast.Tests.Forwarding;

public sealed class ServerTimingTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(499)]
    [InlineData(500)]
    [InlineData(1_000)]
    [InlineData(50_000)]
    [InlineData(1_000_500)]
    [InlineData(1_234_567)]
    [InlineData(12_000_000)]
    [InlineData(999_999_499)]
    [InlineData(999_999_500)]
    [InlineData(3_600_000_000_000)]
    public void WriteMilliseconds_WritesWhatTheThreeDecimalFormatWrites(long nanoseconds)
    {
        long ticks = nanoseconds * Stopwatch.Frequency / 1_000_000_000;
        decimal ms = Math.Round((decimal)ticks * 1000 / Stopwatch.Frequency, 3, MidpointRounding.AwayFromZero);
        Span<char> text = stackalloc char[32];

        int length = ProxyForwarder.WriteMilliseconds(text, ticks);

        Assert.Equal(ms.ToString("0.###", CultureInfo.InvariantCulture), text[..length].ToString());
    }

    [Fact]
    public void WriteMilliseconds_WritesZeroForANegativeSpan()
    {
        Span<char> text = stackalloc char[32];

        int length = ProxyForwarder.WriteMilliseconds(text, -5);

        Assert.Equal("0", text[..length].ToString());
    }
}
