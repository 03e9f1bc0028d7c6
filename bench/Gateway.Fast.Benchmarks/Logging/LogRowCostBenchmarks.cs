using BenchmarkDotNet.Attributes;
using Gateway.Fast.Benchmarks.Infrastructure;
using Gateway.Fast.Logging;
using Gateway.Fast.Utilities;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Benchmarks.Logging;

/// <summary>
/// The two halves of a logged request's row, each on its own: what the request thread does (capture the response
/// headers, encode the row with both bodies into a pooled array) and what the writer does with every committed row
/// before its sums and block filter (decode its record).
/// </summary>
/// <remarks>
/// <see cref="LogAppendBenchmarks"/> measures the whole path with the store, whose bytes per row depend on how many rows
/// the writer takes per commit; these two do not. <see cref="DecodeWholeRecord"/> is the decode a read of the row makes
/// (and the writer made before it read the columns it needs into a struct), for comparison with <see cref="DecodeForSums"/>.
/// </remarks>
[MemoryDiagnoser]
public class LogRowCostBenchmarks
{
    private readonly HeaderDictionary _headers = LogBenchRows.ResponseHeaders();

    private readonly ResponseHeaderCapture _capture = new();
    private readonly LogStringCache _strings = new();
    private LogRowFields _row;
    private byte[] _record = [];

    [GlobalSetup]
    public void Setup()
    {
        _row = LogBenchRows.Fields(Ulid.NewUlid(LogBenchRows.CreatedAt), LogBenchRows.CreatedAt, bodies: true);
        _row.SessionId = "session-0123456789";
        _record = new byte[LogRecordCodec.MaxRecordSize(in _row)];
        _record = _record.AsSpan(0, LogRecordCodec.WriteRecord(_record, in _row)).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _capture.Reset();

    /// <summary>Request thread: the response headers, then the row with both bodies encoded (CRC included) into a pooled
    /// array, which the writer gives back once the entry is in the log (here at once).</summary>
    [Benchmark(OperationsPerInvoke = Loop.Count)]
    public int BuildRow()
    {
        int length = 0;
        for (int i = 0; i < Loop.Count; i++)
        {
            _capture.Capture(_headers);
            var encoded = LogRecordCodec.EncodeRow(in _row, LogBenchRows.RequestBody, LogBenchRows.ResponseBody, _capture.Encoded);
            length += encoded.Length;
            encoded.Return();
        }

        return length;
    }

    /// <summary>Writer, per committed row: the record as the analytics sums and the block filter read it.</summary>
    [Benchmark(OperationsPerInvoke = Loop.Count)]
    public int DecodeForSums()
    {
        int tokens = 0;
        for (int i = 0; i < Loop.Count; i++)
        {
            LogRecordCodec.TryReadSums(_record, _strings, out var sums);
            tokens += sums.TokensIn ?? 0;
        }

        return tokens;
    }

    /// <summary>The whole record with its ids, as a read of the row decodes it.</summary>
    [Benchmark(OperationsPerInvoke = Loop.Count)]
    public int DecodeWholeRecord()
    {
        int tokens = 0;
        for (int i = 0; i < Loop.Count; i++)
        {
            tokens += LogRecordCodec.ReadRecord(_record, LogRecordCodec.Version, _strings)!.TokensIn ?? 0;
        }

        return tokens;
    }
}
