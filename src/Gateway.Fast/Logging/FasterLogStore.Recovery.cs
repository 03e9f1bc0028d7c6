using System.Buffers;

namespace Gateway.Fast.Logging;

/// <summary>Start-up: replay the committed log into the index and the gateways' rows; and applying each kind of entry.</summary>
public sealed partial class FasterLogStore
{
    /// <summary>Applies the committed entries from <paramref name="from"/> (the begin address, or a checkpoint's address).</summary>
    private void Replay(long from)
    {
        var ids = new LogIdList();
        var gateway = 0; // the gateway of the last row a tombstone deleted
        var converted = new ArrayBufferWriter<byte>(1024);

        // Only up to the last commit: bytes past it may be a torn write from a kill -9, and the next enqueue overwrites them.
        using var iterator = _log.Scan(from, _log.CommittedUntilAddress, recover: false);
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
                    ApplyUpdate(Current(body, version, converted));
                    break;
                case LogRecordKind.Delete or LogRecordKind.DeleteAt when LogRecordCodec.TryReadDelete(body, kind, ids):
                    for (var i = 0; i < ids.Count; i++)
                    {
                        ReplayDelete(ids[i], ids.AddressAt(i), ref gateway);
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

    /// <summary>Replays the deletion of one id, without reading the index when the tombstone gives the row's address.</summary>
    /// <remarks>A lookup of an id reads its hash chain, from disk past the index's memory budget, and retention writes a
    /// tombstone id for every row it deletes: at a row cap, as many as rows appended. Most of those rows lie below the
    /// begin address (truncated, never replayed), and the others are found by address in their gateway's blocks, trying
    /// the gateway of the previous one first: retention deletes a gateway's oldest rows in a run, block after block.</remarks>
    private void ReplayDelete(ReadOnlySpan<byte> id, long address, ref int gateway)
    {
        if (address == LogIdList.UnknownAddress)
        {
            ApplyDelete(id, out _); // a tombstone of an earlier version
            return;
        }

        var table = _gatewaysByIndex;
        if (address < _log.BeginAddress || table.Length == 0)
        {
            return;
        }

        for (var tried = 0; tried < table.Length; tried++)
        {
            var at = (gateway + tried) % table.Length;
            if (table[at].Remove(address))
            {
                IndexDelete(id);
                gateway = at;
                return;
            }
        }
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

    /// <summary>Makes a committed row readable.</summary>
    /// <remarks>Ids are ULIDs (80 random bits), so a new row's id is not looked up first: with the index's chains on disk
    /// that lookup of an absent id would read a whole chain for every row. Should an id come twice (an import), the index
    /// answers the newer row and both stay listed.</remarks>
    private void ApplyRow(long address, ReadOnlySpan<byte> record, GatewayRows rows)
    {
        LogRecordCodec.TryReadHead(record, out var id, out var createdAtUnixMs);
        if (!rows.Add(address, record, createdAtUnixMs))
        {
            Interlocked.Increment(ref _failed); // larger than a metadata block: cannot happen within Kestrel's header and URL limits
            return;
        }

        IndexUpsert(id, new RowPointer(address, rows.Index));
    }

    /// <summary>Makes a committed new version readable (replay); its bodies stay at the original row, which the index
    /// still points at.</summary>
    private void ApplyUpdate(ReadOnlySpan<byte> record)
    {
        if (LogRecordCodec.TryReadHead(record, out var id, out _) && TryFindRows(_writerSession, id, out var pointer, out var rows))
        {
            rows.Replace(pointer.BodyAddress, record);
        }
    }

    /// <summary>Removes a row from its gateway's rows and the index; false when it was not there.</summary>
    private bool ApplyDelete(ReadOnlySpan<byte> id, out long address)
    {
        address = LogIdList.UnknownAddress;
        if (!TryFindRows(_writerSession, id, out var pointer, out var rows) || !rows.Remove(pointer.BodyAddress))
        {
            return false;
        }

        IndexDelete(id);
        address = pointer.BodyAddress;
        return true;
    }

    private bool ApplyDelete(string id, out long address)
    {
        Span<byte> key = stackalloc byte[StackKeyBytes];
        var max = System.Text.Encoding.UTF8.GetMaxByteCount(id.Length);
        key = max <= StackKeyBytes ? key : new byte[max];
        return ApplyDelete(key[..System.Text.Encoding.UTF8.GetBytes(id, key)], out address);
    }
}
