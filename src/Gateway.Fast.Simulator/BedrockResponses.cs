using System.Text.Json;

namespace Gateway.Fast.Simulator;

/// <summary>Bedrock runtime bodies, shaped like fixtures/bedrock (Converse JSON and converse-stream event-stream frames).</summary>
/// <remarks>
/// converse-stream, as recorded from Nova: <c>messageStart</c>, one <c>contentBlockDelta</c> per token (no
/// <c>contentBlockStart</c> for text), <c>contentBlockStop</c>, <c>messageStop</c>, then <c>metadata</c> (usage, latency).
/// Every payload carries the random-length <c>"p"</c> padding field, here deterministic.
/// A Converse request that offers tools (<see cref="ResponseKey.Variant"/> 1) is answered with a call of
/// <see cref="ToolName"/>, shaped like fixtures/bedrock/cassette-converse-stream-tool-use.yaml: a <c>toolUse</c> block
/// (streamed: <c>contentBlockStart</c> with id and name, the input as string fragments in <c>contentBlockDelta</c>) and
/// stopReason <c>tool_use</c>. The simulator cannot know the caller's tool names without keying its cache on them, so
/// the name is fixed: tests offer a tool of that name.
/// </remarks>
internal static class BedrockResponses
{
    private const int SimulatedLatencyMs = 42;

    /// <summary>The tool the simulator calls when the request offers tools.</summary>
    public const string ToolName = "get_weather";

    /// <summary>The call's input, streamed in these fragments (joined: <c>{"city":"Paris"}</c>).</summary>
    private static readonly string[] ToolInputFragments = ["{\"city\":", "\"Paris\"}"];

    private const string ToolUseId = "tooluse_SimulatedCall0000001";

    public static SimResponse Converse(in ResponseKey key)
    {
        var b = new ResponseBuilder();
        var w = b.Json();
        w.WriteStartObject();
        w.WriteStartObject("metrics"u8);
        w.WriteNumber("latencyMs"u8, SimulatedLatencyMs);
        w.WriteEndObject();
        WriteOutputMessage(w, key, toolUse: key.Variant == 1);

        WriteUsage(w, key);
        w.WriteEndObject();
        return b.Build(ContentTypes.Json, isStream: false);
    }

    public static SimResponse ConverseStream(in ResponseKey key)
    {
        if (key.Variant == 1)
        {
            return ConverseStreamToolUse(key);
        }

        var b = new ResponseBuilder();
        int pad = 0;
        WriteMessageStart(b, ref pad);
        b.BeginTokens();
        for (int i = 0; i < key.Tokens; i++)
        {
            WriteBlockDelta(b, ref pad, SimText.Token(i), toolInput: false);
        }

        b.EndTokens();
        return EndStream(b, key, pad, "end_turn"u8);
    }

    /// <summary>The first event of every converse-stream answer.</summary>
    private static void WriteMessageStart(ResponseBuilder b, ref int pad)
    {
        var w = b.Payload();
        w.WriteStartObject();
        w.WriteString("p"u8, SimText.Padding(pad++));
        w.WriteString("role"u8, "assistant"u8);
        w.WriteEndObject();
        b.EndEventStream("messageStart"u8);
    }

    /// <summary>A contentBlockDelta: one text token, or one fragment of the tool call's input JSON.</summary>
    private static void WriteBlockDelta(ResponseBuilder b, ref int pad, string value, bool toolInput)
    {
        var w = b.Payload();
        w.WriteStartObject();
        w.WriteNumber("contentBlockIndex"u8, 0);
        w.WriteStartObject("delta"u8);
        if (toolInput)
        {
            w.WriteStartObject("toolUse"u8);
            w.WriteString("input"u8, value);
            w.WriteEndObject();
        }
        else
        {
            w.WriteString("text"u8, value);
        }

        w.WriteEndObject();
        w.WriteString("p"u8, SimText.Padding(pad++));
        w.WriteEndObject();
        b.EndEventStream("contentBlockDelta"u8);
    }

    /// <summary>The last events of every converse-stream answer: contentBlockStop, messageStop, then metadata with usage.</summary>
    private static SimResponse EndStream(ResponseBuilder b, in ResponseKey key, int pad, ReadOnlySpan<byte> stopReason)
    {
        var w = b.Payload();
        w.WriteStartObject();
        w.WriteNumber("contentBlockIndex"u8, 0);
        w.WriteString("p"u8, SimText.Padding(pad++));
        w.WriteEndObject();
        b.EndEventStream("contentBlockStop"u8);

        w = b.Payload();
        w.WriteStartObject();
        w.WriteString("p"u8, SimText.Padding(pad++));
        w.WriteString("stopReason"u8, stopReason);
        w.WriteEndObject();
        b.EndEventStream("messageStop"u8);

        w = b.Payload();
        w.WriteStartObject();
        w.WriteStartObject("metrics"u8);
        w.WriteNumber("latencyMs"u8, SimulatedLatencyMs);
        w.WriteEndObject();
        w.WriteString("p"u8, SimText.Padding(pad));
        WriteUsage(w, key);
        w.WriteEndObject();
        b.EndEventStream("metadata"u8);
        return b.Build(ContentTypes.EventStream, isStream: true);
    }

    /// <summary>converse-stream answering with one tool call: messageStart, contentBlockStart, input fragments, stops, metadata.</summary>
    private static SimResponse ConverseStreamToolUse(in ResponseKey key)
    {
        var b = new ResponseBuilder();
        int pad = 0;
        WriteMessageStart(b, ref pad);
        var w = b.Payload();
        w.WriteStartObject();
        w.WriteNumber("contentBlockIndex"u8, 0);
        w.WriteString("p"u8, SimText.Padding(pad++));
        w.WriteStartObject("start"u8);
        w.WriteStartObject("toolUse"u8);
        w.WriteString("name"u8, ToolName);
        w.WriteString("toolUseId"u8, ToolUseId);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
        b.EndEventStream("contentBlockStart"u8);

        b.BeginTokens();
        foreach (string fragment in ToolInputFragments)
        {
            WriteBlockDelta(b, ref pad, fragment, toolInput: true);
        }

        b.EndTokens();
        return EndStream(b, key, pad, "tool_use"u8);
    }

    /// <summary><c>invoke</c>: Claude models answer with an Anthropic message; others with the Nova invoke shape.</summary>
    public static SimResponse Invoke(in ResponseKey key)
    {
        if (key.Model is not null && key.Model.Contains("anthropic", StringComparison.Ordinal))
        {
            return AnthropicResponses.Build(key with { Stream = false });
        }

        var b = new ResponseBuilder();
        var w = b.Json();
        w.WriteStartObject();
        WriteOutputMessage(w, key);
        w.WriteStartObject("usage"u8);
        w.WriteNumber("inputTokens"u8, key.PromptTokens);
        w.WriteNumber("outputTokens"u8, key.Tokens);
        w.WriteNumber("totalTokens"u8, key.PromptTokens + key.Tokens);
        w.WriteNumber("cacheReadInputTokenCount"u8, 0);
        w.WriteNumber("cacheWriteInputTokenCount"u8, 0);
        w.WriteEndObject();
        w.WriteEndObject();
        return b.Build(ContentTypes.Json, isStream: false);
    }

    /// <summary>
    /// <c>output.message</c> with one block, then <c>stopReason</c>: the simulated text (<c>end_turn</c>), shared by Converse and
    /// Nova's invoke, or, for a Converse request with tools, one <c>toolUse</c> block (<c>tool_use</c>).
    /// </summary>
    private static void WriteOutputMessage(Utf8JsonWriter w, in ResponseKey key, bool toolUse = false)
    {
        w.WriteStartObject("output"u8);
        w.WriteStartObject("message"u8);
        w.WriteStartArray("content"u8);
        w.WriteStartObject();
        if (toolUse)
        {
            w.WriteStartObject("toolUse"u8);
            w.WriteStartObject("input"u8);
            w.WriteString("city"u8, "Paris"u8);
            w.WriteEndObject();
            w.WriteString("name"u8, ToolName);
            w.WriteString("toolUseId"u8, ToolUseId);
            w.WriteEndObject();
        }
        else
        {
            w.WriteString("text"u8, SimText.Text(key.Tokens));
        }

        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteString("role"u8, "assistant"u8);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteString("stopReason"u8, toolUse ? "tool_use"u8 : "end_turn"u8);
    }

    private static void WriteUsage(Utf8JsonWriter w, in ResponseKey key)
    {
        w.WriteStartObject("usage"u8);
        w.WriteNumber("inputTokens"u8, key.PromptTokens);
        w.WriteNumber("outputTokens"u8, key.Tokens);
        w.WriteStartObject("serverToolUsage"u8);
        w.WriteEndObject();
        w.WriteNumber("totalTokens"u8, key.PromptTokens + key.Tokens);
        w.WriteEndObject();
    }
}
