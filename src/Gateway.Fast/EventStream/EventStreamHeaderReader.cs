using System.Buffers.Binary;

namespace Gateway.Fast.EventStream;

/// <summary>Walks the headers block of one AWS event-stream frame, one <c>name | type | value</c> header at a time.</summary>
/// <remarks>
/// Value sizes by type: 0–1 (bool) none, 2 byte 1, 3 short 2, 4 int 4, 5 long and 8 timestamp 8, 9 UUID 16, and
/// 6 (bytes) or 7 (string) a u16 length then the bytes. An unknown type or a length past the block stops the walk with
/// <see cref="Malformed"/> set. Usage: <c>while (headers.TryReadNext(out var name, out var type, out var value)) { … }</c>.
/// </remarks>
internal ref struct EventStreamHeaderReader(ReadOnlySpan<byte> headers)
{
    /// <summary>The header type of a UTF-8 string value, the only type the <c>:</c> headers use.</summary>
    public const byte StringType = 7;

    private readonly ReadOnlySpan<byte> _headers = headers;
    private int _position;

    /// <summary>True once the walk stopped at a header that does not fit the block.</summary>
    public bool Malformed { readonly get; private set; }

    /// <summary>The next header; false at the end of the block or at a malformed header.</summary>
    public bool TryReadNext(out ReadOnlySpan<byte> name, out byte type, out ReadOnlySpan<byte> value)
    {
        name = value = default;
        type = 0;
        if (Malformed || _position >= _headers.Length)
        {
            return false;
        }

        int p = _position;
        int nameLength = _headers[p++];
        if (p + nameLength + 1 > _headers.Length)
        {
            return Fail();
        }

        name = _headers.Slice(p, nameLength);
        p += nameLength;
        type = _headers[p++];
        int size = type switch
        {
            0 or 1 => 0,
            2 => 1,
            3 => 2,
            4 => 4,
            5 or 8 => 8,
            9 => 16,
            6 or StringType => -1,
            _ => -2,
        };
        if (size == -2)
        {
            return Fail();
        }

        if (size == -1)
        {
            if (p + 2 > _headers.Length)
            {
                return Fail();
            }

            size = BinaryPrimitives.ReadUInt16BigEndian(_headers[p..]);
            p += 2;
        }

        if (p + size > _headers.Length)
        {
            return Fail();
        }

        value = _headers.Slice(p, size);
        _position = p + size;
        return true;
    }

    private bool Fail()
    {
        Malformed = true;
        return false;
    }
}
