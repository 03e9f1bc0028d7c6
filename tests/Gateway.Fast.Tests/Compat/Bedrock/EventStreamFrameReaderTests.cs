using System.Text;
using Gateway.Fast.Compat.Bedrock;

namespace Gateway.Fast.Tests.Compat.Bedrock;

/// <summary>The event-stream frame reader and its CRC-32 on their own.</summary>
public sealed class EventStreamFrameReaderTests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("123456789", 0xCBF43926u)] // the CRC-32/ISO-HDLC check value
    [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
    public void Crc32_MatchesTheStandardCheckValues(string text, uint expected)
        => Assert.Equal(expected, EventStreamCrc32.Compute(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void EveryPrefixOfAFrame_WaitsForMoreThenYieldsTheFrame()
    {
        byte[] frame = BedrockTestData.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hi"}}""");
        for (int cut = 0; cut < frame.Length; cut++)
        {
            using var reader = new EventStreamFrameReader();
            reader.Append(frame.AsSpan(0, cut));
            Assert.Equal(EventStreamReadResult.NeedMoreData, reader.TryRead(out _));
            reader.Append(frame.AsSpan(cut));
            Assert.Equal(EventStreamReadResult.Frame, reader.TryRead(out var decoded));
            Assert.Equal("contentBlockDelta", Encoding.UTF8.GetString(decoded.EventType));
            Assert.Equal("event", Encoding.UTF8.GetString(decoded.MessageType));
            Assert.Equal("""{"contentBlockIndex":0,"delta":{"text":"Hi"}}""", Encoding.UTF8.GetString(decoded.Payload));
            Assert.Equal(0, reader.Buffered);
        }
    }

    [Fact]
    public void ABadPreludeChecksum_IsCorruptBeforeTheRestArrives()
    {
        byte[] frame = BedrockTestData.Event("messageStart", """{"role":"assistant"}""");
        frame[9] ^= 1;
        using var reader = new EventStreamFrameReader();
        reader.Append(frame.AsSpan(0, 12));

        Assert.Equal(EventStreamReadResult.Corrupt, reader.TryRead(out _));
    }
}
