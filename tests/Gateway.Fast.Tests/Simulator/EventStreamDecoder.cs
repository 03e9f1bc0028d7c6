using System.Buffers.Binary;
using System.Text;
using Gateway.Fast.Simulator;

using Xunit;

namespace Gateway.Fast.Tests.Simulator;

/// <summary>Test-side AWS event-stream decoder that checks both CRCs of every frame.</summary>
internal static class EventStreamDecoder
{
    public sealed record Frame(Dictionary<string, string> Headers, byte[] Payload)
    {
        public string EventType => Headers.TryGetValue(":event-type", out var t) ? t : Headers[":exception-type"];

        public string PayloadText => Encoding.UTF8.GetString(Payload);
    }

    public static List<Frame> Decode(ReadOnlySpan<byte> data)
    {
        var frames = new List<Frame>();
        while (!data.IsEmpty)
        {
            Assert.True(data.Length >= 16, $"Truncated frame: {data.Length} bytes left.");
            int total = checked((int)BinaryPrimitives.ReadUInt32BigEndian(data));
            int headersLength = checked((int)BinaryPrimitives.ReadUInt32BigEndian(data[4..]));
            uint preludeCrc = BinaryPrimitives.ReadUInt32BigEndian(data[8..]);
            Assert.Equal(preludeCrc, Crc32.Compute(data[..8]));
            Assert.True(total <= data.Length, $"Frame of {total} bytes but {data.Length} left.");
            uint messageCrc = BinaryPrimitives.ReadUInt32BigEndian(data[(total - 4)..]);
            Assert.Equal(messageCrc, Crc32.Compute(data[..(total - 4)]));

            var headers = new Dictionary<string, string>(StringComparer.Ordinal);
            ReadOnlySpan<byte> h = data.Slice(12, headersLength);
            while (!h.IsEmpty)
            {
                int nameLength = h[0];
                string name = Encoding.UTF8.GetString(h.Slice(1, nameLength));
                byte type = h[1 + nameLength];
                Assert.Equal(7, type);
                int valueLength = BinaryPrimitives.ReadUInt16BigEndian(h[(2 + nameLength)..]);
                headers[name] = Encoding.UTF8.GetString(h.Slice(4 + nameLength, valueLength));
                h = h[(4 + nameLength + valueLength)..];
            }

            frames.Add(new Frame(headers, data[(12 + headersLength)..(total - 4)].ToArray()));
            data = data[total..];
        }

        return frames;
    }
}
