using FASTER.core;

namespace Gateway.Fast.Logging;

/// <summary>FASTER callbacks of <see cref="LogKvCompactor"/>'s RMW: the input is the value of the record being compacted;
/// the key's latest version is copied to the tail only when it is that value.</summary>
internal sealed class LogKvCopyFunctions : SpanByteFunctions<SpanByte, Empty, Empty>
{
    /// <summary>The key was deleted since the record was written: it is not brought back.</summary>
    public override bool NeedInitialUpdate(ref SpanByte key, ref SpanByte input, ref Empty output, ref RMWInfo rmwInfo) => false;

    /// <summary>Copies only the compacted version: a different latest value was written after it, so lies above the
    /// compacted range (or further in it, and is copied when the scan reaches it).</summary>
    public override bool NeedCopyUpdate(ref SpanByte key, ref SpanByte input, ref SpanByte oldValue, ref Empty output, ref RMWInfo rmwInfo)
        => oldValue.AsReadOnlySpan().SequenceEqual(input.AsReadOnlySpan());

    /// <summary>The latest version is in the mutable region, above the compacted range: nothing to copy.</summary>
    public override bool InPlaceUpdater(ref SpanByte key, ref SpanByte input, ref SpanByte value, ref Empty output, ref RMWInfo rmwInfo) => true;
}
