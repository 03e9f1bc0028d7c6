using System.Buffers;
using System.Runtime.CompilerServices;
using Gateway.Fast.EventStream;

namespace Gateway.Fast.Accounting;

/// <summary>
/// Walks AWS event-stream frames fed in arbitrary pieces and hands each event's JSON payload to a
/// <see cref="JsonUsageScanner"/>; only the 12-byte prelude and the headers are ever buffered.
/// </summary>
/// <remarks>
/// The frame layout is drawn on <see cref="EventStreamPrelude"/>; <see cref="EventStreamHeaderReader"/> walks the headers.
/// CRCs are not checked: the gateway relays the bytes and the client's SDK verifies them. Frames whose
/// <c>:message-type</c> is not <c>event</c> (exceptions) are skipped. ConverseStream sends usage in the
/// <c>metadata</c> event, the last one; InvokeModelWithResponseStream wraps each model event in a <c>chunk</c> event's
/// base64 <c>bytes</c>, and the last one carries <c>amazon-bedrock-invocationMetrics</c> (<see cref="InvocationMetrics"/>).
/// </remarks>
internal struct EventStreamScanner
{
    private const int PreludeLength = EventStreamPrelude.Length;

    private Stage _stage;
    private PreludeBytes _prelude;
    private int _have;
    private int _headersLength;
    private int _payloadRemaining;
    private byte[]? _headers;
    private bool _feedPayload;
    private bool _chunkEvent;
    private byte[]? _chunk;
    private int _chunkLength;

    private enum Stage : byte { Prelude, Headers, Payload, Crc, Broken }

    /// <summary>Count of <c>metadata</c> events seen.</summary>
    public int MetadataEvents { readonly get; private set; }

    public void Reset()
    {
        Release();
        this = default;
    }

    public void Release()
    {
        if (_headers is not null)
        {
            ArrayPool<byte>.Shared.Return(_headers);
            _headers = null;
        }

        if (_chunk is not null)
        {
            ArrayPool<byte>.Shared.Return(_chunk);
            _chunk = null;
        }
    }

    public void Feed(ReadOnlySpan<byte> data, ref JsonUsageScanner json)
    {
        int i = 0;
        while (i < data.Length)
        {
            switch (_stage)
            {
                case Stage.Prelude:
                {
                    Span<byte> prelude = _prelude;
                    int n = Math.Min(PreludeLength - _have, data.Length - i);
                    data.Slice(i, n).CopyTo(prelude[_have..]);
                    _have += n;
                    i += n;
                    if (_have == PreludeLength)
                    {
                        StartFrame(prelude);
                    }

                    break;
                }

                case Stage.Headers:
                {
                    int n = Math.Min(_headersLength - _have, data.Length - i);
                    data.Slice(i, n).CopyTo(_headers.AsSpan(_have));
                    _have += n;
                    i += n;
                    if (_have == _headersLength)
                    {
                        ReadHeaders(_headers.AsSpan(0, _headersLength));
                        _stage = _payloadRemaining > 0 ? Stage.Payload : Stage.Crc;
                        _have = 0;
                    }

                    break;
                }

                case Stage.Payload:
                {
                    int n = Math.Min(_payloadRemaining, data.Length - i);
                    if (_chunkEvent)
                    {
                        KeepChunk(data.Slice(i, n));
                    }
                    else if (_feedPayload)
                    {
                        json.Feed(data.Slice(i, n));
                    }

                    _payloadRemaining -= n;
                    i += n;
                    if (_payloadRemaining == 0)
                    {
                        if (_chunkEvent)
                        {
                            InvocationMetrics.Read(_chunk.AsSpan(0, _chunkLength), ref json);
                            _chunkLength = 0;
                        }
                        else
                        {
                            json.EndDocument();
                        }

                        _stage = Stage.Crc;
                        _have = 0;
                    }

                    break;
                }

                case Stage.Crc:
                {
                    int n = Math.Min(4 - _have, data.Length - i);
                    _have += n;
                    i += n;
                    if (_have == 4)
                    {
                        _stage = Stage.Prelude;
                        _have = 0;
                    }

                    break;
                }

                default:
                    return; // lengths that cannot be a frame: stop reading rather than guess
            }
        }
    }

    /// <summary>Keeps a <c>chunk</c> event's payload (a few hundred bytes; capped, as the frame length is) until it is whole.</summary>
    private void KeepChunk(ReadOnlySpan<byte> piece)
    {
        int needed = _chunkLength + piece.Length;
        if (_chunk is null || _chunk.Length < needed)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(1024, needed));
            if (_chunk is not null)
            {
                _chunk.AsSpan(0, _chunkLength).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_chunk);
            }

            _chunk = bigger;
        }

        piece.CopyTo(_chunk.AsSpan(_chunkLength));
        _chunkLength = needed;
    }

    private void StartFrame(ReadOnlySpan<byte> prelude)
    {
        if (!EventStreamPrelude.TryReadLengths(prelude, out int total, out _headersLength))
        {
            _stage = Stage.Broken;
            return;
        }

        _payloadRemaining = EventStreamPrelude.PayloadLength(total, _headersLength);
        _have = 0;
        _feedPayload = true;
        _chunkEvent = false;
        if (_headersLength == 0)
        {
            _stage = _payloadRemaining > 0 ? Stage.Payload : Stage.Crc;
            return;
        }

        if (_headers is null || _headers.Length < _headersLength)
        {
            Release();
            _headers = ArrayPool<byte>.Shared.Rent(Math.Max(256, _headersLength));
        }

        _stage = Stage.Headers;
    }

    private void ReadHeaders(ReadOnlySpan<byte> headers)
    {
        var reader = new EventStreamHeaderReader(headers);
        while (reader.TryReadNext(out var name, out byte type, out var value))
        {
            if (type is not (6 or EventStreamHeaderReader.StringType))
            {
                value = default; // only bytes and strings are compared by value
            }

            if (name.SequenceEqual(UsageStrings.MessageTypeHeader))
            {
                _feedPayload = value.SequenceEqual(UsageStrings.EventMessageType);
            }
            else if (name.SequenceEqual(UsageStrings.EventTypeHeader) && value.SequenceEqual(UsageStrings.MetadataEvent))
            {
                MetadataEvents++;
            }
            else if (name.SequenceEqual(UsageStrings.EventTypeHeader) && value.SequenceEqual("chunk"u8))
            {
                _chunkEvent = true; // InvokeModelWithResponseStream: {"bytes": base64 of the model's own event}
            }
        }
    }

    [InlineArray(PreludeLength)]
    private struct PreludeBytes
    {
        private byte _element;
    }
}
