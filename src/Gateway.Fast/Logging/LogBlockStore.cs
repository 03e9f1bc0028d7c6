using System.Buffers.Binary;
using System.Collections.Concurrent;
using FASTER.core;
using BlockSession = FASTER.core.ClientSession<FASTER.core.SpanByte, FASTER.core.SpanByte, FASTER.core.SpanByte,
    Gateway.Fast.Logging.LogBlockBuffer, FASTER.core.Empty, Gateway.Fast.Logging.LogBlockFunctions>;

namespace Gateway.Fast.Logging;

/// <summary>The rows' metadata by block: a FASTER KV under <c>logs/meta/</c>, (gateway index, block number) → block
/// (<see cref="LogBlock"/>), with a memory budget past which older blocks live on disk.</summary>
/// <remarks>
/// <para>Checkpointed with the store (<see cref="LogKvCheckpoint"/>): opening recovers the latest checkpoint, and the
/// store replays only the log past it. Without a usable checkpoint the folder is deleted and rebuilt from the log.</para>
/// <para>The writer changes a closed block (a delete, a PATCH) through a one-block cache: retention deletes rows of the
/// same oldest block one after another, and writing the block back once, at <see cref="Flush"/> (the end of each writer
/// step), instead of once per row, is 256 times fewer block writes. Readers read the KV, so until then they may still
/// see a deleted row in a list; its id is already gone from the id index.</para>
/// <para>A read that a background compaction overtakes is read again (<see cref="Read"/>): FASTER answers "not found"
/// for a record it had started to read from disk once the compaction has moved the begin address past it, though the
/// block is live at the tail. A list would have skipped the block's rows, and the writer found no row to delete or
/// PATCH in it.</para>
/// </remarks>
internal sealed class LogBlockStore : IDisposable
{
    public const int PageSizeBits = 20;
    private const int KeyBytes = 12;

    private readonly FasterKVSettings<SpanByte, SpanByte> _settings;
    private readonly FasterKV<SpanByte, SpanByte> _kv;
    private readonly BlockSession _writer;
    private readonly ConcurrentQueue<BlockSession> _sessions = new();
    private readonly int _maxPooledSessions = Environment.ProcessorCount * 2;
    private readonly LogBlockBuffer _cached = new();
    private readonly LogKvCompactor _compactor;
    private int _cachedGateway = -1;
    private long _cachedNumber = -1;
    private bool _cachedDirty;
    private int _disposed;

    /// <param name="directory">The KV's folder.</param>
    /// <param name="memorySizeBits">Its memory budget.</param>
    /// <param name="recover">Recover its latest checkpoint (<see cref="RecoveredCookie"/> says whether it could); false
    /// deletes the folder first.</param>
    public LogBlockStore(string directory, int memorySizeBits, bool recover)
    {
        if (!recover && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        _settings = new FasterKVSettings<SpanByte, SpanByte>(directory, deleteDirOnDispose: false)
        {
            // 2^17 bytes = 2,048 buckets: 14k blocks (3.6 million rows) before FASTER adds overflow buckets, ~0.04 B a row after.
            IndexSize = 1L << 17,
            PageSize = 1L << PageSizeBits,
            MemorySize = 1L << memorySizeBits,
            SegmentSize = 1L << 26, // compaction frees whole segments: 64 MiB ones free disk sooner
            TryRecoverLatest = false,
        };
        LogDeviceHandles.Bound(_settings.LogDevice);
        _kv = new FasterKV<SpanByte, SpanByte>(_settings);
        RecoveredCookie = recover ? LogKvCheckpoint.Recover(_kv) : null;
        _writer = NewSession();
        _compactor = new(_kv, PageSizeBits, 2L << memorySizeBits);
    }

    /// <summary>The cookie of the checkpoint recovered when opening; null when none was (or none asked for).</summary>
    public byte[]? RecoveredCookie { get; }

    /// <summary>The KV, for the store's checkpoints.</summary>
    public FasterKV<SpanByte, SpanByte> Kv => _kv;

    /// <summary>Test hook: runs when a read has gone to disk, before it completes.</summary>
    internal Action? ReadPending { get; set; }

    /// <summary>Bytes of the KV's log, in memory and on disk (begin to tail).</summary>
    public long LogBytes => _kv.Log.TailAddress - _kv.Log.BeginAddress;

    /// <summary>The KV log's begin address: a compaction moves it past the records it copied (tests).</summary>
    public long BeginAddress => _kv.Log.BeginAddress;

    /// <summary>The metadata log's compaction in progress, or the last one (tests).</summary>
    public Task Compaction => _compactor.Running;

    /// <summary>Starts compacting the KV's log in the background when it has doubled since the last time; writer only.</summary>
    public void CompactIfGrown() => _compactor.StartIfGrown();

    /// <summary>Writes a whole block (a block that just closed); writer only.</summary>
    public void Upsert(int gateway, long number, ReadOnlySpan<byte> block)
    {
        if (IsCached(gateway, number))
        {
            _cachedGateway = -1;
            _cachedDirty = false;
        }

        Write(gateway, number, block);
    }

    /// <summary>A closed block for the writer to read or change in place (then <see cref="MarkDirty"/>); empty when absent.
    /// The span stays valid until the next call on this store.</summary>
    public Span<byte> Load(int gateway, long number)
    {
        if (!IsCached(gateway, number))
        {
            Flush();
            _cached.Clear();
            _cachedGateway = -1;
            if (!Read(_writer, gateway, number, _cached))
            {
                return default;
            }

            _cachedGateway = gateway;
            _cachedNumber = number;
        }

        return _cached.WritableSpan;
    }

    /// <summary>The block last returned by <see cref="Load"/> was changed: write it back at the next <see cref="Flush"/>.</summary>
    public void MarkDirty() => _cachedDirty = true;

    /// <summary>Replaces the cached block with new contents (a PATCH changed a record's length).</summary>
    public void Store(int gateway, long number, ReadOnlySpan<byte> block)
    {
        if (!IsCached(gateway, number))
        {
            Flush();
        }

        _cached.CopyFrom(block);
        _cachedGateway = gateway;
        _cachedNumber = number;
        _cachedDirty = true;
    }

    /// <summary>Deletes a block whose rows are all deleted.</summary>
    public unsafe void Delete(int gateway, long number)
    {
        if (IsCached(gateway, number))
        {
            _cachedGateway = -1;
            _cachedDirty = false;
        }

        Span<byte> key = stackalloc byte[KeyBytes];
        WriteKey(key, gateway, number);
        fixed (byte* k = key)
        {
            var keySpan = SpanByte.FromPointer(k, KeyBytes);
            if (_writer.Delete(ref keySpan).IsPending)
            {
                _writer.CompletePending(wait: true);
            }
        }
    }

    /// <summary>Writes the cached block back if it changed; the writer calls it at the end of each step.</summary>
    public void Flush()
    {
        if (_cachedDirty && _cachedGateway >= 0)
        {
            Write(_cachedGateway, _cachedNumber, _cached.Span);
        }

        _cachedDirty = false;
    }

    /// <summary>Copies a block into <paramref name="buffer"/>; any thread.</summary>
    public bool TryRead(int gateway, long number, LogBlockBuffer buffer)
    {
        var session = RentSession();
        try
        {
            return Read(session, gateway, number, buffer);
        }
        finally
        {
            ReturnSession(session);
        }
    }

    /// <summary>Reads the values of <paramref name="numbers"/> of one gateway into <paramref name="buffers"/> (one each; an
    /// empty buffer: not found), any thread. Those on disk are all asked for before waiting once for them, instead of one
    /// wait each: the analytics of a week read 168 hours of the rollup store, on disk past its memory budget, and on a
    /// busy machine every wait for a read's completion costs a thread's turn.</summary>
    public void ReadMany(int gateway, ReadOnlySpan<long> numbers, LogBlockBuffer[] buffers)
    {
        var session = RentSession();
        try
        {
            var begin = _kv.Log.BeginAddress;
            var pending = false;
            for (var i = 0; i < numbers.Length; i++)
            {
                buffers[i].Clear();
                pending |= Issue(session, gateway, numbers[i], buffers[i]);
            }

            if (pending)
            {
                ReadPending?.Invoke();
                session.CompletePending(wait: true);
            }

            if (_kv.Log.BeginAddress != begin)
            {
                // A compaction overtook the reads: those it answered "not found" are read again one by one (see Read).
                for (var i = 0; i < numbers.Length; i++)
                {
                    if (buffers[i].Length == 0)
                    {
                        Read(session, gateway, numbers[i], buffers[i]);
                    }
                }
            }
        }
        finally
        {
            ReturnSession(session);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _compactor.Running.Wait(); // never throws: the compactor keeps its errors
        while (_sessions.TryDequeue(out var session))
        {
            session.Dispose();
        }

        _writer.Dispose();
        _kv.Dispose();
        _settings.Dispose();
        _cached.Dispose();
    }

    private bool IsCached(int gateway, long number) => _cachedGateway == gateway && _cachedNumber == number;

    private BlockSession NewSession() => _kv.For(new LogBlockFunctions()).NewSession<LogBlockFunctions>();

    /// <summary>A reader's session: a pooled one, or a new one when all are in use.</summary>
    private BlockSession RentSession()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _sessions.TryDequeue(out var pooled) ? pooled : NewSession();
    }

    /// <summary>Pools a reader's session again, or disposes it once the store is disposed or the pool is full.</summary>
    private void ReturnSession(BlockSession session)
    {
        if (Volatile.Read(ref _disposed) != 0 || _sessions.Count >= _maxPooledSessions)
        {
            session.Dispose();
        }
        else
        {
            _sessions.Enqueue(session);
        }
    }

    private static void WriteKey(Span<byte> key, int gateway, long number)
    {
        BinaryPrimitives.WriteInt32LittleEndian(key, gateway);
        BinaryPrimitives.WriteInt64LittleEndian(key[4..], number);
    }

    /// <summary>Reads a block; a read that overlapped a move of the begin address and found nothing is read again.</summary>
    private bool Read(BlockSession session, int gateway, long number, LogBlockBuffer buffer)
    {
        while (true)
        {
            var begin = _kv.Log.BeginAddress;
            var found = ReadOnce(session, gateway, number, buffer);
            if (found || _kv.Log.BeginAddress == begin)
            {
                return found;
            }
        }
    }

    private unsafe bool ReadOnce(BlockSession session, int gateway, long number, LogBlockBuffer buffer)
    {
        Span<byte> key = stackalloc byte[KeyBytes];
        WriteKey(key, gateway, number);
        Status status;
        fixed (byte* k = key)
        {
            var keySpan = SpanByte.FromPointer(k, KeyBytes); // read synchronously below, while the key is fixed
            status = session.Read(ref keySpan, ref buffer);
            if (status.IsPending)
            {
                ReadPending?.Invoke();
                session.CompletePendingWithOutputs(out var outputs, wait: true);
                using (outputs)
                {
                    while (outputs.Next())
                    {
                        status = outputs.Current.Status;
                    }
                }
            }
        }

        return status.Found;
    }

    /// <summary>Starts a read into <paramref name="buffer"/>; true when it went to disk and completes at the session's
    /// next CompletePending (FASTER keeps a copy of the key and fills the same buffer instance).</summary>
    private static unsafe bool Issue(BlockSession session, int gateway, long number, LogBlockBuffer buffer)
    {
        Span<byte> key = stackalloc byte[KeyBytes];
        WriteKey(key, gateway, number);
        fixed (byte* k = key)
        {
            var keySpan = SpanByte.FromPointer(k, KeyBytes);
            return session.Read(ref keySpan, ref buffer).IsPending;
        }
    }

    private unsafe void Write(int gateway, long number, ReadOnlySpan<byte> block)
    {
        Span<byte> key = stackalloc byte[KeyBytes];
        WriteKey(key, gateway, number);
        fixed (byte* k = key, v = block)
        {
            var keySpan = SpanByte.FromPointer(k, KeyBytes);
            var valueSpan = SpanByte.FromPointer(v, block.Length);
            if (_writer.Upsert(ref keySpan, ref valueSpan).IsPending)
            {
                _writer.CompletePending(wait: true);
            }
        }
    }
}
