using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Gateway.Fast.Compat;
using Gateway.Fast.Compat.Bedrock;

namespace Gateway.Fast.Benchmarks.Compat;

/// <summary>The Bedrock Converse translator: one typical request (system + 2 turns + one tool) and one streamed text frame.</summary>
/// <remarks>
/// The stream case feeds one <c>contentBlockDelta</c> event-stream frame (as recorded, with its <c>"p"</c> padding) to a
/// stream translator that stays open, the steady state of a long answer: CRCs checked, payload read, one OpenAI chunk
/// written. It should allocate nothing.
/// </remarks>
[MemoryDiagnoser]
public class BedrockTranslatorBenchmarks
{
    private const string Request = """
        {"model":"aws-bedrock/nova-pro","messages":[
          {"role":"system","content":"You are a helpful assistant. Answer briefly."},
          {"role":"user","content":"What is the weather like in Paris today?"},
          {"role":"assistant","content":"Let me check that for you."},
          {"role":"user","content":"Thanks, and use Celsius please."}],
         "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather for a city.",
           "parameters":{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city"]}}}],
         "tool_choice":"auto","max_tokens":512,"temperature":0.3}
        """;

    private readonly BedrockConverseTranslator _translator = new();
    private readonly ArrayBufferWriter<byte> _output = new(16 * 1024);
    private JsonDocument _request = null!;
    private IChatStreamTranslator _stream = null!;
    private byte[] _frame = [];

    [GlobalSetup]
    public void Setup()
    {
        _request = JsonDocument.Parse(Request);
        _frame = Frame("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":" capital of France is Paris."},"p":"abcdefghijklmnopqrstuvwxyzABCDEFGHIJK"}""");
        _stream = _translator.CreateStream(new CompatResponseInfo("chatcmpl-01JBENCH0000000000000000", "aws-bedrock/nova-pro", 1_700_000_000, false));
        _stream.Write(_frame, _output); // the role chunk goes out once, before the steady state
        if (TranslateRequest() == 0 || StreamChunk() == 0)
        {
            throw new InvalidOperationException("The translator wrote nothing.");
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
        _translator.WriteRequest(new CompatChatRequest(_request.RootElement, "nova-pro", false, false), _output, out string path);
        return _output.WrittenCount + path.Length;
    }

    [Benchmark(OperationsPerInvoke = 64)]
    public int StreamChunk()
    {
        int written = 0;
        for (int i = 0; i < 64; i++)
        {
            _output.ResetWrittenCount();
            _stream.Write(_frame, _output);
            written += _output.WrittenCount;
        }

        return written;
    }

    private static byte[] Frame(string eventType, string payload)
    {
        var headers = new List<byte>();
        foreach (var (name, value) in new[] { (":event-type", eventType), (":content-type", "application/json"), (":message-type", "event") })
        {
            headers.Add((byte)name.Length);
            headers.AddRange(Encoding.UTF8.GetBytes(name));
            headers.Add(7);
            headers.Add(0);
            headers.Add((byte)value.Length);
            headers.AddRange(Encoding.UTF8.GetBytes(value));
        }

        byte[] body = Encoding.UTF8.GetBytes(payload);
        int total = 12 + headers.Count + body.Length + 4;
        var frame = new byte[total];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)total);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)headers.Count);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), EventStreamCrc32.Compute(frame.AsSpan(0, 8)));
        headers.CopyTo(frame, 12);
        body.CopyTo(frame, 12 + headers.Count);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(total - 4), EventStreamCrc32.Compute(frame.AsSpan(0, total - 4)));
        return frame;
    }
}
