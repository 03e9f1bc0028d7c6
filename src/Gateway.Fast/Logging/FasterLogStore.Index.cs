using System.Runtime.InteropServices;
using System.Text;
using FASTER.core;
using IndexSession = FASTER.core.ClientSession<FASTER.core.SpanByte, FASTER.core.SpanByte, FASTER.core.SpanByte,
    Gateway.Fast.Logging.RowPointer, FASTER.core.Empty, Gateway.Fast.Logging.LogIndexFunctions>;

namespace Gateway.Fast.Logging;

/// <summary>The id index (FASTER KV, id → <see cref="RowPointer"/>, hashed by <see cref="LogIndexComparer"/>) and the gateway table.</summary>
public sealed partial class FasterLogStore
{
    // ULIDs are 26 ASCII characters; longer ids (tests, imports) take the heap path.
    private const int StackKeyBytes = 256;

    private readonly int _maxPooledSessions = Environment.ProcessorCount * 2;

    /// <summary>Finds the live row of <paramref name="id"/> through the index and its gateway's rows, decoded.</summary>
    private bool TryFind(IndexSession session, string id, out RowPointer pointer, out GatewayRows rows, out LogRecord record)
    {
        var max = Encoding.UTF8.GetMaxByteCount(id.Length);
        Span<byte> key = max <= StackKeyBytes ? stackalloc byte[StackKeyBytes] : new byte[max];
        key = key[..Encoding.UTF8.GetBytes(id, key)];
        if (TryFindRows(session, key, out pointer, out rows) && rows.TryGet(pointer.BodyAddress, out record))
        {
            return true;
        }

        rows = null!;
        record = null!;
        return false;
    }

    /// <summary>The index's pointer for <paramref name="id"/> and the rows of its gateway.</summary>
    private bool TryFindRows(IndexSession session, ReadOnlySpan<byte> id, out RowPointer pointer, out GatewayRows rows)
    {
        if (IndexRead(session, id, out pointer))
        {
            var table = Volatile.Read(ref _gatewaysByIndex);
            if ((uint)pointer.GatewayIndex < (uint)table.Length)
            {
                rows = table[pointer.GatewayIndex];
                return true;
            }
        }

        rows = null!;
        return false;
    }

    /// <summary>Reads the pointer of <paramref name="id"/>; a read that a compaction overtook is read again.</summary>
    /// <remarks>
    /// A compaction copies the live records of the index's oldest pages to the tail, then moves the log's begin address
    /// past them. A read that found the old copy before that and completes its disk read after it is answered "not
    /// found" by FASTER (its record now lies below the begin address), though the key is live at the tail: a GET, PATCH
    /// or DELETE by id would miss a row for a moment. Only a read that overlapped a move of the begin address can be
    /// such a false miss, and then reading again finds the copy.
    /// </remarks>
    private bool IndexRead(IndexSession session, ReadOnlySpan<byte> id, out RowPointer pointer)
    {
        while (true)
        {
            var begin = _index.Log.BeginAddress;
            var found = IndexReadOnce(session, id, out pointer);
            if (found || _index.Log.BeginAddress == begin)
            {
                return found;
            }
        }
    }

    private static unsafe bool IndexReadOnce(IndexSession session, ReadOnlySpan<byte> id, out RowPointer pointer)
    {
        pointer = default;
        Status status;
        fixed (byte* key = id)
        {
            var k = SpanByte.FromPointer(key, id.Length); // read synchronously below, while the key is fixed
            status = session.Read(ref k, ref pointer);
            if (status.IsPending)
            {
                session.CompletePendingWithOutputs(out var outputs, wait: true);
                using (outputs)
                {
                    while (outputs.Next())
                    {
                        status = outputs.Current.Status;
                        pointer = outputs.Current.Output;
                    }
                }
            }
        }

        if (!status.Found)
        {
            pointer = default;
        }

        return status.Found;
    }

    private unsafe void IndexUpsert(ReadOnlySpan<byte> id, RowPointer pointer)
    {
        Span<byte> value = stackalloc byte[RowPointer.Size];
        MemoryMarshal.Write(value, in pointer);
        fixed (byte* key = id)
        {
            var k = SpanByte.FromPointer(key, id.Length);
            var v = SpanByte.FromFixedSpan(value);
            if (_writerSession.Upsert(ref k, ref v).IsPending)
            {
                _writerSession.CompletePending(wait: true);
            }
        }

        _indexCompactor.Written();
    }

    private unsafe void IndexDelete(ReadOnlySpan<byte> id)
    {
        fixed (byte* key = id)
        {
            var k = SpanByte.FromPointer(key, id.Length);
            if (_writerSession.Delete(ref k).IsPending)
            {
                _writerSession.CompletePending(wait: true);
            }
        }

        _indexCompactor.Deleted();
    }

    /// <summary>The gateway's list, created (writer and recovery only) when it has none yet.</summary>
    private GatewayRows GetOrAddGateway(string gatewayId)
    {
        if (_gateways.TryGetValue(gatewayId, out var rows))
        {
            return rows;
        }

        var table = _gatewaysByIndex;
        rows = new GatewayRows(gatewayId, table.Length, _blocks, _rollup);
        Volatile.Write(ref _gatewaysByIndex, [.. table, rows]);
        _gateways[gatewayId] = rows;
        return rows;
    }

    private IndexSession RentSession()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _sessions.TryDequeue(out var session) ? session : _index.For(new LogIndexFunctions()).NewSession<LogIndexFunctions>();
    }

    private void ReturnSession(IndexSession session)
    {
        if (Volatile.Read(ref _disposed) != 0 || _sessions.Count >= _maxPooledSessions)
        {
            session.Dispose();
            return;
        }

        _sessions.Enqueue(session);
    }
}
