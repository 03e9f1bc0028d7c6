using System.Buffers.Binary;
using System.Text;

namespace Gateway.Fast.Logging;

/// <summary>Reads <see cref="LogRecordCodec"/> fields; a short or malformed entry sets <see cref="Ok"/> to false instead of throwing.</summary>
internal ref struct LogEntryReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _data = data;

    public bool Ok { get; private set; } = true;

    /// <summary>True when every field was read and nothing is left over.</summary>
    public readonly bool End() => Ok && _data.IsEmpty;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _data.Length;

    public byte Byte()
    {
        var span = Take(1);
        return span.IsEmpty ? (byte)0 : span[0];
    }

    public bool Bool()
    {
        var span = Take(1);
        if (span.IsEmpty || span[0] > 1)
        {
            Ok = false;
            return false;
        }

        return span[0] == 1;
    }

    public int Int32()
    {
        var span = Take(4);
        return span.IsEmpty ? 0 : BinaryPrimitives.ReadInt32LittleEndian(span);
    }

    public long Int64()
    {
        var span = Take(8);
        return span.IsEmpty ? 0 : BinaryPrimitives.ReadInt64LittleEndian(span);
    }

    public int? NullableInt32() => Bool() ? Int32() : null;

    public double? NullableDouble() => Bool() ? BitConverter.Int64BitsToDouble(Int64()) : null;

    public string? String()
    {
        var length = Int32();
        if (length == -1 || !Ok)
        {
            return null;
        }

        var span = Take(length);
        return Ok ? Encoding.UTF8.GetString(span) : null;
    }

    /// <summary>A string field through <paramref name="cache"/>: rows mostly repeat their provider, model, path…, so a
    /// scan of many rows decodes each distinct value once.</summary>
    public string? String(LogStringCache? cache, int slot)
    {
        if (cache is null)
        {
            return String();
        }

        var length = Int32();
        if (length == -1 || !Ok)
        {
            return null;
        }

        var span = Take(length);
        return Ok ? cache.Get(slot, span) : null;
    }

    /// <summary>A string field's UTF-8, with <paramref name="isNull"/> set for a null string.</summary>
    public ReadOnlySpan<byte> NullableBytes(out bool isNull)
    {
        var length = Int32();
        isNull = length == -1;
        return Ok && !isNull ? Take(length) : default;
    }

    public ReadOnlySpan<byte> Bytes()
    {
        var length = Int32();
        return Ok ? Take(length) : default;
    }

    private ReadOnlySpan<byte> Take(int length)
    {
        if (!Ok || length < 0 || length > _data.Length)
        {
            Ok = false;
            return default;
        }

        var span = _data[..length];
        _data = _data[length..];
        return span;
    }
}
