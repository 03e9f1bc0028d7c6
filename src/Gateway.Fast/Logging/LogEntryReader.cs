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
