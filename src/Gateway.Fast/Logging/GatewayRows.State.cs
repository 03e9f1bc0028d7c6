using System.Buffers;
using System.Buffers.Binary;

namespace Gateway.Fast.Logging;

/// <summary>A gateway's rows as a checkpoint keeps them: its block summaries and open block, since its closed blocks are
/// in the metadata store's own checkpoint.</summary>
/// <remarks>
/// <code>
/// state   = i32 id-length  id  i64 head-number  i32 blocks  i32 live  i32 open-rows  i32 open-length  summary*  open-block
/// summary = i64 first  i64 first-live  i64 min-created  i64 max-created  i32 live
///           u64 models  u64 metadata  u16 providers  u16 teams  u8 flags  i32 min-duration  i32 max-duration
/// </code>
/// 65 bytes a block of up to 256 rows: a store of 10 million rows writes about 2.5 MB, and 64 KiB at most a gateway for its open block.
/// </remarks>
internal sealed partial class GatewayRows
{
    private const int SummaryBytes = (4 * 8) + 4 + 8 + 8 + 2 + 2 + 1 + 4 + 4;

    /// <summary>Appends this gateway's state (writer only, between two writer steps: nothing pending).</summary>
    public void WriteState(ArrayBufferWriter<byte> output)
    {
        lock (_lock)
        {
            var size = 4 + IdUtf8.Length + 8 + (4 * 5) + (_count * SummaryBytes) + _openLength;
            var span = output.GetSpan(size);
            var at = 0;
            at += WriteInt(span[at..], IdUtf8.Length);
            IdUtf8.CopyTo(span[at..]);
            at += IdUtf8.Length;
            BinaryPrimitives.WriteInt64LittleEndian(span[at..], _headNumber);
            at += 8;
            at += WriteInt(span[at..], _count);
            at += WriteInt(span[at..], _live);
            at += WriteInt(span[at..], _openRows);
            at += WriteInt(span[at..], _openLength);
            for (var i = _head; i < _head + _count; i++)
            {
                at += WriteSummary(span[at..], in _blocks[i]);
            }

            _open.AsSpan(0, _openLength).CopyTo(span[at..]);
            output.Advance(at + _openLength);
        }
    }

    /// <summary>Reads a gateway written by <see cref="WriteState"/> at <paramref name="state"/>'s start; null when the
    /// bytes do not hold one (the caller then replays the whole log).</summary>
    public static GatewayRows? ReadState(ref ReadOnlySpan<byte> state, int index, LogBlockStore store, LogRollup rollup)
    {
        if (state.Length < 4 || BinaryPrimitives.ReadInt32LittleEndian(state) is var idLength && (idLength < 0 || state.Length < 4 + idLength + 28))
        {
            return null;
        }

        var id = System.Text.Encoding.UTF8.GetString(state.Slice(4, idLength));
        var rest = state[(4 + idLength)..];
        var headNumber = BinaryPrimitives.ReadInt64LittleEndian(rest);
        var count = BinaryPrimitives.ReadInt32LittleEndian(rest[8..]);
        var live = BinaryPrimitives.ReadInt32LittleEndian(rest[12..]);
        var openRows = BinaryPrimitives.ReadInt32LittleEndian(rest[16..]);
        var openLength = BinaryPrimitives.ReadInt32LittleEndian(rest[20..]);
        rest = rest[24..];
        if (count < 0 || openLength < 0 || openRows < 0 || (long)count * SummaryBytes + openLength > rest.Length || (count == 0 && openLength > 0))
        {
            return null;
        }

        var rows = new GatewayRows(id, index, store, rollup)
        {
            _blocks = new LogBlockSummary[Math.Max(16, (int)BitOperationsRoundUp(count))],
            _count = count,
            _headNumber = headNumber,
            _live = live,
            _openRows = openRows,
            _openLength = openLength,
        };
        for (var i = 0; i < count; i++)
        {
            rows._blocks[i] = ReadSummary(rest);
            rest = rest[SummaryBytes..];
        }

        if (count > 0)
        {
            rows._open = new byte[Math.Max(LogBlock.MaxBytes, openLength)];
            rest[..openLength].CopyTo(rows._open);
        }

        state = rest[openLength..];
        return rows;
    }

    private static long BitOperationsRoundUp(int count) => System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, count));

    private static int WriteInt(Span<byte> span, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(span, value);
        return 4;
    }

    private static int WriteSummary(Span<byte> span, in LogBlockSummary summary)
    {
        BinaryPrimitives.WriteInt64LittleEndian(span, summary.FirstAddress);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], summary.FirstLiveAddress);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], summary.MinCreatedAtUnixMs);
        BinaryPrimitives.WriteInt64LittleEndian(span[24..], summary.MaxCreatedAtUnixMs);
        BinaryPrimitives.WriteInt32LittleEndian(span[32..], summary.Live);
        var filter = summary.Filter;
        BinaryPrimitives.WriteUInt64LittleEndian(span[36..], filter.Models);
        BinaryPrimitives.WriteUInt64LittleEndian(span[44..], filter.Metadata);
        BinaryPrimitives.WriteUInt16LittleEndian(span[52..], filter.Providers);
        BinaryPrimitives.WriteUInt16LittleEndian(span[54..], filter.Teams);
        span[56] = filter.Flags;
        BinaryPrimitives.WriteInt32LittleEndian(span[57..], filter.MinDuration);
        BinaryPrimitives.WriteInt32LittleEndian(span[61..], filter.MaxDuration);
        return SummaryBytes;
    }

    private static LogBlockSummary ReadSummary(ReadOnlySpan<byte> span) => new(
        BinaryPrimitives.ReadInt64LittleEndian(span),
        BinaryPrimitives.ReadInt64LittleEndian(span[8..]),
        BinaryPrimitives.ReadInt64LittleEndian(span[16..]),
        BinaryPrimitives.ReadInt64LittleEndian(span[24..]),
        BinaryPrimitives.ReadInt32LittleEndian(span[32..]))
    {
        Filter = new LogBlockFilter(
            BinaryPrimitives.ReadUInt64LittleEndian(span[36..]),
            BinaryPrimitives.ReadUInt64LittleEndian(span[44..]),
            BinaryPrimitives.ReadUInt16LittleEndian(span[52..]),
            BinaryPrimitives.ReadUInt16LittleEndian(span[54..]),
            span[56],
            BinaryPrimitives.ReadInt32LittleEndian(span[57..]),
            BinaryPrimitives.ReadInt32LittleEndian(span[61..])),
    };
}
