using System.Runtime.InteropServices;
using FASTER.core;

namespace Gateway.Fast.Logging;

/// <summary>FASTER callbacks of the id index: values are one <see cref="RowPointer"/>, copied out whole.</summary>
/// <remarks>
/// Returning false from <see cref="ConcurrentWriter"/> makes every upsert append a new record, so a reader never sees
/// half of an old pointer and half of a new one (as in <c>CacheStoreFunctions</c>).
/// </remarks>
internal sealed class LogIndexFunctions : SpanByteFunctions<SpanByte, RowPointer, Empty>
{
    public override bool SingleReader(ref SpanByte key, ref SpanByte input, ref SpanByte value, ref RowPointer dst, ref ReadInfo readInfo)
    {
        dst = MemoryMarshal.Read<RowPointer>(value.AsReadOnlySpan());
        return true;
    }

    public override bool ConcurrentReader(ref SpanByte key, ref SpanByte input, ref SpanByte value, ref RowPointer dst, ref ReadInfo readInfo)
    {
        dst = MemoryMarshal.Read<RowPointer>(value.AsReadOnlySpan());
        return true;
    }

    public override bool ConcurrentWriter(ref SpanByte key, ref SpanByte input, ref SpanByte src, ref SpanByte dst, ref RowPointer output, ref UpsertInfo upsertInfo)
        => false;
}
