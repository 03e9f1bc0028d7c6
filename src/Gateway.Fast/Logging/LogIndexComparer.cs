using FASTER.core;

namespace Gateway.Fast.Logging;

/// <summary>The id index's key hash: FASTER's own hash of the id's bytes, with the tag that FASTER keeps in the hash table
/// narrowed to one of seven values, so the table never grows past its configured size.</summary>
/// <remarks>
/// <para>FASTER finds a key's bucket from the hash's low bits and, in the bucket, an entry by a 14-bit tag from its top
/// bits; keys with the same bucket and tag share the entry and are chained through the log, each record pointing at
/// the previous one. A bucket has room for seven entries (the eighth word links an overflow bucket), so with 14-bit tags
/// a busy bucket keeps allocating 64-byte overflow buckets: about 9 B of memory per id, forever (a 1 MiB table
/// passed its 114,688 entries at 114k rows, and a soak grew ~5 MiB a minute at 7,300 requests/s).</para>
/// <para>With seven tags there are never more entries than slots: the hash table is the index's whole memory besides
/// the log's own budget (<see cref="FasterLogStoreOptions.IndexMemorySizeBits"/>), and more ids make the chains longer
/// instead, i.e. the records FASTER compares on a lookup: rows ÷ (buckets × 7), newest first. Past the memory budget
/// those records are read from disk, one read each; <see cref="FasterLogStoreOptions.IndexSizeBits"/> sets how many
/// chains there are.</para>
/// </remarks>
internal readonly struct LogIndexComparer : IFasterEqualityComparer<SpanByte>
{
    // FASTER takes the tag from the top 14 bits of the hash (Constants.kHashTagShift) and the bucket from the low bits.
    private const int TagShift = 64 - 14;
    private const long BelowTag = (1L << TagShift) - 1;

    /// <summary>Entries of a FASTER hash bucket: eight 8-byte words, the last one the overflow link.</summary>
    public const int Tags = 7;

    public long GetHashCode64(ref SpanByte key)
    {
        var hash = SpanByteComparer.StaticGetHashCode64(ref key);
        var tag = (long)(((ulong)hash >> TagShift) % Tags);
        return (hash & BelowTag) | (tag << TagShift);
    }

    public bool Equals(ref SpanByte k1, ref SpanByte k2) => SpanByteComparer.StaticEquals(ref k1, ref k2);
}
