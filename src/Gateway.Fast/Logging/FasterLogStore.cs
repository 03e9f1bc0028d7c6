using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Channels;
using FASTER.core;
using IndexSession = FASTER.core.ClientSession<FASTER.core.SpanByte, FASTER.core.SpanByte, FASTER.core.SpanByte,
    Gateway.Fast.Logging.RowPointer, FASTER.core.Empty, Gateway.Fast.Logging.LogIndexFunctions>;

namespace Gateway.Fast.Logging;

/// <summary>Request logs in a FasterLog under <c>{DataPath}/logs/</c>, indexed by id in a FASTER KV, listed from a second
/// FASTER KV of row metadata in blocks.</summary>
/// <remarks>
/// <para>1. <see cref="AppendAsync"/> puts the entry in a bounded channel: synchronous while there is room, awaits room when
/// full (back-pressure; nothing is dropped). 2. One writer task drains the channel in batches, encodes each row with its
/// bodies (<see cref="LogRecordCodec"/>) and enqueues it into <c>logs/log/</c>. 3. Every <see cref="FasterLogStoreOptions.CommitIntervalMs"/>
/// (or on <see cref="FlushAsync"/>) it commits; only then do the rows enter the id index (<c>logs/index/</c>, id → <see cref="RowPointer"/>)
/// and their gateway's blocks (<see cref="GatewayRows"/>: the newest in memory, the rest in <c>logs/meta/</c>, a FASTER KV
/// with a memory budget, <see cref="FasterLogStoreOptions.MetadataMemorySizeBits"/>), i.e. become readable. 4. PATCH and DELETE go through the
/// same channel and are appended as Update and Delete entries, so the log alone describes the store.</para>
/// <para>Opening recovers the log's last commit and the latest store checkpoint (<see cref="CheckpointAsync"/>: the KVs and
/// the gateways' block tables as of a log address), then replays the log from that address; without a usable checkpoint it
/// replays the whole log into empty KVs. Entries past the commit point (a torn tail after <c>kill -9</c>) are never read,
/// and an entry whose CRC or layout is wrong is skipped and counted in <see cref="Corrupt"/>.</para>
/// <para>Retention: <see cref="FasterLogStoreOptions.Retention"/> caps rows per gateway (refuse or delete the oldest; 10 million
/// by default); <see cref="SweepAsync"/> applies <see cref="FasterLogStoreOptions.MaxAge"/> and the folder's disk budget
/// (<see cref="FasterLogStoreOptions.MaxDiskBytes"/>) and truncates the log below the oldest live row.</para>
/// </remarks>
public sealed partial class FasterLogStore : ILogStore, IAsyncDisposable
{
    // The log's page header and alignment; an entry must fit in one page.
    private const int PageOverhead = 64;

    private readonly FasterLogStoreOptions _options;
    private readonly FasterLogSettings _logSettings;
    private readonly LogCommitSlots _commits;
    private readonly FasterLog _log;
    // The KVs are opened twice when their checkpoint cannot be used (recovered, found wanting, reopened empty).
    private FasterKVSettings<SpanByte, SpanByte> _indexSettings;
    private FasterKV<SpanByte, SpanByte> _index;
    private IndexSession _writerSession;
    private LogBlockStore _blocks;
    private LogRollup _rollup;
    private LogKvCompactor _indexCompactor;
    private readonly ConcurrentQueue<IndexSession> _sessions = new();
    private readonly ConcurrentDictionary<string, GatewayRows> _gateways = new(StringComparer.Ordinal);
    private readonly Channel<LogCommand> _queue;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly int _maxEntryBytes;
    private readonly Task _writer;
    private GatewayRows[] _gatewaysByIndex = [];
    private long _appended;
    private long _committed;
    private long _refused;
    private long _evicted;
    private long _failed;
    private long _corrupt;
    private int _disposed;

    private FasterLogStore(string directory, FasterLogStoreOptions options)
    {
        if (options.QueueCapacity < 1 || options.CommitIntervalMs < 1 || options.DrainIntervalMs < 1 || options.MaxBatch < 1)
        {
            throw new ArgumentException("The log store needs a queue of at least one entry, a commit interval and a batch size.", nameof(options));
        }

        if (options.PageSizeBits is < 12 or > 30 || options.MemorySizeBits < options.PageSizeBits + 1 || options.IndexSizeBits < 12
            || options.IndexMemorySizeBits < 14 || options.MetadataMemorySizeBits is <= LogBlockStore.PageSizeBits or > 40
            || options.RollupMemorySizeBits is <= LogBlockStore.PageSizeBits or > 40)
        {
            throw new ArgumentException("The log store needs pages of 2^12–2^30 bytes, two of them in memory, an index of at least 4 KiB "
                + $"and metadata and analytics budgets of at least 2^{LogBlockStore.PageSizeBits + 1} bytes.", nameof(options));
        }

        _options = options;
        _directory = directory;
        Directory.CreateDirectory(directory);
        var (pageSizeBits, segmentSizeBits) = LogLayout.Resolve(directory, options.PageSizeBits, options.SegmentSizeBits);
        _maxEntryBytes = (1 << pageSizeBits) - PageOverhead;

        var logDirectory = Path.Combine(directory, "log");
        _commits = new LogCommitSlots(logDirectory);
        _logSettings = new FasterLogSettings(logDirectory, deleteDirOnDispose: false)
        {
            PageSizeBits = pageSizeBits,
            MemorySizeBits = Math.Max(options.MemorySizeBits, pageSizeBits + 1),
            SegmentSizeBits = segmentSizeBits,
            TryRecoverLatest = true,
            LogCommitManager = _commits, // one file written in place, not a file per commit
            AutoCommit = false,
        };
        LogDeviceHandles.Bound(_logSettings.LogDevice);
        _log = new FasterLog(_logSettings);

        _queue = Channel.CreateBounded<LogCommand>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });

        Replay(OpenStores());
        _writer = Task.Run(RunWriterAsync);
    }

    /// <summary>Entries waiting in the queue for the writer (the <c>gateway_log_queue_depth</c> gauge).</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>Rows the writer has written to the log (not yet necessarily committed).</summary>
    public long Appended => Interlocked.Read(ref _appended);

    /// <summary>Rows committed, hence durable and readable.</summary>
    public long Committed => Interlocked.Read(ref _committed);

    /// <summary>Rows refused because their gateway reached its cap with <c>STOP_INSERTING</c> (the request itself succeeded).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Rows deleted by retention: <c>DELETE_OLDEST</c> caps and <see cref="SweepAsync"/>.</summary>
    public long Evicted => Interlocked.Read(ref _evicted);

    /// <summary>Rows lost to an error (an invalid row, a failed write, an append after dispose).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Log entries skipped at recovery because they failed validation.</summary>
    public long Corrupt => Interlocked.Read(ref _corrupt);

    /// <summary>Bytes of the row metadata store's log, in memory and on disk (tests, the memory figures).</summary>
    internal long MetadataBytes => _blocks.LogBytes;

    /// <summary>Bytes of the id index's log, in memory and on disk (tests).</summary>
    internal long IndexBytes => _index.Log.TailAddress - _index.Log.BeginAddress;

    /// <summary>64-byte overflow buckets FASTER added to the id index's hash table: none with seven tags a bucket
    /// (<see cref="LogIndexComparer"/>) but for a race of two sessions, at most one a bucket (tests, the memory figures).</summary>
    internal long IndexOverflowBuckets => _index.OverflowBucketCount;

    /// <summary>Index records the id index's compactions checked with an RMW, and those they dropped as rows the log has
    /// truncated (tests).</summary>
    internal (long Copies, long Dropped) IndexCompaction => (_indexCompactor.Copies, _indexCompactor.Dropped);

    /// <summary>The compactions of the metadata store, the analytics store and the id index in progress, or the last ones.</summary>
    internal Task Compactions => Task.WhenAll(_blocks.Compaction, _rollup.Store.Compaction, _indexCompactor.Running);

    /// <summary>The log's begin address: everything below it has been truncated (tests).</summary>
    internal long LogBeginAddress => _log.BeginAddress;

    /// <summary>Opens (or creates) the store in <paramref name="directory"/> (normally <c>{DataPath}/logs</c>), replaying the log's last commit.</summary>
    public static FasterLogStore Open(string directory, FasterLogStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return new FasterLogStore(directory, options ?? new FasterLogStoreOptions());
    }

    /// <inheritdoc />
    /// <remarks>The writer gives <paramref name="row"/>'s array back to the pool once the entry is in the log.</remarks>
    public ValueTask AppendAsync(LogRowBuffer row, CancellationToken cancellationToken)
    {
        if (_queue.Writer.TryWrite(LogCommand.Append(row)))
        {
            return default;
        }

        return AppendSlowAsync(row, cancellationToken);
    }

    /// <inheritdoc />
    public bool TryGet(string id, out LogRecord record)
    {
        ArgumentNullException.ThrowIfNull(id);
        var session = RentSession();
        try
        {
            return TryFind(session, id, out _, out _, out record);
        }
        finally
        {
            ReturnSession(session);
        }
    }

    /// <inheritdoc />
    /// <remarks>A <see cref="LogRowScan"/>: rows are decoded block by block as the caller enumerates, reading closed blocks
    /// from the metadata store (memory or disk), so a gateway of any size is never held in memory at once.</remarks>
    public IEnumerable<LogRecord> Scan(string gatewayId)
    {
        ArgumentNullException.ThrowIfNull(gatewayId);
        return _gateways.TryGetValue(gatewayId, out var rows) ? rows.Scan() : [];
    }

    /// <inheritdoc />
    /// <remarks>Blocks whose rows were all created outside the range are not read (their summaries say so): an hour's
    /// analytics over a store of a million rows reads only that hour's blocks.</remarks>
    public IEnumerable<LogRecord> Scan(string gatewayId, long? startUnixMs, long? endUnixMs)
    {
        ArgumentNullException.ThrowIfNull(gatewayId);
        return _gateways.TryGetValue(gatewayId, out var rows) ? rows.Scan().CreatedBetween(startUnixMs, endUnixMs) : [];
    }

    /// <inheritdoc />
    /// <remarks><see cref="LogRecord.Id"/> and <see cref="LogRecord.GatewayId"/> of the result are kept; completes once the new version is committed.</remarks>
    public async ValueTask<LogRecord?> UpdateAsync(string id, Func<LogRecord, LogRecord> change)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(change);
        var request = new LogRequest<LogRecord?>(LogCommandKind.Update) { Id = id, Change = change };
        return await SubmitAsync(request).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Completes once the tombstone is committed.</remarks>
    public async ValueTask<int> DeleteAsync(IReadOnlyCollection<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return 0;
        }

        return await SubmitAsync(new LogRequest<int>(LogCommandKind.Delete) { Ids = ids }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<ReadOnlyMemory<byte>?> ReadBodyAsync(string id, LogBodyKind kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!TryFindRow(id, out var pointer, out var record))
        {
            return null;
        }

        if (!record.BodiesKept && kind != LogBodyKind.ResponseHeaders)
        {
            return null;
        }

        var (entry, length) = await _log.ReadAsync(pointer.BodyAddress, 0, cancellationToken).ConfigureAwait(false);
        return entry is null ? null : ReadBody(entry, length, kind);
    }

    /// <summary>Bytes of the row's Row entry in the log (its record, bodies and sections): what the row costs on disk;
    /// null when the row does not exist.</summary>
    internal async ValueTask<int?> RowEntryLengthAsync(string id, CancellationToken cancellationToken)
    {
        if (!TryFindRow(id, out var pointer, out _))
        {
            return null;
        }

        var (entry, length) = await _log.ReadAsync(pointer.BodyAddress, 0, cancellationToken).ConfigureAwait(false);
        return entry is null ? null : length;
    }

    /// <summary>Finds a live row by id with a session of its own.</summary>
    private bool TryFindRow(string id, out RowPointer pointer, out LogRecord record)
    {
        var session = RentSession();
        try
        {
            return TryFind(session, id, out pointer, out _, out record);
        }
        finally
        {
            ReturnSession(session);
        }
    }

    /// <summary>The requested body of a Row entry; null when the entry is no longer a row (truncated by retention since
    /// the lookup) or is malformed.</summary>
    /// <remarks>ReadAsync hands back a new array: a body stored as it is is a slice of it, not a second copy; a body stored
    /// in blocks is decoded into an array of its size.</remarks>
    private static ReadOnlyMemory<byte>? ReadBody(byte[] entry, int length, LogBodyKind kind)
    {
        var span = entry.AsSpan(0, length);
        if (!LogRecordCodec.TryOpen(span, out var entryKind, out var version, out var body)
            || entryKind != LogRecordKind.Row
            || !LogRecordCodec.TryReadRow(body, version, out _, out var request, out var response, out var headers, out var blocks))
        {
            return null;
        }

        // Written as statements: in a conditional expression, null would convert to an empty ReadOnlyMemory (through
        // its conversion from byte[]), not to "no body".
        if (kind == LogBodyKind.Response && !blocks.IsEmpty)
        {
            if (!LogResponseBlocks.TryDecode(blocks, out var decoded))
            {
                return null;
            }

            return decoded;
        }

        var found = kind switch
        {
            LogBodyKind.Request => request,
            LogBodyKind.Response => response,
            _ => headers,
        };
        if (found.IsEmpty)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        if (!span.Overlaps(found, out var offset))
        {
            return null;
        }

        return new ReadOnlyMemory<byte>(entry, offset, found.Length);
    }

    /// <inheritdoc />
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
        => await SubmitAsync(new LogRequest<bool>(LogCommandKind.Flush), cancellationToken).ConfigureAwait(false);

    /// <summary>Stops taking entries, writes and commits everything queued, and closes the files (the SIGTERM path).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        await _diskSweep.ConfigureAwait(false); // its last command was answered or refused by the closed queue
        await Compactions.ConfigureAwait(false); // never throws: the compactors keep their errors
        await CheckpointOnCloseAsync().ConfigureAwait(false);
        while (_sessions.TryDequeue(out var session))
        {
            session.Dispose();
        }

        _writerSession.Dispose();
        _blocks.Dispose();
        _rollup.Dispose();
        _index.Dispose();
        _indexSettings.Dispose();
        _log.Dispose();
        _logSettings.Dispose();
        _commits.Dispose();
    }

    private async ValueTask AppendSlowAsync(LogRowBuffer row, CancellationToken cancellationToken)
    {
        var writer = _queue.Writer;
        try
        {
            while (await writer.WaitToWriteAsync(cancellationToken).ConfigureAwait(false))
            {
                if (writer.TryWrite(LogCommand.Append(row)))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            row.Return();
            throw;
        }

        // Closed by DisposeAsync: a request finishing during shutdown must not fail because of its log row.
        row.Return();
        Interlocked.Increment(ref _failed);
    }

    private async ValueTask<T> SubmitAsync<T>(LogRequest<T> request, CancellationToken cancellationToken = default)
    {
        await _queue.Writer.WriteAsync(LogCommand.Request(request), cancellationToken).ConfigureAwait(false);
        return await request.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
