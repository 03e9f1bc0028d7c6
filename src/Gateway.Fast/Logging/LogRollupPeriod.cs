using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Gateway.Fast.Logging;

/// <summary>One gateway's analytics cells for one minute or one hour, and their encoding as a value of the rollup store.</summary>
/// <remarks>
/// <code>
/// period = u8 format  i32 cells  cell*            format 1; format 2 (overflowed) has no cells
/// cell   = str provider, model, model-type, request-type, team-id, team-name   (i32 length, -1 for null; UTF-8)
///          i32 status  u8 flags(1 success, 2 cached)  i64 requests, tokens-in, tokens-out  decimal cost  i64 newest
///          histogram durations  histogram ttft       (i32 n, then n × (u16 bucket, i64 count))
/// </code>
/// A period is kept in one store value, which must fit in the store's page: one whose keys are so many (thousands of
/// distinct models in a minute) that it would not is marked overflowed, and a query whose range meets it is answered
/// from the rows instead.
/// </remarks>
public sealed class LogRollupPeriod
{
    private const byte Format = 1;
    private const byte OverflowFormat = 2;

    public Dictionary<LogRollupKey, LogRollupCell> Cells { get; } = [];

    /// <summary>The period's cells did not fit in one value: its sums are not kept (until the store is reopened).</summary>
    public bool Overflowed { get; set; }

    /// <summary>The cell of <paramref name="key"/>, added empty when absent.</summary>
    public LogRollupCell Cell(in LogRollupKey key)
    {
        if (!Cells.TryGetValue(key, out var cell))
        {
            Cells[key] = cell = new LogRollupCell();
        }

        return cell;
    }

    /// <summary>Writes the period; false when it is larger than <paramref name="maxBytes"/> (then nothing is written).</summary>
    public bool TryEncode(ArrayBufferWriter<byte> output, int maxBytes)
    {
        output.ResetWrittenCount();
        if (Overflowed)
        {
            output.Write([OverflowFormat]);
            return true;
        }

        output.Write([Format]);
        WriteInt(output, Cells.Count);
        Span<int> bits = stackalloc int[4];
        foreach (var (key, cell) in Cells)
        {
            WriteString(output, key.Provider);
            WriteString(output, key.Model);
            WriteString(output, key.ModelType);
            WriteString(output, key.RequestType);
            WriteString(output, key.TeamId);
            WriteString(output, key.TeamName);
            WriteInt(output, key.StatusCode);
            output.Write([(byte)((key.Success ? 1 : 0) | (key.Cached ? 2 : 0))]);
            WriteLong(output, cell.Requests);
            WriteLong(output, cell.TokensIn);
            WriteLong(output, cell.TokensOut);
            decimal.GetBits(cell.Cost, bits);
            foreach (var part in bits)
            {
                WriteInt(output, part);
            }

            WriteLong(output, cell.NewestUnixMs);
            WriteHistogram(output, cell.Durations);
            WriteHistogram(output, cell.TimesToFirstToken);
            if (output.WrittenCount > maxBytes)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads a period written by <see cref="TryEncode"/>; null when the bytes are not one. Without
    /// <paramref name="histograms"/> the cells' latency counts are skipped (a count of rows needs none of them, and they are
    /// most of a busy hour's bytes: a dictionary of up to 200 buckets a cell).</summary>
    public static LogRollupPeriod? Decode(ReadOnlySpan<byte> bytes, bool histograms = true)
    {
        var reader = new Reader(bytes);
        var period = new LogRollupPeriod();
        var format = reader.Byte();
        if (format == OverflowFormat)
        {
            period.Overflowed = true;
            return period;
        }

        if (format != Format)
        {
            return null;
        }

        var cells = reader.Int();
        for (var i = 0; i < cells && reader.Ok; i++)
        {
            var provider = reader.String() ?? "";
            var model = reader.String() ?? "";
            var modelType = reader.String() ?? "";
            var requestType = reader.String() ?? "";
            var teamId = reader.String();
            var teamName = reader.String();
            var status = reader.Int();
            var flags = reader.Byte();
            var key = new LogRollupKey(provider, model, modelType, requestType, status, (flags & 1) != 0, (flags & 2) != 0, teamId, teamName);
            var cell = new LogRollupCell();
            var requests = reader.Long();
            var tokensIn = reader.Long();
            var tokensOut = reader.Long();
            var cost = new decimal([reader.Int(), reader.Int(), reader.Int(), reader.Int()]);
            cell.Set(requests, tokensIn, tokensOut, cost, reader.Long());
            if (histograms)
            {
                reader.Histogram(cell.Durations);
                reader.Histogram(cell.TimesToFirstToken);
            }
            else
            {
                reader.SkipHistogram();
                reader.SkipHistogram();
            }
            period.Cells[key] = cell;
        }

        return reader.Ok ? period : null;
    }

    private static void WriteInt(ArrayBufferWriter<byte> output, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    private static void WriteLong(ArrayBufferWriter<byte> output, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    private static void WriteString(ArrayBufferWriter<byte> output, string? value)
    {
        if (value is null)
        {
            WriteInt(output, -1);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        WriteInt(output, length);
        output.Advance(Encoding.UTF8.GetBytes(value, output.GetSpan(length)));
    }

    private static void WriteHistogram(ArrayBufferWriter<byte> output, Dictionary<int, long> counts)
    {
        WriteInt(output, counts.Count);
        foreach (var (bucket, count) in counts)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(output.GetSpan(2), (ushort)bucket);
            output.Advance(2);
            WriteLong(output, count);
        }
    }

    /// <summary>Reads the encoding front to back; past a malformed part <see cref="Ok"/> is false and every read gives 0.</summary>
    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _at;

        public bool Ok { get; private set; } = true;

        public byte Byte() => Take(1) is { Length: 1 } b ? b[0] : (byte)0;

        public int Int() => Take(4) is { Length: 4 } b ? BinaryPrimitives.ReadInt32LittleEndian(b) : 0;

        public long Long() => Take(8) is { Length: 8 } b ? BinaryPrimitives.ReadInt64LittleEndian(b) : 0;

        public string? String()
        {
            var length = Int();
            return length < 0 ? null : Encoding.UTF8.GetString(Take(length));
        }

        public void Histogram(Dictionary<int, long> counts)
        {
            var n = Int();
            for (var i = 0; i < n && Ok; i++)
            {
                var bucket = Take(2) is { Length: 2 } b ? BinaryPrimitives.ReadUInt16LittleEndian(b) : 0;
                counts[bucket] = Long();
            }
        }

        public void SkipHistogram()
        {
            var n = Int();
            Take(n < 0 || n > int.MaxValue / 10 ? -1 : n * 10); // u16 bucket + i64 count each
        }

        private ReadOnlySpan<byte> Take(int length)
        {
            if (!Ok || length < 0 || _at + length > _bytes.Length)
            {
                Ok = false;
                return default;
            }

            var taken = _bytes.Slice(_at, length);
            _at += length;
            return taken;
        }
    }
}
