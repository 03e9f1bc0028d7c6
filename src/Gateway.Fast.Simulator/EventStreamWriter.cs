using System.Buffers;
using System.Buffers.Binary;

namespace Gateway.Fast.Simulator;

/// <summary>Encodes AWS event-stream messages (<c>application/vnd.amazon.eventstream</c>), as Bedrock's streaming APIs send them.</summary>
/// <remarks>
/// <code>
/// ┌ total length u32 BE ┬ headers length u32 BE ┬ prelude CRC32 u32 BE ┐  12-byte prelude, CRC over its first 8 bytes
/// │ headers: name-len u8, name, type u8 (7 = string), value-len u16 BE, value   … repeated
/// │ payload (JSON)
/// └ message CRC32 u32 BE over everything before it
/// </code>
/// Header order follows the recordings in fixtures/bedrock: <c>:event-type</c>, <c>:content-type</c>, <c>:message-type</c>.
/// </remarks>
public static class EventStreamWriter
{
    private const byte StringType = 7;

    /// <summary>Writes one <c>:message-type event</c> message with a JSON payload.</summary>
    public static void WriteEvent(IBufferWriter<byte> output, ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> payload) =>
        Write(output, ":event-type"u8, eventType, ":message-type"u8, "event"u8, payload);

    /// <summary>Writes one <c>:message-type exception</c> message (e.g. <c>throttlingException</c>) with a JSON payload.</summary>
    public static void WriteException(IBufferWriter<byte> output, ReadOnlySpan<byte> exceptionType, ReadOnlySpan<byte> payload) =>
        Write(output, ":exception-type"u8, exceptionType, ":message-type"u8, "exception"u8, payload);

    private static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> typeName, ReadOnlySpan<byte> typeValue,
        ReadOnlySpan<byte> kindName, ReadOnlySpan<byte> kindValue, ReadOnlySpan<byte> payload)
    {
        ReadOnlySpan<byte> contentTypeName = ":content-type"u8;
        ReadOnlySpan<byte> contentTypeValue = "application/json"u8;
        int headersLength = HeaderLength(typeName, typeValue) + HeaderLength(contentTypeName, contentTypeValue) +
            HeaderLength(kindName, kindValue);
        int total = 12 + headersLength + payload.Length + 4;

        Span<byte> span = output.GetSpan(total)[..total];
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)total);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], (uint)headersLength);
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], Crc32.Compute(span[..8]));

        int pos = 12;
        pos += WriteHeader(span[pos..], typeName, typeValue);
        pos += WriteHeader(span[pos..], contentTypeName, contentTypeValue);
        pos += WriteHeader(span[pos..], kindName, kindValue);
        payload.CopyTo(span[pos..]);
        pos += payload.Length;
        BinaryPrimitives.WriteUInt32BigEndian(span[pos..], Crc32.Compute(span[..pos]));
        output.Advance(total);
    }

    private static int HeaderLength(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => 1 + name.Length + 1 + 2 + value.Length;

    private static int WriteHeader(Span<byte> span, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        span[0] = (byte)name.Length;
        name.CopyTo(span[1..]);
        int pos = 1 + name.Length;
        span[pos++] = StringType;
        BinaryPrimitives.WriteUInt16BigEndian(span[pos..], (ushort)value.Length);
        pos += 2;
        value.CopyTo(span[pos..]);
        return pos + value.Length;
    }
}
