using Gateway.Fast.LogQueries;

namespace Gateway.Fast.Logging;

/// <summary>What a block's rows hold, in 32 bytes, so a filtered list can skip a block that cannot match without reading it.</summary>
/// <remarks>
/// <para>Providers, models, team ids and metadata keys and values are kept as hashed bits (a Bloom filter with one hash):
/// a bit not set proves no row of the block has that value; a bit set may be another value's, which only costs a read.
/// Success, cached and the duration range are kept exactly. The hash is FNV-1a, spread by a multiplicative step: a few
/// lines, and the same in every process (<see cref="string.GetHashCode()"/> is not), so which values share a bit does
/// not change from one run to the next.</para>
/// <para>Deleting a row leaves its bits set (the filter says what a block may hold, never less), so a delete never has to
/// read the other rows of its block again.</para>
/// </remarks>
internal readonly record struct LogBlockFilter(ulong Models, ulong Metadata, ushort Providers, ushort Teams, byte Flags, int MinDuration, int MaxDuration)
{
    private const byte Succeeded = 1;
    private const byte Failed = 2;
    private const byte Hit = 4;
    private const byte Missed = 8;

    /// <summary>The filter of no row: adding rows with <see cref="Or"/> sets their bits.</summary>
    public static LogBlockFilter None => new(0, 0, 0, 0, 0, int.MaxValue, int.MinValue);

    /// <summary>A filter that may match anything (a row that could not be read).</summary>
    public static LogBlockFilter All => new(ulong.MaxValue, ulong.MaxValue, ushort.MaxValue, ushort.MaxValue, 0xF, int.MinValue, int.MaxValue);

    public static LogBlockFilter Of(in LogRowSums row)
    {
        ulong metadata = 0;
        if (!string.IsNullOrEmpty(row.Metadata)) // most rows have none: no empty list made for them
        {
            foreach (var (key, value) in LogMetadata.Entries(row.Metadata))
            {
                metadata |= Bit64(MetadataKeyHash(key)) | Bit64(MetadataValueHash(value));
            }
        }

        return new(
            Bit64(Hash(row.Model)),
            metadata,
            Bit16(Hash(row.Provider)),
            Bit16(Hash(row.TeamId)),
            (byte)((row.Success ? Succeeded : Failed) | (row.Cached ? Hit : Missed)),
            row.Duration,
            row.Duration);
    }

    public LogBlockFilter Or(LogBlockFilter other) => new(
        Models | other.Models,
        Metadata | other.Metadata,
        (ushort)(Providers | other.Providers),
        (ushort)(Teams | other.Teams),
        (byte)(Flags | other.Flags),
        Math.Min(MinDuration, other.MinDuration),
        Math.Max(MaxDuration, other.MaxDuration));

    /// <summary>False only when no row of the block can pass every filter (the engine still tests each row it reads).</summary>
    public bool MayMatch(IReadOnlyList<LogFilter> filters)
    {
        foreach (var filter in filters)
        {
            if (!MayMatch(filter))
            {
                return false;
            }
        }

        return true;
    }

    private bool MayMatch(LogFilter filter)
    {
        if (filter.Key == LogFilterKey.Duration)
        {
            return MayMatchDuration(filter);
        }

        if (filter.Operator != LogFilterOperator.Eq)
        {
            return true;
        }

        foreach (var value in filter.Values)
        {
            var text = value.IsNull ? "" : value.ToString();
            var possible = filter.Key switch
            {
                LogFilterKey.Model => (Models & Bit64(Hash(text))) != 0,
                LogFilterKey.Provider => (Providers & Bit16(Hash(text))) != 0,
                LogFilterKey.TeamId => (Teams & Bit16(Hash(text))) != 0,
                LogFilterKey.MetadataKey => (Metadata & Bit64(MetadataKeyHash(text))) != 0,
                LogFilterKey.MetadataValue => (Metadata & Bit64(MetadataValueHash(text))) != 0,
                LogFilterKey.Success => value.IsNull || (Flags & (value.Boolean ? Succeeded : Failed)) != 0,
                LogFilterKey.Cached => value.IsNull || (Flags & (value.Boolean ? Hit : Missed)) != 0,
                _ => true,
            };
            if (possible)
            {
                return true;
            }
        }

        return false;
    }

    private bool MayMatchDuration(LogFilter filter) => MayMatchRange(filter, MinDuration, MaxDuration);

    /// <summary>False only when no number in [<paramref name="min"/>, <paramref name="max"/>] passes a number filter (a
    /// block's durations, or its created_at range).</summary>
    public static bool MayMatchRange(LogFilter filter, double min, double max)
    {
        if (filter.Operator is LogFilterOperator.Neq or LogFilterOperator.Contains || min > max)
        {
            return true;
        }

        foreach (var value in filter.Values)
        {
            if (value.IsNull)
            {
                continue; // a duration or a created_at is never null
            }

            var v = value.Number;
            var possible = filter.Operator switch
            {
                LogFilterOperator.Eq => min <= v && v <= max,
                LogFilterOperator.Lt => min < v,
                LogFilterOperator.Lte => min <= v,
                LogFilterOperator.Gt => max > v,
                LogFilterOperator.Gte => max >= v,
                _ => true,
            };
            if (possible)
            {
                return true;
            }
        }

        return false;
    }

    // Text filters treat null as empty; the salt keeps a metadata key and an equal value on different bits.
    private static uint Hash(string? text, char salt = '\0')
    {
        var hash = (2166136261u ^ salt) * 16777619u;
        foreach (var c in text ?? "")
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash * 2654435761u; // Fibonacci step: the top bits, which Bit64 and Bit16 take, depend on every character
    }

    private static uint MetadataKeyHash(string key) => Hash(key, '\u0001');

    private static uint MetadataValueHash(string value) => Hash(value, '\u0002');

    private static ulong Bit64(uint hash) => 1UL << (int)(hash >> 26);

    private static ushort Bit16(uint hash) => (ushort)(1 << (int)(hash >> 28));
}
