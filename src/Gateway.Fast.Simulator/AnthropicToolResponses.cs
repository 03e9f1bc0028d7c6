using System.Text.Json;

namespace Gateway.Fast.Simulator;

/// <summary>
/// A Messages answer that calls the request's first tool, shaped like anthropic/stream-tool-use.sse and
/// anthropic/cassette-parallel-tool-calls.yaml: a short text block, then one <c>tool_use</c> block, <c>stop_reason: tool_use</c>.
/// </summary>
/// <remarks>
/// The simulator does not read the tool's schema: the input is always <c>{"query": "{the simulated text}"}</c>. Streamed,
/// the input arrives as Anthropic sends it: an empty <c>input_json_delta</c> first, then one fragment per output token
/// (the paced "token" events), so translators see arguments split mid-string.
/// </remarks>
internal static partial class AnthropicResponses
{
    private static SimResponse ToolUse(in ResponseKey key)
    {
        var b = new ResponseBuilder();
        string id = "msg_01" + SimText.Id(key.GetHashCode(), 22);
        string toolId = "toolu_01" + SimText.Id(key.GetHashCode() ^ 0x5bd1e995, 22);
        string model = key.Model ?? "claude-sonnet-4-5-20250929";
        string preamble = "I'll call " + key.Tool + ".";
        string tool = key.Tool!;

        if (!key.Stream)
        {
            var w = b.Json();
            WriteMessageHead(w, model, id);
            WriteTextBlock(w, preamble);
            w.WriteStartObject();
            w.WriteString("type"u8, "tool_use"u8);
            w.WriteString("id"u8, toolId);
            w.WriteString("name"u8, tool);
            w.WriteStartObject("input"u8);
            w.WriteString("query"u8, SimText.Text(key.Tokens));
            w.WriteEndObject();
            w.WriteEndObject();
            return EndMessage(b, w, key, "tool_use"u8);
        }

        MessageStart(b, id, model, key.PromptTokens);

        BlockStart(b, 0, "text"u8, null, null);
        b.Raw("event: ping\ndata: {\"type\": \"ping\"}\n\n"u8);
        b.EndRaw();
        Delta(b, 0, "text_delta"u8, "text"u8, preamble);
        BlockStop(b, 0);

        BlockStart(b, 1, "tool_use"u8, toolId, tool);
        Delta(b, 1, "input_json_delta"u8, "partial_json"u8, "");
        b.BeginTokens();
        for (int i = 0; i < key.Tokens; i++)
        {
            string token = JsonEncodedText.Encode(SimText.Token(i)).ToString();
            Delta(b, 1, "input_json_delta"u8, "partial_json"u8, (i == 0 ? "{\"query\": \"" : "") + token + (i == key.Tokens - 1 ? "\"}" : ""));
        }

        b.EndTokens();
        if (key.Tokens == 0)
        {
            Delta(b, 1, "input_json_delta"u8, "partial_json"u8, "{\"query\": \"\"}");
        }

        BlockStop(b, 1);
        return EndStream(b, "tool_use"u8, inputTokens: null, key.Tokens);
    }

    private static void BlockStart(ResponseBuilder b, int index, ReadOnlySpan<byte> type, string? id, string? name)
    {
        var e = BlockEvent(b, "content_block_start"u8, index);
        e.WriteStartObject("content_block"u8);
        e.WriteString("type"u8, type);
        if (name is null)
        {
            e.WriteString("text"u8, ""u8);
        }
        else
        {
            e.WriteString("id"u8, id);
            e.WriteString("name"u8, name);
            e.WriteStartObject("input"u8);
            e.WriteEndObject();
        }

        e.WriteEndObject();
        e.WriteEndObject();
        b.End("\n\n"u8);
    }

    private static void BlockStop(ResponseBuilder b, int index)
    {
        var e = BlockEvent(b, "content_block_stop"u8, index);
        e.WriteEndObject();
        b.End("\n\n"u8);
    }

    private static void Delta(ResponseBuilder b, int index, ReadOnlySpan<byte> type, ReadOnlySpan<byte> field, string value)
    {
        var e = BlockEvent(b, "content_block_delta"u8, index);
        e.WriteStartObject("delta"u8);
        e.WriteString("type"u8, type);
        e.WriteString(field, value);
        e.WriteEndObject();
        e.WriteEndObject();
        b.End("\n\n"u8);
    }

    /// <summary>Starts a content block event: <c>event: {name}</c>, then <c>{"type":"{name}","index":…</c>, left open.</summary>
    private static Utf8JsonWriter BlockEvent(ResponseBuilder b, ReadOnlySpan<byte> name, int index)
    {
        var e = b.SseEvent(name);
        e.WriteStartObject();
        e.WriteString("type"u8, name);
        e.WriteNumber("index"u8, index);
        return e;
    }
}
