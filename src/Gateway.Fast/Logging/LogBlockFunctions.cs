using System.Buffers;
using FASTER.core;

namespace Gateway.Fast.Logging;

/// <summary>Where a block read lands: an array from the shared pool that grows to the largest block read, given back on dispose.</summary>
/// <remarks>A class, so a read that goes to disk and completes later fills the same instance.</remarks>
internal sealed class LogBlockBuffer : IDisposable
{
    private byte[] _bytes = [];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => _bytes.AsSpan(0, Length);

    /// <summary>The bytes, writable (the writer's cached block).</summary>
    public Span<byte> WritableSpan => _bytes.AsSpan(0, Length);

    public void CopyFrom(ReadOnlySpan<byte> value)
    {
        if (_bytes.Length < value.Length)
        {
            Release();
            _bytes = ArrayPool<byte>.Shared.Rent(Math.Max(value.Length, LogBlock.MaxBytes));
        }

        value.CopyTo(_bytes);
        Length = value.Length;
    }

    public void Clear() => Length = 0;

    public void Dispose() => Release();

    private void Release()
    {
        if (_bytes.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = [];
        }

        Length = 0;
    }
}

/// <summary>FASTER callbacks of the metadata store: a read copies the whole block out; an upsert always appends a new record.</summary>
/// <remarks>Returning false from <see cref="ConcurrentWriter"/> makes a reader copying a block see all of the old version or
/// all of the new one, never a mix (as in <c>CacheStoreFunctions</c>).</remarks>
internal sealed class LogBlockFunctions : SpanByteFunctions<SpanByte, LogBlockBuffer, Empty>
{
    public override bool SingleReader(ref SpanByte key, ref SpanByte input, ref SpanByte value, ref LogBlockBuffer dst, ref ReadInfo readInfo)
    {
        dst.CopyFrom(value.AsReadOnlySpan());
        return true;
    }

    public override bool ConcurrentReader(ref SpanByte key, ref SpanByte input, ref SpanByte value, ref LogBlockBuffer dst, ref ReadInfo readInfo)
    {
        dst.CopyFrom(value.AsReadOnlySpan());
        return true;
    }

    public override bool ConcurrentWriter(ref SpanByte key, ref SpanByte input, ref SpanByte src, ref SpanByte dst, ref LogBlockBuffer output, ref UpsertInfo upsertInfo)
        => false;
}
