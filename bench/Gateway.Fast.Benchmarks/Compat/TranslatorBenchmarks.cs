using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Gateway.Fast.Benchmarks.Infrastructure;
using Gateway.Fast.Compat;

namespace Gateway.Fast.Benchmarks.Compat;

/// <summary>
/// What every <c>/compat</c> translator is measured on: one typical chat request into the provider's native body, and
/// one streamed text event through a stream translator that stays open (the steady state of a long answer, which
/// should allocate 0 B). A provider's class supplies its translator, request and event.
/// </summary>
/// <remarks>
/// The constructor is <c>private protected</c> so that the translator's internal types can be handed in while the
/// derived classes stay public, as BenchmarkDotNet requires.
/// </remarks>
public abstract class TranslatorBenchmarks
{
    /// <summary>A typical chat request: a system prompt, two user turns with an answer between them, and one tool.</summary>
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

    private readonly IChatTranslator _translator;
    private readonly string _requestJson;
    private readonly string _model;
    private readonly bool _stream;
    private readonly CompatResponseInfo _info;
    private readonly byte[] _streamEvent;
    private readonly byte[] _streamStart;
    private JsonDocument _request = null!;
    private IChatStreamTranslator _streamTranslator = null!;

    /// <param name="translator">The translator measured.</param>
    /// <param name="requestJson">The OpenAI-shaped request body.</param>
    /// <param name="model">The model name without the provider's prefix.</param>
    /// <param name="stream">Whether the request asks for a stream (with usage).</param>
    /// <param name="info">The answer's id, model and creation time.</param>
    /// <param name="streamEvent">The native event fed to the stream translator on each call.</param>
    /// <param name="streamStart">What the stream translator is fed once first (the native stream's opening events).</param>
    private protected TranslatorBenchmarks(
        IChatTranslator translator, string requestJson, string model, bool stream, CompatResponseInfo info, byte[] streamEvent, byte[] streamStart)
    {
        _translator = translator;
        _requestJson = requestJson;
        _model = model;
        _stream = stream;
        _info = info;
        _streamEvent = streamEvent;
        _streamStart = streamStart;
    }

    /// <summary>Where each call writes; large enough that no call grows it.</summary>
    private protected ArrayBufferWriter<byte> Output { get; } = new(16 * 1024);

    private protected IChatTranslator Translator => _translator;

    private protected CompatResponseInfo Info => _info;

    [GlobalSetup]
    public void Setup()
    {
        _request = JsonDocument.Parse(_requestJson);
        _streamTranslator = _translator.CreateStream(_info);
        // The stream's opening (the role chunk) goes out once, before the steady state measured.
        _streamTranslator.Write(_streamStart, Output);
        if (TranslateRequest() == 0 || StreamTextChunk() == 0)
        {
            throw new InvalidOperationException($"{_translator.GetType().Name} wrote nothing.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _streamTranslator.Dispose();
        _request.Dispose();
    }

    [Benchmark]
    public int TranslateRequest()
    {
        Output.ResetWrittenCount();
        string? error = _translator.WriteRequest(new CompatChatRequest(_request.RootElement, _model, _stream, _stream), Output, out string path);
        return error is null ? Output.WrittenCount + path.Length : 0;
    }

    [Benchmark(OperationsPerInvoke = Loop.Count)]
    public int StreamTextChunk()
    {
        int written = 0;
        for (int i = 0; i < Loop.Count; i++)
        {
            Output.ResetWrittenCount();
            _streamTranslator.Write(_streamEvent, Output);
            written += Output.WrittenCount;
        }

        return written;
    }
}
