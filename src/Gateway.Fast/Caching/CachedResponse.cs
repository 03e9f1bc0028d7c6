using System.Buffers;
using System.Buffers.Binary;

namespace Gateway.Fast.Caching;

/// <summary>A validated cache entry read out of the store into a pooled buffer; dispose it exactly once, after replay.</summary>
public readonly struct CachedResponse : IDisposable
{
    private readonly byte[]? _buffer;
    private readonly CacheEntryInfo _info;

    internal CachedResponse(byte[] buffer, CacheEntryInfo info)
    {
        _buffer = buffer;
        _info = info;
    }

    /// <summary>False for the default value, which a miss returns.</summary>
    public bool IsHit => _buffer is not null;

    public int StatusCode => _info.StatusCode;

    public bool IsEventStream => _info.IsEventStream;

    public long CreatedUnixMs => _info.CreatedUnixMs;

    public long ExpiresUnixMs => _info.ExpiresUnixMs;

    public ReadOnlySpan<byte> Body => _buffer.AsSpan(_info.BodyOffset, _info.BodyLength);

    public ReadOnlyMemory<byte> BodyMemory => _buffer.AsMemory(_info.BodyOffset, _info.BodyLength);

    /// <summary>The usage the provider reported in the stored answer, when the entry carries it (see <see cref="CacheEntry"/>).</summary>
    public bool TryGetUsage(out Accounting.Usage usage)
    {
        usage = _info.UsageOffset > 0 ? CacheEntry.ReadUsage(_buffer, _info.UsageOffset) : default;
        return _info.UsageOffset > 0;
    }

    /// <summary>The stored headers as UTF-8 name/value pairs, in their original order (a name repeats for multi-valued headers).</summary>
    public HeaderEnumerator Headers => new(_buffer.AsSpan(CacheEntry.FixedSize, _info.HeadersLength), _info.HeaderCount);

    /// <summary>Gives the buffer back to the pool.</summary>
    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }

    /// <summary>Walks the header section of an entry already validated by <see cref="CacheEntry.TryParse"/>.</summary>
    public ref struct HeaderEnumerator
    {
        private ReadOnlySpan<byte> _rest;
        private int _left;

        internal HeaderEnumerator(ReadOnlySpan<byte> section, int count)
        {
            _rest = section;
            _left = count;
        }

        public ReadOnlySpan<byte> Name { get; private set; }

        public ReadOnlySpan<byte> Value { get; private set; }

        public readonly HeaderEnumerator GetEnumerator() => this;

        public readonly HeaderEnumerator Current => this;

        public bool MoveNext()
        {
            if (_left == 0)
            {
                return false;
            }

            _left--;
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
            Name = _rest.Slice(2, nameLength);
            _rest = _rest[(2 + nameLength)..];
            int valueLength = BinaryPrimitives.ReadInt32LittleEndian(_rest);
            Value = _rest.Slice(4, valueLength);
            _rest = _rest[(4 + valueLength)..];
            return true;
        }
    }
}
