using System.Buffers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Gateway.Fast.Benchmarks.Infrastructure;
using Gateway.Fast.Compat;
using Gateway.Fast.Compat.Cohere;

namespace Gateway.Fast.Benchmarks.Compat;

/// <summary>
/// <see cref="CohereTranslator"/>: a typical chat request (system + two turns + one tool) into a <c>v2/chat</c> body,
/// and one streamed <c>content-delta</c> event through the stream translator (target 0 B).
/// </summary>
[MemoryDiagnoser]
public class CohereTranslatorBenchmarks
{
    private static readonly byte[] TextEvent = Encoding.UTF8.GetBytes(
        "event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\" capital\"}}}}\n\n");

    private readonly CohereTranslator _translator = new();
    private readonly ArrayBufferWriter<byte> _output = new(8192);
    private JsonDocument _request = null!;
    private IChatStreamTranslator _stream = null!;

    [GlobalSetup]
    public void Setup()
    {
        _request = JsonDocument.Parse(GeminiTranslatorBenchmarks.TypicalRequest);
        _stream = _translator.CreateStream(new CompatResponseInfo("chatcmpl-01JBENCH", "cohere/command-r-plus", 1_700_000_000, true));
        _stream.Write(TextEvent, _output); // the role chunk goes out with the first event
        if (TranslateRequest() == 0 || StreamTextChunk() == 0)
        {
            throw new InvalidOperationException("The Cohere translator wrote nothing.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stream.Dispose();
        _request.Dispose();
    }

    [Benchmark]
    public int TranslateRequest()
    {
        _output.ResetWrittenCount();
        var request = new CompatChatRequest(_request.RootElement, "command-r-plus", false, false);
        return _translator.WriteRequest(request, _output, out _) is null ? _output.WrittenCount : 0;
    }

    [Benchmark(OperationsPerInvoke = Loop.Count)]
    public int StreamTextChunk()
    {
        int written = 0;
        for (int i = 0; i < Loop.Count; i++)
        {
            _output.ResetWrittenCount();
            _stream.Write(TextEvent, _output);
            written += _output.WrittenCount;
        }

        return written;
    }
}
