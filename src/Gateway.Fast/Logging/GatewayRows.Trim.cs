namespace Gateway.Fast.Logging;

/// <summary>The disk budget's deletion: every live row below a log address, a block at a time.</summary>
internal sealed partial class GatewayRows
{
    /// <summary>Deletes every live row below <paramref name="logAddress"/> (writer only) and returns how many: the rows of
    /// the log's oldest segment, which the truncation that follows removes from the log itself.</summary>
    /// <remarks>The oldest blocks lie wholly below the address: each is read once, its rows taken out of the sums, and it
    /// is deleted from the store, where <see cref="Remove"/> per row found its block and its entry again and summarised
    /// the block again for every row (~45 µs a row in a Debug build; the soak writes ~18,000 rows a second). Only the
    /// last block, which the address cuts, is kept, with its rows below the address marked dead.</remarks>
    public int RemoveBelow(long logAddress)
    {
        var removed = 0;
        for (var at = _head; at < _head + _count && _blocks[at].FirstAddress < logAddress; at++)
        {
            if (_blocks[at].Live == 0)
            {
                continue;
            }

            if (IsOpen(at))
            {
                // Readers copy the open block under the lock: it changes under the lock too.
                lock (_lock)
                {
                    var dead = MarkDeadBelow(_open.AsSpan(0, _openLength), logAddress);
                    _blocks[at] = Resummarize(_open.AsSpan(0, _openLength), at, default);
                    _live -= dead;
                    removed += dead;
                }

                continue;
            }

            var number = NumberOf(at);
            var block = store.Load(Index, number);
            var count = MarkDeadBelow(block, logAddress);
            var summary = Resummarize(block, at, default);
            if (summary.Live == 0)
            {
                store.Delete(Index, number);
            }
            else if (count > 0)
            {
                store.MarkDirty();
            }

            lock (_lock)
            {
                _blocks[at] = summary;
                _live -= count;
            }

            removed += count;
        }

        lock (_lock)
        {
            TrimHead();
        }

        return removed;
    }

    /// <summary>Marks the live entries below <paramref name="logAddress"/> dead and takes them out of the sums.</summary>
    private int MarkDeadBelow(Span<byte> block, long logAddress)
    {
        var dead = 0;
        for (var e = new LogBlock.Enumerator(block); e.MoveNext() && e.Address < logAddress;)
        {
            if (e.Live)
            {
                rollup.Remove(Index, e.Record);
                LogBlock.MarkDead(block, e.Offset);
                dead++;
            }
        }

        return dead;
    }
}
