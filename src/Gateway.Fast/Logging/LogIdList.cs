using System.Buffers;
using System.Text;

namespace Gateway.Fast.Logging;

/// <summary>A reusable list of log ids as UTF-8, packed in one buffer, each with the log address of its row: what the writer
/// deletes and writes into tombstones.</summary>
/// <remarks>Retention at a <c>DELETE_OLDEST</c> cap deletes as many rows as it appends; as strings that was one id string per row.</remarks>
internal sealed class LogIdList
{
    /// <summary>The address of an id read from a tombstone written before tombstones carried addresses.</summary>
    public const long UnknownAddress = -1;

    private readonly ArrayBufferWriter<byte> _bytes = new(1024);
    private readonly List<int> _ends = [];
    private readonly List<long> _addresses = [];

    public int Count => _ends.Count;

    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            var start = index == 0 ? 0 : _ends[index - 1];
            return _bytes.WrittenSpan[start.._ends[index]];
        }
    }

    /// <summary>The log address of id <paramref name="index"/>'s row; <see cref="UnknownAddress"/> when a tombstone did not say.</summary>
    public long AddressAt(int index) => _addresses[index];

    public void Add(ReadOnlySpan<byte> id, long address)
    {
        _bytes.Write(id);
        _ends.Add(_bytes.WrittenCount);
        _addresses.Add(address);
    }

    public void Add(string id, long address)
    {
        var written = Encoding.UTF8.GetBytes(id, _bytes.GetSpan(Encoding.UTF8.GetMaxByteCount(id.Length)));
        _bytes.Advance(written);
        _ends.Add(_bytes.WrittenCount);
        _addresses.Add(address);
    }

    /// <summary>UTF-8 bytes of ids <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/>.</summary>
    public int ByteCount(int start, int count)
        => count == 0 ? 0 : _ends[start + count - 1] - (start == 0 ? 0 : _ends[start - 1]);

    public void Clear()
    {
        _bytes.ResetWrittenCount();
        _ends.Clear();
        _addresses.Clear();
    }
}
