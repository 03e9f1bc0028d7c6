using System.Buffers;
using Gateway.Fast.Utilities;

namespace Gateway.Fast.Sse;

/// <summary>
/// Splits a server-sent-event stream that arrives in arbitrary chunks into events (<c>event:</c> name and joined
/// <c>data:</c> lines), incrementally. Bytes of an unfinished event wait in a <see cref="PooledByteQueue"/> until their blank line comes.
/// </summary>
/// <remarks>
/// <c>System.Net.ServerSentEvents.SseParser</c> pulls from a <see cref="Stream"/>; the relay pushes chunks it has already
/// written to the client, so the translators need this push-style splitter instead. Lines end in LF, CR or CRLF (the
/// SSE grammar); comments (<c>:</c>) and unknown fields are skipped.
/// Usage: <c>reader.Append(chunk); while (reader.TryRead(out var name, out var data)) { … }</c>. The spans are valid
/// until the next <see cref="Append"/> or <see cref="TryRead"/>.
/// </remarks>
internal sealed class SseEventReader : IDisposable
{
    private PooledByteQueue _bytes = new(4096);
    private byte[] _data = ArrayPool<byte>.Shared.Rent(1024);
    private int _dataLength;
    private byte[] _name = ArrayPool<byte>.Shared.Rent(64);
    private int _nameLength;

    public void Append(ReadOnlySpan<byte> chunk) => _bytes.Append(chunk);

    /// <summary>The next complete event, if its blank line has arrived. <paramref name="name"/> is empty when the event had no <c>event:</c> field.</summary>
    public bool TryRead(out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> data)
    {
        while (TryReadLine(out var line))
        {
            if (line.IsEmpty)
            {
                if (_dataLength == 0 && _nameLength == 0)
                {
                    continue; // blank lines between events
                }

                name = _name.AsSpan(0, _nameLength);
                data = _data.AsSpan(0, Math.Max(0, _dataLength - 1)); // minus the last line's '\n'
                _nameLength = 0;
                _dataLength = 0;
                return true;
            }

            if (line[0] == (byte)':')
            {
                continue;
            }

            int colon = line.IndexOf((byte)':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? default : line[(colon + 1)..];
            if (!value.IsEmpty && value[0] == (byte)' ')
            {
                value = value[1..];
            }

            if (field.SequenceEqual("data"u8))
            {
                Store(ref _data, ref _dataLength, value, appendNewline: true);
            }
            else if (field.SequenceEqual("event"u8))
            {
                _nameLength = 0;
                Store(ref _name, ref _nameLength, value, appendNewline: false);
            }
        }

        name = default;
        data = default;
        return false;
    }

    /// <summary>A last event the upstream did not end with a blank line (read at the end of the body).</summary>
    public bool TryReadTrailing(out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> data)
    {
        if (_bytes.Count > 0)
        {
            Append("\n\n"u8);
        }
        else if (_dataLength > 0 || _nameLength > 0)
        {
            Append("\n"u8);
        }

        return TryRead(out name, out data);
    }

    public void Dispose()
    {
        _bytes.Dispose();
        ArrayPool<byte>.Shared.Return(_data);
        ArrayPool<byte>.Shared.Return(_name);
        _data = _name = [];
    }

    private bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        var live = _bytes.Buffered;
        int eol = live.IndexOfAny((byte)'\n', (byte)'\r');
        if (eol < 0)
        {
            line = default;
            return false;
        }

        int consumed = eol + 1;
        if (live[eol] == (byte)'\r')
        {
            if (eol + 1 == live.Length)
            {
                line = default;
                return false; // CR at the end: wait to see whether LF follows
            }

            if (live[eol + 1] == (byte)'\n')
            {
                consumed++;
            }
        }

        line = live[..eol];
        _bytes.Consume(consumed); // the line stays readable: Consume moves no bytes
        return true;
    }

    private static void Store(ref byte[] target, ref int length, ReadOnlySpan<byte> value, bool appendNewline)
    {
        int needed = length + value.Length + 1;
        if (needed > target.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(needed * 2);
            target.AsSpan(0, length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(target);
            target = bigger;
        }

        value.CopyTo(target.AsSpan(length));
        length += value.Length;
        if (appendNewline)
        {
            target[length++] = (byte)'\n';
        }
    }
}
