using System.Buffers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Gateway.Fast.Benchmarks.Infrastructure;
using Gateway.Fast.Compat;
using Gateway.Fast.Compat.Gemini;

namespace Gateway.Fast.Benchmarks.Compat;

/// <summary>
/// <see cref="GeminiTranslator"/>: a typical chat request (system + two turns + one tool) into a
/// <c>GenerateContentRequest</c>, and one streamed text chunk through the stream translator (target 0 B).
/// </summary>
[MemoryDiagnoser]
public class GeminiTranslatorBenchmarks
{
    internal const string TypicalRequest = """
        {"model":"gemini-2.5-flash","messages":[
          {"role":"system","content":"You are a helpful assistant that answers briefly."},
          {"role":"user","content":"What is the weather in Paris today?"},
          {"role":"assistant","content":"Let me check that for you."},
          {"role":"user","content":"Thanks, and in Celsius please."}],
         "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather for a city",
           "parameters":{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["c","f"]}},"required":["city"],"additionalProperties":false}}}],
         "temperature":0.7,"max_tokens":512}
        """;

    private static readonly byte[] TextChunk = Encoding.UTF8.GetBytes(
        "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \" capital of France\"}],\"role\": \"model\"}}],\"usageMetadata\": " +
        "{\"promptTokenCount\": 15,\"totalTokenCount\": 15,\"promptTokensDetails\": [{\"modality\": \"TEXT\",\"tokenCount\": 15}]}," +
        "\"modelVersion\": \"gemini-2.0-flash-exp\",\"responseId\": \"w1peaMz6INOvnvgPgYfPiQY\"}\r\n\r\n");

    private readonly GeminiTranslator _translator = new();
    private readonly ArrayBufferWriter<byte> _output = new(8192);
    private JsonDocument _request = null!;
    private IChatStreamTranslator _stream = null!;

    [GlobalSetup]
    public void Setup()
    {
        _request = JsonDocument.Parse(TypicalRequest);
        _stream = _translator.CreateStream(new CompatResponseInfo("chatcmpl-01JBENCH", "google-ai-studio/gemini-2.5-flash", 1_700_000_000, true));
        _stream.Write(TextChunk, _output); // the role chunk goes out with the first event
        if (TranslateRequest() == 0 || StreamTextChunk() == 0)
        {
            throw new InvalidOperationException("The Gemini translator wrote nothing.");
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
        var request = new CompatChatRequest(_request.RootElement, "gemini-2.5-flash", false, false);
        return _translator.WriteRequest(request, _output, out _) is null ? _output.WrittenCount : 0;
    }

    [Benchmark(OperationsPerInvoke = Loop.Count)]
    public int StreamTextChunk()
    {
        int written = 0;
        for (int i = 0; i < Loop.Count; i++)
        {
            _output.ResetWrittenCount();
            _stream.Write(TextChunk, _output);
            written += _output.WrittenCount;
        }

        return written;
    }
}
