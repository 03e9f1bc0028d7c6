using Gateway.Fast.Logging;

namespace Gateway.Fast.LogQueries;

/// <summary>Sorts rows by an <see cref="LogOrderKey"/>; ties fall back to created_at then id in the same direction, so pages are stable.</summary>
public static class LogOrdering
{
    public static void Sort(List<LogRecord> rows, LogOrderKey key, bool descending) => rows.Sort(Order(key, descending));

    /// <summary>The comparison of <see cref="Comparer"/> in the requested direction.</summary>
    public static Comparison<LogRecord> Order(LogOrderKey key, bool descending)
    {
        var comparer = Comparer(key);
        return descending ? (a, b) => comparer(b, a) : comparer;
    }

    public static Comparison<LogRecord> Comparer(LogOrderKey key)
    {
        Comparison<LogRecord> primary = key switch
        {
            LogOrderKey.Provider => static (a, b) => string.CompareOrdinal(a.Provider, b.Provider),
            LogOrderKey.Model => static (a, b) => string.CompareOrdinal(a.Model, b.Model),
            LogOrderKey.ModelType => static (a, b) => string.CompareOrdinal(a.ModelType, b.ModelType),
            LogOrderKey.Success => static (a, b) => a.Success.CompareTo(b.Success),
            LogOrderKey.Cached => static (a, b) => a.Cached.CompareTo(b.Cached),

            // Nullable<T> comparison puts null first (smallest).
            LogOrderKey.Cost => static (a, b) => Nullable.Compare(a.Cost, b.Cost),
            LogOrderKey.TokensIn => static (a, b) => Nullable.Compare(a.TokensIn, b.TokensIn),
            LogOrderKey.TokensOut => static (a, b) => Nullable.Compare(a.TokensOut, b.TokensOut),
            LogOrderKey.Duration => static (a, b) => a.Duration.CompareTo(b.Duration),
            LogOrderKey.Feedback => static (a, b) => a.Feedback.CompareTo(b.Feedback),
            _ => static (_, _) => 0,
        };

        return (a, b) =>
        {
            var c = primary(a, b);
            if (c != 0)
            {
                return c;
            }

            c = a.CreatedAtUnixMs.CompareTo(b.CreatedAtUnixMs);
            return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
        };
    }
}
