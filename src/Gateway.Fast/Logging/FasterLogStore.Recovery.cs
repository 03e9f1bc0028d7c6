using System.Buffers;

namespace Gateway.Fast.Logging;

/// <summary>Start-up: replay the committed log into the index and the gateways' rows; and applying each kind of entry.</summary>
public sealed partial class FasterLogStore
{
    private void Replay()
    {
        var ids = new LogIdList();
        var converted = new ArrayBufferWriter<byte>(1024);

        // Only up to the last commit: bytes past it may be a torn write from a kill -9, and the next enqueue overwrites them.
        using var iterator = _log.Scan(_log.BeginAddress, _log.CommittedUntilAddress, recover: false);
        while (iterator.GetNext(out byte[] entry, out var length, out var address, out _))
        {
            if (!LogRecordCodec.TryOpen(entry.AsSpan(0, length), out var kind, out var version, out var body))
            {
                _corrupt++;
                continue;
            }

            switch (kind)
            {
                case LogRecordKind.Row when LogRecordCodec.TryReadRow(body, version, out var record, out _, out _):
                    record = Current(record, version, converted);
                    ApplyRow(address, record, GatewayOf(record));
                    break;
                case LogRecordKind.Update when LogRecordCodec.IsRecord(body, version):
                    ApplyUpdate(address, Current(body, version, converted));
                    break;
                case LogRecordKind.Delete when LogRecordCodec.TryReadDelete(body, ids):
                    for (var i = 0; i < ids.Count; i++)
                    {
                        ApplyDelete(ids[i]);
                    }

                    ids.Clear();
                    break;
                default:
                    ids.Clear();
                    _corrupt++;
                    break;
            }
        }

        _blocks.Flush();
        _rollup.Flush();
    }

    /// <summary>A record in the current version: itself, or a version 1 record re-encoded into <paramref name="scratch"/>.</summary>
    private static ReadOnlySpan<byte> Current(ReadOnlySpan<byte> record, byte version, ArrayBufferWriter<byte> scratch)
    {
        if (version == LogRecordCodec.Version)
        {
            return record;
        }

        var fields = LogRowFields.From(LogRecordCodec.ReadRecord(record, version)!);
        scratch.ResetWrittenCount();
        scratch.Advance(LogRecordCodec.WriteRecord(scratch.GetSpan(LogRecordCodec.MaxRecordSize(in fields)), in fields));
        return scratch.WrittenSpan;
    }

    /// <summary>The rows of a replayed record's gateway (recovery only: decodes the gateway id unless it repeats the last one's).</summary>
    private GatewayRows GatewayOf(ReadOnlySpan<byte> record)
    {
        var gateway = LogRecordCodec.GatewayIdOf(record);
        var table = Volatile.Read(ref _gatewaysByIndex);
        for (var i = table.Length - 1; i >= 0; i--)
        {
            if (table[i].IdUtf8.AsSpan().SequenceEqual(gateway))
            {
                return table[i];
            }
        }

        return GetOrAddGateway(System.Text.Encoding.UTF8.GetString(gateway));
    }

    /// <summary>Makes a committed row readable (replacing an older row with the same id, which only an import could produce).</summary>
    private void ApplyRow(long address, ReadOnlySpan<byte> record, GatewayRows rows)
    {
        LogRecordCodec.TryReadHead(record, out var id, out var createdAtUnixMs);
        ApplyDelete(id);
        if (!rows.Add(address, record, createdAtUnixMs))
        {
            Interlocked.Increment(ref _failed); // larger than a metadata block: cannot happen within Kestrel's header and URL limits
            return;
        }

        IndexUpsert(id, new RowPointer(address, address, rows.Index));
    }

    /// <summary>Makes a committed new version readable; its bodies stay at the original row.</summary>
    private void ApplyUpdate(long address, ReadOnlySpan<byte> record)
    {
        if (LogRecordCodec.TryReadHead(record, out var id, out _)
            && TryFindRows(_writerSession, id, out var pointer, out var rows)
            && rows.Replace(pointer.BodyAddress, record))
        {
            IndexUpsert(id, pointer with { RowAddress = address });
        }
    }

    /// <summary>Removes a row from its gateway's rows and the index; false when it was not there.</summary>
    private bool ApplyDelete(ReadOnlySpan<byte> id)
    {
        if (!TryFindRows(_writerSession, id, out var pointer, out var rows) || !rows.Remove(pointer.BodyAddress))
        {
            return false;
        }

        IndexDelete(id);
        return true;
    }

    private bool ApplyDelete(string id)
    {
        Span<byte> key = stackalloc byte[StackKeyBytes];
        var max = System.Text.Encoding.UTF8.GetMaxByteCount(id.Length);
        key = max <= StackKeyBytes ? key : new byte[max];
        return ApplyDelete(key[..System.Text.Encoding.UTF8.GetBytes(id, key)]);
    }
}
