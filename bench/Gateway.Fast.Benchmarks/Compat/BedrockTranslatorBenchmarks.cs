using System.Buffers.Binary;
using System.Text;
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
public class BedrockTranslatorBenchmarks() : TranslatorBenchmarks(
    new BedrockConverseTranslator(), Request, "nova-pro", stream: false,
    new CompatResponseInfo("chatcmpl-01JBENCH0000000000000000", "aws-bedrock/nova-pro", 1_700_000_000, false), TextFrame, TextFrame)
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

    private static readonly byte[] TextFrame = Frame(
        "contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":" capital of France is Paris."},"p":"abcdefghijklmnopqrstuvwxyzABCDEFGHIJK"}""");

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
