using System.Text.Json;

namespace Gateway.Fast.Simulator;

/// <summary>Anthropic Messages bodies, shaped like fixtures/anthropic (anthropic-text.json, stream-tool-use.sse).</summary>
internal static partial class AnthropicResponses
{
    /// <summary>Messages: text, or a call to the request's first tool when it sent tools (<see cref="ResponseKey.Tool"/>).</summary>
    public static SimResponse Messages(in ResponseKey key) => key.Tool is null ? Build(key) : ToolUse(key);

    /// <summary>A text answer; Claude on Bedrock <c>invoke</c> answers with the same message object.</summary>
    public static SimResponse Build(in ResponseKey key)
    {
        var b = new ResponseBuilder();
        string id = "msg_01" + SimText.Id(key.GetHashCode(), 22);
        string model = key.Model ?? "claude-sonnet-4-5-20250929";

        if (!key.Stream)
        {
            var w = b.Json();
            WriteMessageHead(w, model, id);
            WriteTextBlock(w, SimText.Text(key.Tokens));
            return EndMessage(b, w, key, "end_turn"u8);
        }

        MessageStart(b, id, model, key.PromptTokens);

        BlockStart(b, 0, "text"u8, null, null);

        // The recordings write this one with a space after the colon: data: {"type": "ping"}
        b.Raw("event: ping\ndata: {\"type\": \"ping\"}\n\n"u8);
        b.EndRaw();

        b.BeginTokens();
        for (int i = 0; i < key.Tokens; i++)
        {
            Delta(b, 0, "text_delta"u8, "text"u8, SimText.Token(i));
        }

        b.EndTokens();
        BlockStop(b, 0);
        return EndStream(b, "end_turn"u8, key.PromptTokens, key.Tokens);
    }

    /// <summary>The first event of every streamed Messages answer, text or tool use.</summary>
    private static void MessageStart(ResponseBuilder b, string id, string model, int promptTokens)
    {
        var e = b.SseEvent("message_start"u8);
        e.WriteStartObject();
        e.WriteString("type"u8, "message_start"u8);
        e.WriteStartObject("message"u8);
        e.WriteString("id"u8, id);
        e.WriteString("type"u8, "message"u8);
        e.WriteString("role"u8, "assistant"u8);
        e.WriteString("model"u8, model);
        e.WriteStartArray("content"u8);
        e.WriteEndArray();
        e.WriteNull("stop_reason"u8);
        e.WriteNull("stop_sequence"u8);
        WriteUsage(e, promptTokens, 1, full: true);
        e.WriteEndObject();
        e.WriteEndObject();
        b.End("\n\n"u8);
    }

    /// <summary>Opens a whole (not streamed) message, up to the start of its <c>content</c> array.</summary>
    private static void WriteMessageHead(Utf8JsonWriter w, string model, string id)
    {
        w.WriteStartObject();
        w.WriteString("model"u8, model);
        w.WriteString("id"u8, id);
        w.WriteString("type"u8, "message"u8);
        w.WriteString("role"u8, "assistant"u8);
        w.WriteStartArray("content"u8);
    }

    private static void WriteTextBlock(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "text"u8);
        w.WriteString("text"u8, text);
        w.WriteEndObject();
    }

    /// <summary>Closes a whole message: the <c>content</c> array, the stop reason and the usage.</summary>
    private static SimResponse EndMessage(ResponseBuilder b, Utf8JsonWriter w, in ResponseKey key, ReadOnlySpan<byte> stopReason)
    {
        w.WriteEndArray();
        w.WriteString("stop_reason"u8, stopReason);
        w.WriteNull("stop_sequence"u8);
        WriteUsage(w, key.PromptTokens, key.Tokens, full: true);
        w.WriteEndObject();
        return b.Build(ContentTypes.Json, isStream: false);
    }

    /// <summary>
    /// The last events of every streamed answer: <c>message_delta</c> (stop reason, usage), then <c>message_stop</c>.
    /// A text answer's delta repeats the input and cache counts; a tool-use answer's has only the output count, as recorded.
    /// </summary>
    private static SimResponse EndStream(ResponseBuilder b, ReadOnlySpan<byte> stopReason, int? inputTokens, int outputTokens)
    {
        var e = b.SseEvent("message_delta"u8);
        e.WriteStartObject();
        e.WriteString("type"u8, "message_delta"u8);
        e.WriteStartObject("delta"u8);
        e.WriteString("stop_reason"u8, stopReason);
        e.WriteNull("stop_sequence"u8);
        e.WriteEndObject();
        e.WriteStartObject("usage"u8);
        if (inputTokens is int input)
        {
            e.WriteNumber("input_tokens"u8, input);
            e.WriteNumber("cache_creation_input_tokens"u8, 0);
            e.WriteNumber("cache_read_input_tokens"u8, 0);
        }

        e.WriteNumber("output_tokens"u8, outputTokens);
        e.WriteEndObject();
        e.WriteEndObject();
        b.End("\n\n"u8);

        b.Raw("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"u8);
        b.EndRaw();
        return b.Build(ContentTypes.SseUtf8, isStream: true);
    }

    private static void WriteUsage(Utf8JsonWriter w, int input, int output, bool full)
    {
        w.WriteStartObject("usage"u8);
        w.WriteNumber("input_tokens"u8, input);
        w.WriteNumber("cache_creation_input_tokens"u8, 0);
        w.WriteNumber("cache_read_input_tokens"u8, 0);
        if (full)
        {
            w.WriteStartObject("cache_creation"u8);
            w.WriteNumber("ephemeral_5m_input_tokens"u8, 0);
            w.WriteNumber("ephemeral_1h_input_tokens"u8, 0);
            w.WriteEndObject();
        }

        w.WriteNumber("output_tokens"u8, output);
        w.WriteString("service_tier"u8, "standard"u8);
        w.WriteEndObject();
    }
}
