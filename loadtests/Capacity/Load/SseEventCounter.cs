namespace Capacity.Load;

/// <summary>Counts SSE events (each ends in a blank line: "\n\n", or "\r\n\r\n") across reads, and keeps the body's last bytes.</summary>
internal struct SseEventCounter
{
    private const int TailLength = 32;

    private byte _last;
    private byte _beforeLast;
    private byte[]? _tail;
    private int _tailFill;

    public long Events { get; private set; }

    /// <summary>Counts the events <paramref name="chunk"/> completes; returns how many.</summary>
    public int Add(ReadOnlySpan<byte> chunk)
    {
        int ended = 0;
        foreach (byte b in chunk)
        {
            if (b == (byte)'\n' && (_last == (byte)'\n' || (_last == (byte)'\r' && _beforeLast == (byte)'\n')))
            {
                ended++;
            }

            _beforeLast = _last;
            _last = b;
        }

        Events += ended;
        KeepTail(chunk);
        return ended;
    }

    /// <summary>True when the body's last bytes contain <paramref name="marker"/> (such as <c>data: [DONE]</c>).</summary>
    public readonly bool EndsWith(ReadOnlySpan<byte> marker) => _tail is not null && _tail.AsSpan(0, _tailFill).IndexOf(marker) >= 0;

    private void KeepTail(ReadOnlySpan<byte> chunk)
    {
        _tail ??= new byte[TailLength];
        if (chunk.Length >= TailLength)
        {
            chunk[^TailLength..].CopyTo(_tail);
            _tailFill = TailLength;
            return;
        }

        int keep = Math.Min(_tailFill, TailLength - chunk.Length);
        _tail.AsSpan(_tailFill - keep, keep).CopyTo(_tail);
        chunk.CopyTo(_tail.AsSpan(keep));
        _tailFill = keep + chunk.Length;
    }
}
