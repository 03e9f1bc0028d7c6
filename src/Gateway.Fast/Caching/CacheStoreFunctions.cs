using System.Buffers;
using FASTER.core;

namespace Gateway.Fast.Caching;

/// <summary>Where a read copies the stored value: a pooled array the caller gives back.</summary>
internal struct CacheReadOutput
{
    public byte[]? Buffer;
    public int Length;

    public void CopyFrom(ReadOnlySpan<byte> value)
    {
        if (Buffer is null || Buffer.Length < value.Length)
        {
            Release();
            Buffer = ArrayPool<byte>.Shared.Rent(Math.Max(value.Length, 1));
        }

        value.CopyTo(Buffer);
        Length = value.Length;
    }

    public void Release()
    {
        if (Buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(Buffer);
            Buffer = null;
        }

        Length = 0;
    }
}

/// <summary>FASTER callbacks of the cache store: values are copied out whole, and an upsert always appends a new record.</summary>
/// <remarks>
/// Returning false from <see cref="ConcurrentWriter"/> forbids the in-place overwrite of a mutable record, so an upsert is
/// read-copy-update: a reader copying the old record while a writer replaces it still copies the complete old value
/// (the concurrent-writers test checks it).
/// </remarks>
internal sealed class CacheStoreFunctions : SpanByteFunctions<SpanByte, CacheReadOutput, Empty>
{
    public override bool SingleReader(ref SpanByte key, ref SpanByte input, ref SpanByte value, ref CacheReadOutput dst, ref ReadInfo readInfo)
    {
        dst.CopyFrom(value.AsReadOnlySpan());
        return true;
    }

    public override bool ConcurrentReader(ref SpanByte key, ref SpanByte input, ref SpanByte value, ref CacheReadOutput dst, ref ReadInfo readInfo)
    {
        dst.CopyFrom(value.AsReadOnlySpan());
        return true;
    }

    public override bool ConcurrentWriter(ref SpanByte key, ref SpanByte input, ref SpanByte src, ref SpanByte dst, ref CacheReadOutput output, ref UpsertInfo upsertInfo)
        => false;
}
