using System.Buffers;

namespace Gateway.Fast.Logging;

/// <summary>Analytics kept by the writer: per gateway, per minute and per hour, the sums of its rows by
/// <see cref="LogRollupKey"/>, in a FASTER KV under <c>logs/rollup/</c> (memory budget, then disk).</summary>
/// <remarks>
/// <para>Every change to a gateway's rows passes through here (<see cref="GatewayRows"/> calls it as it adds, replaces
/// and deletes), so the sums follow the rows exactly: after a PATCH, a DELETE, retention, and a restart, since replay
/// re-adds the rows the same way. Like the row blocks, the store is checkpointed with the log store, or rebuilt from the log.</para>
/// <para>Two widths: a query reads hours for the whole hours of its range and minutes for the rest, so a week is 168
/// hour values plus at most 120 minute ones, whatever the traffic. What a minute holds grows with its distinct keys, not
/// its rows.</para>
/// <para>The writer changes periods in a small cache of decoded periods and writes them back at <see cref="Flush"/>
/// (the end of each writer step), so the current minute and hour are decoded once per commit, not once per row.</para>
/// </remarks>
internal sealed class LogRollup : IDisposable
{
    public const long MinuteMs = 60_000;
    public const long HourMs = 3_600_000;
    public const int Minutes = 0;
    public const int Hours = 1;

    // Decoded periods the writer keeps between steps: the current minutes and hours of a few hundred gateways.
    private const int MaxCached = 512;

    private readonly LogBlockStore _store;
    private readonly Func<int, GatewayRows?> _rowsOf;
    private readonly Dictionary<(int Gateway, long Key), LogRollupPeriod> _cache = [];
    private readonly HashSet<(int Gateway, long Key)> _dirty = [];
    private readonly HashSet<(int Gateway, long Minute)> _stale = [];
    private readonly ArrayBufferWriter<byte> _encoded = new(4096);
    private readonly LogStringCache _strings = new();
    private readonly LogBlockBuffer _read = new();

    /// <param name="directory">The store's folder.</param>
    /// <param name="memorySizeBits">Its memory budget.</param>
    /// <param name="recover">Recover the folder's latest checkpoint; false deletes it first (the sums are rebuilt from the log).</param>
    /// <param name="rowsOf">A gateway's rows by index: a team's newest name is looked up in them when its newest row is deleted.</param>
    public LogRollup(string directory, int memorySizeBits, bool recover, Func<int, GatewayRows?> rowsOf)
    {
        _store = new LogBlockStore(directory, memorySizeBits, recover);
        _rowsOf = rowsOf;
    }

    /// <summary>The KV that holds the sums, for the store's checkpoints.</summary>
    public LogBlockStore Store => _store;

    /// <summary>The store key of period <paramref name="period"/> (a minute or hour number since the epoch) of <paramref name="level"/>.</summary>
    public static long KeyOf(int level, long period) => (period << 1) | (long)level;

    /// <summary>The period (minute or hour number) that holds <paramref name="unixMs"/>.</summary>
    public static long PeriodOf(long unixMs, long widthMs) => unixMs >= 0 ? unixMs / widthMs : ((unixMs + 1) / widthMs) - 1;

    /// <summary>Adds a committed row (writer only).</summary>
    public void Add(int gateway, in LogRowSums row)
    {
        var key = LogRollupKey.Of(in row);
        for (var level = Minutes; level <= Hours; level++)
        {
            var at = (gateway, KeyOf(level, PeriodOf(row.CreatedAtUnixMs, level == Minutes ? MinuteMs : HourMs)));
            var period = Get(at);
            if (!period.Overflowed)
            {
                period.Cell(key).Add(in row, 1);
                _dirty.Add(at);
            }
        }
    }

    /// <summary>Takes back a row's record: it was deleted, or replaced by a PATCH (writer only).</summary>
    public void Remove(int gateway, ReadOnlySpan<byte> record)
    {
        if (!TryDecode(record, out var row))
        {
            return;
        }

        var key = LogRollupKey.Of(in row);
        for (var level = Minutes; level <= Hours; level++)
        {
            var number = PeriodOf(row.CreatedAtUnixMs, level == Minutes ? MinuteMs : HourMs);
            var at = (gateway, KeyOf(level, number));
            var period = Get(at);
            if (period.Overflowed || !period.Cells.TryGetValue(key, out var cell))
            {
                continue;
            }

            cell.Add(in row, -1);
            _dirty.Add(at);
            if (cell.Requests == 0)
            {
                period.Cells.Remove(key);
            }
            else if (key.TeamName is not null && row.CreatedAtUnixMs >= cell.NewestUnixMs)
            {
                // The newest row of a named team's cell is gone: which row is now the newest is found at the flush.
                cell.NewestUnixMs = long.MinValue;
                _stale.Add((gateway, PeriodOf(row.CreatedAtUnixMs, MinuteMs)));
            }
        }
    }

    /// <summary>Writes the changed periods back; the writer calls it at the end of each step, after the row blocks' flush.</summary>
    public void Flush()
    {
        if (_stale.Count > 0)
        {
            RecomputeNewest();
        }

        WriteDirty();
        if (_cache.Count > MaxCached / 2)
        {
            _cache.Clear();
        }
    }

    /// <summary>Starts compacting the store's log when it has doubled (writer only).</summary>
    public void CompactIfGrown() => _store.CompactIfGrown();

    /// <summary>Periods <paramref name="periods"/> of <paramref name="level"/> as readers see them (any thread), read together
    /// into <paramref name="buffers"/> (one each, <see cref="LogBlockStore.ReadMany"/>); an empty buffer: no row.</summary>
    public void ReadMany(int gateway, int level, ReadOnlySpan<long> periods, LogBlockBuffer[] buffers)
    {
        Span<long> keys = stackalloc long[periods.Length];
        for (var i = 0; i < periods.Length; i++)
        {
            keys[i] = KeyOf(level, periods[i]);
        }

        _store.ReadMany(gateway, keys, buffers);
    }

    public void Dispose()
    {
        _store.Dispose();
        _read.Dispose();
    }

    /// <summary>The columns of a record the sums and block filters read, with the writer's string cache (writer only);
    /// false when malformed.</summary>
    public bool TryDecode(ReadOnlySpan<byte> record, out LogRowSums row) => LogRecordCodec.TryReadSums(record, _strings, out row);

    /// <summary>A period from the cache or the store; with <paramref name="mayEvict"/>, a full cache is written back and
    /// emptied first (so a caller changes a period right after getting it, before the next get).</summary>
    private LogRollupPeriod Get((int Gateway, long Key) at, bool mayEvict = true)
    {
        if (_cache.TryGetValue(at, out var period))
        {
            return period;
        }

        if (mayEvict && _cache.Count >= MaxCached)
        {
            WriteDirty();
            _cache.Clear();
        }

        _read.Clear();
        period = _store.TryRead(at.Gateway, at.Key, _read) ? LogRollupPeriod.Decode(_read.Span) ?? new() : new();
        _cache[at] = period;
        return period;
    }

    private void WriteDirty()
    {
        foreach (var at in _dirty)
        {
            if (!_cache.TryGetValue(at, out var period))
            {
                continue;
            }

            if (period.Cells.Count == 0 && !period.Overflowed)
            {
                _store.Delete(at.Gateway, at.Key);
                continue;
            }

            if (!period.TryEncode(_encoded, LogBlock.MaxEntryBytes))
            {
                period.Cells.Clear();
                period.Overflowed = true;
                period.TryEncode(_encoded, LogBlock.MaxEntryBytes);
            }

            _store.Upsert(at.Gateway, at.Key, _encoded.WrittenSpan);
        }

        _dirty.Clear();
    }

    /// <summary>Finds the newest row of every named team's cell whose newest row was deleted: in the minute, from its rows;
    /// in the hour, from its minutes.</summary>
    private void RecomputeNewest()
    {
        var hours = new HashSet<(int Gateway, long Hour)>();
        foreach (var (gateway, minute) in _stale)
        {
            var period = Get((gateway, KeyOf(Minutes, minute)), mayEvict: false);
            hours.Add((gateway, PeriodOf(minute * MinuteMs, HourMs)));
            if (_rowsOf(gateway) is not { } rows)
            {
                continue;
            }

            foreach (var row in rows.Scan().CreatedBetween(minute * MinuteMs, (minute + 1) * MinuteMs))
            {
                if (row.TeamName is not null && period.Cells.TryGetValue(LogRollupKey.Of(row), out var cell))
                {
                    cell.NewestUnixMs = cell.NewestUnixMs == long.MinValue ? row.CreatedAtUnixMs : Math.Max(cell.NewestUnixMs, row.CreatedAtUnixMs);
                }
            }

            _dirty.Add((gateway, KeyOf(Minutes, minute)));
        }

        _stale.Clear();
        foreach (var (gateway, hour) in hours)
        {
            var period = Get((gateway, KeyOf(Hours, hour)), mayEvict: false);
            foreach (var (key, cell) in period.Cells)
            {
                if (key.TeamName is null || cell.NewestUnixMs != long.MinValue)
                {
                    continue;
                }

                for (var minute = hour * 60; minute < (hour + 1) * 60; minute++)
                {
                    if (Get((gateway, KeyOf(Minutes, minute)), mayEvict: false).Cells.TryGetValue(key, out var part))
                    {
                        cell.NewestUnixMs = Math.Max(cell.NewestUnixMs, part.NewestUnixMs);
                    }
                }
            }

            _dirty.Add((gateway, KeyOf(Hours, hour)));
        }
    }
}
