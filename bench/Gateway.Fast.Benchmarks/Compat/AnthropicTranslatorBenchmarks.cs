using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Fast.Compat;
using Gateway.Fast.Compat.Anthropic;

namespace Gateway.Fast.Benchmarks.Compat;

/// <summary>
/// <see cref="AnthropicTranslator"/>: a chat request with a tool call and its result into a Messages body, a whole text
/// answer back, and one streamed <c>text_delta</c> event.
/// </summary>
[MemoryDiagnoser]
public class AnthropicTranslatorBenchmarks() : TranslatorBenchmarks(
    new AnthropicTranslator(), Request, "claude-sonnet-4-5", stream: true,
    new CompatResponseInfo("chatcmpl-01JABCDEFGHJKMNPQRSTVWXYZ", "anthropic/claude-sonnet-4-5", 1_700_000_000, IncludeUsage: true), TextDelta, MessageStart)
{
    private const string Request = """
        {"model":"anthropic/claude-sonnet-4-5","stream":true,"max_tokens":512,"temperature":0.3,
         "messages":[
           {"role":"system","content":"You are a helpful assistant that answers weather questions briefly."},
           {"role":"user","content":"What's the weather like in Paris today?"},
           {"role":"assistant","content":"Let me check.","tool_calls":[{"id":"toolu_01A","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
           {"role":"tool","tool_call_id":"toolu_01A","content":"{\"temp_c\":21,\"sky\":\"clear\"}"},
           {"role":"user","content":"And should I take an umbrella?"}],
         "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather for a city.",
           "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]}
        """;

    private static readonly byte[] MessageStart = Encoding.UTF8.GetBytes(
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}\n\n" +
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");

    private static readonly byte[] TextDelta = Encoding.UTF8.GetBytes(
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" doing well, thank you\"}}\n\n");

    private static readonly byte[] Answer = Encoding.UTF8.GetBytes(
        "{\"model\":\"claude-sonnet-4-5-20250929\",\"id\":\"msg_01VdEjxAP5ahtHKrrRdNBteQ\",\"type\":\"message\",\"role\":\"assistant\"," +
        "\"content\":[{\"type\":\"text\",\"text\":\"Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?\"}]," +
        "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":29}}");

    [Benchmark]
    public int TranslateResponse()
    {
        Output.ResetWrittenCount();
        Translator.WriteResponse(Answer, Info, Output);
        return Output.WrittenCount;
    }
}
