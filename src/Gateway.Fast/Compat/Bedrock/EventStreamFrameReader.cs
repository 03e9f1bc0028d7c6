using System.Buffers.Binary;
using Gateway.Fast.EventStream;
using Gateway.Fast.Utilities;

namespace Gateway.Fast.Compat.Bedrock;

/// <summary>What <see cref="EventStreamFrameReader.TryRead"/> found.</summary>
internal enum EventStreamReadResult : byte
{
    /// <summary>The buffered bytes end inside a frame.</summary>
    NeedMoreData,

    /// <summary>A whole frame, its checksums verified.</summary>
    Frame,

    /// <summary>A length or checksum that cannot be a frame: the stream cannot be read any further.</summary>
    Corrupt,
}

/// <summary>One decoded frame; its spans point into the reader's buffer and are valid until the next Append or TryRead.</summary>
internal readonly ref struct EventStreamFrame(ReadOnlySpan<byte> messageType, ReadOnlySpan<byte> eventType,
    ReadOnlySpan<byte> exceptionType, ReadOnlySpan<byte> errorMessage, ReadOnlySpan<byte> payload)
{
    /// <summary><c>:message-type</c>: <c>event</c>, <c>exception</c> or <c>error</c>.</summary>
    public ReadOnlySpan<byte> MessageType { get; } = messageType;

    /// <summary><c>:event-type</c>, e.g. <c>contentBlockDelta</c>.</summary>
    public ReadOnlySpan<byte> EventType { get; } = eventType;

    /// <summary><c>:exception-type</c> (exception frames) or <c>:error-code</c> (error frames).</summary>
    public ReadOnlySpan<byte> ExceptionType { get; } = exceptionType;

    /// <summary><c>:error-message</c> of an error frame.</summary>
    public ReadOnlySpan<byte> ErrorMessage { get; } = errorMessage;

    /// <summary>The JSON payload.</summary>
    public ReadOnlySpan<byte> Payload { get; } = payload;
}

/// <summary>
/// Splits an AWS <c>application/vnd.amazon.eventstream</c> body that arrives in arbitrary chunks into whole frames and
/// checks both CRCs. Bytes of an unfinished frame wait in a <see cref="PooledByteQueue"/>.
/// </summary>
/// <remarks>
/// The frame layout is drawn on <see cref="EventStreamPrelude"/>; <see cref="EventStreamHeaderReader"/> walks the headers.
/// Unlike <see cref="Accounting.EventStreamScanner"/>, which only counts usage on bytes the client will verify itself,
/// this reader produces the bytes the caller sees, so it verifies the checksums rather than translate a damaged frame.
/// Usage: <c>reader.Append(chunk); while (reader.TryRead(out var frame) == Frame) { … }</c>.
/// </remarks>
internal sealed class EventStreamFrameReader : IDisposable
{
    private const int PreludeLength = EventStreamPrelude.Length;

    private PooledByteQueue _bytes = new(4096);

    /// <summary>Bytes held that do not yet make a whole frame.</summary>
    public int Buffered => _bytes.Count;

    public void Append(ReadOnlySpan<byte> chunk) => _bytes.Append(chunk);

    public EventStreamReadResult TryRead(out EventStreamFrame frame)
    {
        frame = default;
        var data = _bytes.Buffered;
        if (data.Length < PreludeLength)
        {
            return EventStreamReadResult.NeedMoreData;
        }

        if (!EventStreamPrelude.TryReadLengths(data, out int total, out int headersLength)
            || EventStreamCrc32.Compute(data[..8]) != BinaryPrimitives.ReadUInt32BigEndian(data[8..]))
        {
            return EventStreamReadResult.Corrupt;
        }

        if (data.Length < total)
        {
            return EventStreamReadResult.NeedMoreData;
        }

        var message = data[..total];
        if (EventStreamCrc32.Compute(message[..^4]) != BinaryPrimitives.ReadUInt32BigEndian(message[^4..]))
        {
            return EventStreamReadResult.Corrupt;
        }

        var headers = message.Slice(PreludeLength, headersLength);
        var payload = message[(PreludeLength + headersLength)..^4];
        if (!TryReadHeaders(headers, out var messageType, out var eventType, out var exceptionType, out var errorMessage))
        {
            return EventStreamReadResult.Corrupt;
        }

        _bytes.Consume(total);

        frame = new EventStreamFrame(messageType, eventType, exceptionType, errorMessage, payload);
        return EventStreamReadResult.Frame;
    }

    public void Dispose() => _bytes.Dispose();

    private static bool TryReadHeaders(ReadOnlySpan<byte> headers, out ReadOnlySpan<byte> messageType, out ReadOnlySpan<byte> eventType,
        out ReadOnlySpan<byte> exceptionType, out ReadOnlySpan<byte> errorMessage)
    {
        messageType = eventType = exceptionType = errorMessage = default;
        var reader = new EventStreamHeaderReader(headers);
        while (reader.TryReadNext(out var name, out byte type, out var value))
        {
            if (type != EventStreamHeaderReader.StringType)
            {
                continue;
            }

            if (name.SequenceEqual(":message-type"u8))
            {
                messageType = value;
            }
            else if (name.SequenceEqual(":event-type"u8))
            {
                eventType = value;
            }
            else if (name.SequenceEqual(":exception-type"u8) || name.SequenceEqual(":error-code"u8))
            {
                exceptionType = value;
            }
            else if (name.SequenceEqual(":error-message"u8))
            {
                errorMessage = value;
            }
        }

        return !reader.Malformed;
    }
}
