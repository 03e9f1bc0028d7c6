using System.Runtime.InteropServices;
using System.Text;
using FASTER.core;
using IndexSession = FASTER.core.ClientSession<FASTER.core.SpanByte, FASTER.core.SpanByte, FASTER.core.SpanByte,
    Gateway.Fast.Logging.RowPointer, FASTER.core.Empty, Gateway.Fast.Logging.LogIndexFunctions>;

namespace Gateway.Fast.Logging;

/// <summary>The id index (FASTER KV, id → <see cref="RowPointer"/>) and the gateway table.</summary>
public sealed partial class FasterLogStore
{
    // ULIDs are 26 ASCII characters; longer ids (tests, imports) take the heap path.
    private const int StackKeyBytes = 256;

    private readonly int _maxPooledSessions = Environment.ProcessorCount * 2;

    /// <summary>Finds the live row of <paramref name="id"/> through the index and its gateway's list.</summary>
    private bool TryFind(IndexSession session, string id, out RowPointer pointer, out GatewayRows rows, out LogRecord record)
    {
        if (IndexRead(session, id, out pointer))
        {
            var table = Volatile.Read(ref _gatewaysByIndex);
            if ((uint)pointer.GatewayIndex < (uint)table.Length)
            {
                rows = table[pointer.GatewayIndex];
                if (rows.TryGet(pointer.BodyAddress, out record))
                {
                    return true;
                }
            }
        }

        rows = null!;
        record = null!;
        return false;
    }

    private static bool IndexRead(IndexSession session, string id, out RowPointer pointer)
    {
        var max = Encoding.UTF8.GetMaxByteCount(id.Length);
        Span<byte> key = max <= StackKeyBytes ? stackalloc byte[StackKeyBytes] : new byte[max];
        key = key[..Encoding.UTF8.GetBytes(id, key)];
        var k = SpanByte.FromFixedSpan(key); // stack memory, or a heap array read synchronously below
        pointer = default;
        var status = session.Read(ref k, ref pointer);
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

        return status.Found;
    }

    private unsafe void IndexUpsert(string id, RowPointer pointer)
    {
        var keyBytes = Encoding.UTF8.GetBytes(id);
        Span<byte> value = stackalloc byte[RowPointer.Size];
        MemoryMarshal.Write(value, in pointer);
        fixed (byte* key = keyBytes)
        {
            var k = SpanByte.FromPointer(key, keyBytes.Length);
            var v = SpanByte.FromFixedSpan(value);
            if (_writerSession.Upsert(ref k, ref v).IsPending)
            {
                _writerSession.CompletePending(wait: true);
            }
        }
    }

    private unsafe void IndexDelete(string id)
    {
        var keyBytes = Encoding.UTF8.GetBytes(id);
        fixed (byte* key = keyBytes)
        {
            var k = SpanByte.FromPointer(key, keyBytes.Length);
            if (_writerSession.Delete(ref k).IsPending)
            {
                _writerSession.CompletePending(wait: true);
            }
        }
    }

    /// <summary>The gateway's list, created (writer and recovery only) when it has none yet.</summary>
    private GatewayRows GetOrAddGateway(string gatewayId)
    {
        if (_gateways.TryGetValue(gatewayId, out var rows))
        {
            return rows;
        }

        var table = _gatewaysByIndex;
        rows = new GatewayRows(gatewayId, table.Length);
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
