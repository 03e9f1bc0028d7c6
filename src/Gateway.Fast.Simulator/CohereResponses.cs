using System.Text.Json;

namespace Gateway.Fast.Simulator;

/// <summary>Cohere chat bodies: v2 shaped like fixtures/cohere (cohere-text.json, cohere-text.chunks.txt) and v1's NDJSON stream.</summary>
/// <remarks>
/// v2 streams SSE (<c>event: content-delta</c> + <c>data:</c>): <c>message-start</c>, <c>content-start</c>, one
/// <c>content-delta</c> per token, <c>content-end</c>, <c>message-end</c> (finish_reason and usage).
/// A v2 request that declares tools is answered with a <c>tool_plan</c> and one call of its first function
/// (fixtures/cohere/cohere-tool-call.*): streamed as <c>tool-plan-delta</c>, <c>tool-call-start</c>/<c>-delta</c>/<c>-end</c>.
/// v1 streams one JSON object per line: <c>stream-start</c>, <c>text-generation</c> per token, <c>stream-end</c>.
/// </remarks>
internal static class CohereResponses
{
    public static SimResponse V2(in ResponseKey key)
    {
        var b = new ResponseBuilder();
        string id = Guid(key.GetHashCode());
        if (key.Tool is not null)
        {
            return ToolCall(b, key, id);
        }

        if (!key.Stream)
        {
            var w = WriteV2Head(b, id);
            w.WriteStartArray("content"u8);
            w.WriteStartObject();
            w.WriteString("type"u8, "text"u8);
            w.WriteString("text"u8, SimText.Text(key.Tokens));
            w.WriteEndObject();
            w.WriteEndArray();
            return EndV2(b, w, key, "COMPLETE"u8);
        }

        StartV2Stream(b, id, emptyLists: true);
        b.Raw("event: content-start\ndata: {\"type\":\"content-start\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"type\":\"text\",\"text\":\"\"}}}}\n\n"u8);
        b.EndRaw();

        b.BeginTokens();
        for (int i = 0; i < key.Tokens; i++)
        {
            var e = StartDelta(b, "content-delta"u8, indexed: true);
            e.WriteStartObject("content"u8);
            e.WriteString("text"u8, SimText.Token(i));
            e.WriteEndObject();
            EndDelta(b, e);
        }

        b.EndTokens();
        b.Raw("event: content-end\ndata: {\"type\":\"content-end\",\"index\":0}\n\n"u8);
        b.EndRaw();
        return EndV2Stream(b, key, "COMPLETE"u8);
    }

    /// <summary>Opens a whole (not streamed) v2 answer, up to the assistant message's role.</summary>
    private static Utf8JsonWriter WriteV2Head(ResponseBuilder b, string id)
    {
        var w = b.Json();
        w.WriteStartObject();
        w.WriteString("id"u8, id);
        w.WriteStartObject("message"u8);
        w.WriteString("role"u8, "assistant"u8);
        return w;
    }

    /// <summary>Closes a whole v2 answer: the message, the finish reason and usage.</summary>
    private static SimResponse EndV2(ResponseBuilder b, Utf8JsonWriter w, in ResponseKey key, ReadOnlySpan<byte> finishReason)
    {
        w.WriteEndObject();
        w.WriteString("finish_reason"u8, finishReason);
        WriteUsage(w, key);
        w.WriteEndObject();
        return b.Build(ContentTypes.Json, isStream: false);
    }

    /// <summary>
    /// The first event of every v2 stream: <c>message-start</c>. A text answer's message lists empty content, tool calls
    /// and citations; a tool-call answer's has only the empty plan, as recorded.
    /// </summary>
    private static void StartV2Stream(ResponseBuilder b, string id, bool emptyLists)
    {
        var e = b.SseEvent("message-start"u8);
        e.WriteStartObject();
        e.WriteString("id"u8, id);
        e.WriteString("type"u8, "message-start"u8);
        e.WriteStartObject("delta"u8);
        e.WriteStartObject("message"u8);
        e.WriteString("role"u8, "assistant"u8);
        if (emptyLists)
        {
            e.WriteStartArray("content"u8);
            e.WriteEndArray();
        }

        e.WriteString("tool_plan"u8, ""u8);
        if (emptyLists)
        {
            e.WriteStartArray("tool_calls"u8);
            e.WriteEndArray();
            e.WriteStartArray("citations"u8);
            e.WriteEndArray();
        }

        e.WriteEndObject();
        e.WriteEndObject();
        e.WriteEndObject();
        b.End("\n\n"u8);
    }

    /// <summary>The last event of every v2 stream: <c>message-end</c> with the finish reason and usage.</summary>
    private static SimResponse EndV2Stream(ResponseBuilder b, in ResponseKey key, ReadOnlySpan<byte> finishReason)
    {
        var e = b.SseEvent("message-end"u8);
        e.WriteStartObject();
        e.WriteString("type"u8, "message-end"u8);
        e.WriteStartObject("delta"u8);
        e.WriteString("finish_reason"u8, finishReason);
        WriteUsage(e, key);
        e.WriteEndObject();
        e.WriteEndObject();
        b.End("\n\n"u8);
        return b.Build(ContentTypes.Sse, isStream: true);
    }

    /// <summary><c>v2/embed</c>: <c>{"id","embeddings":{"float":[[…]]},"texts","meta":{"billed_units"}}</c>, 1024 wide (embed-v4.0).</summary>
    public static SimResponse Embed(in ResponseKey key)
    {
        var b = new ResponseBuilder();
        var w = b.Json();
        w.WriteStartObject();
        w.WriteString("id"u8, Guid(key.GetHashCode()));
        w.WriteStartObject("embeddings"u8);
        w.WriteStartArray("float"u8);
        SimVectors.WriteAll(w, key, 1024, default);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject("meta"u8);
        w.WriteStartObject("api_version"u8);
        w.WriteString("version"u8, "2"u8);
        w.WriteEndObject();
        w.WriteStartObject("billed_units"u8);
        w.WriteNumber("input_tokens"u8, key.PromptTokens);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteString("response_type"u8, "embeddings_by_type"u8);
        w.WriteEndObject();
        return b.Build(ContentTypes.Json, isStream: false);
    }

    private static SimResponse ToolCall(ResponseBuilder b, in ResponseKey key, string id)
    {
        const string Plan = "I will call the tool.";
        string callId = key.Tool + "_" + id[..12].Replace("-", "");
        if (!key.Stream)
        {
            var w = WriteV2Head(b, id);
            w.WriteString("tool_plan"u8, Plan);
            w.WriteStartArray("tool_calls"u8);
            w.WriteStartObject();
            WriteToolCall(w, callId, key.Tool!, "{}");
            w.WriteEndObject();
            w.WriteEndArray();
            return EndV2(b, w, key, "TOOL_CALL"u8);
        }

        StartV2Stream(b, id, emptyLists: false);
        b.BeginTokens();
        var e = StartDelta(b, "tool-plan-delta"u8, indexed: false);
        e.WriteString("tool_plan"u8, Plan);
        EndDelta(b, e);
        e = StartDelta(b, "tool-call-start"u8, indexed: true);
        e.WriteStartObject("tool_calls"u8);
        WriteToolCall(e, callId, key.Tool!, "");
        e.WriteEndObject();
        EndDelta(b, e);
        b.Raw("event: tool-call-delta\ndata: {\"type\":\"tool-call-delta\",\"index\":0,\"delta\":{\"message\":{\"tool_calls\":{\"function\":{\"arguments\":\"{}\"}}}}}\n\n"u8);
        b.EndRaw();
        b.EndTokens();
        b.Raw("event: tool-call-end\ndata: {\"type\":\"tool-call-end\",\"index\":0}\n\n"u8);
        b.EndRaw();
        return EndV2Stream(b, key, "TOOL_CALL"u8);
    }

    /// <summary>Opens a streamed v2 event up to its message delta: <c>{"type":"{name}",("index":0,)"delta":{"message":{</c>.</summary>
    private static Utf8JsonWriter StartDelta(ResponseBuilder b, ReadOnlySpan<byte> name, bool indexed)
    {
        var e = b.SseEvent(name);
        e.WriteStartObject();
        e.WriteString("type"u8, name);
        if (indexed)
        {
            e.WriteNumber("index"u8, 0);
        }

        e.WriteStartObject("delta"u8);
        e.WriteStartObject("message"u8);
        return e;
    }

    /// <summary>Closes what <see cref="StartDelta"/> opened and ends the event.</summary>
    private static void EndDelta(ResponseBuilder b, Utf8JsonWriter e)
    {
        e.WriteEndObject();
        e.WriteEndObject();
        e.WriteEndObject();
        b.End("\n\n"u8);
    }

    /// <summary>A tool call's members (the caller opens and closes its object): id, type and the function with its arguments.</summary>
    private static void WriteToolCall(Utf8JsonWriter w, string callId, string tool, string arguments)
    {
        w.WriteString("id"u8, callId);
        w.WriteString("type"u8, "function"u8);
        w.WriteStartObject("function"u8);
        w.WriteString("name"u8, tool);
        w.WriteString("arguments"u8, arguments);
        w.WriteEndObject();
    }

    public static SimResponse V1(in ResponseKey key)
    {
        var b = new ResponseBuilder();
        string generationId = Guid(key.GetHashCode());
        string responseId = Guid(key.GetHashCode() + 1);
        if (!key.Stream)
        {
            WriteV1Response(b.Json(), key, responseId, generationId);
            return b.Build(ContentTypes.Json, isStream: false);
        }

        var e = b.Json();
        e.WriteStartObject();
        e.WriteBoolean("is_finished"u8, false);
        e.WriteString("event_type"u8, "stream-start"u8);
        e.WriteString("generation_id"u8, generationId);
        e.WriteEndObject();
        b.End("\n"u8);
        b.BeginTokens();
        for (int i = 0; i < key.Tokens; i++)
        {
            e = b.Json();
            e.WriteStartObject();
            e.WriteBoolean("is_finished"u8, false);
            e.WriteString("event_type"u8, "text-generation"u8);
            e.WriteString("text"u8, SimText.Token(i));
            e.WriteEndObject();
            b.End("\n"u8);
        }

        b.EndTokens();
        e = b.Json();
        e.WriteStartObject();
        e.WriteBoolean("is_finished"u8, true);
        e.WriteString("event_type"u8, "stream-end"u8);
        e.WriteString("finish_reason"u8, "COMPLETE"u8);
        e.WritePropertyName("response"u8);
        WriteV1Response(e, key, responseId, generationId);
        e.WriteEndObject();
        b.End("\n"u8);
        return b.Build(ContentTypes.NdJson, isStream: true);
    }

    private static void WriteV1Response(Utf8JsonWriter w, in ResponseKey key, string responseId, string generationId)
    {
        w.WriteStartObject();
        w.WriteString("response_id"u8, responseId);
        w.WriteString("text"u8, SimText.Text(key.Tokens));
        w.WriteString("generation_id"u8, generationId);
        w.WriteStartArray("chat_history"u8);
        w.WriteEndArray();
        w.WriteString("finish_reason"u8, "COMPLETE"u8);
        w.WriteStartObject("meta"u8);
        w.WriteStartObject("api_version"u8);
        w.WriteString("version"u8, "1"u8);
        w.WriteEndObject();
        WriteUnits(w, "billed_units"u8, key);
        WriteUnits(w, "tokens"u8, key);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteUsage(Utf8JsonWriter w, in ResponseKey key)
    {
        w.WriteStartObject("usage"u8);
        WriteUnits(w, "billed_units"u8, key);
        WriteUnits(w, "tokens"u8, key);
        w.WriteNumber("cached_tokens"u8, 0);
        w.WriteEndObject();
    }

    private static void WriteUnits(Utf8JsonWriter w, ReadOnlySpan<byte> name, in ResponseKey key)
    {
        w.WriteStartObject(name);
        w.WriteNumber("input_tokens"u8, key.PromptTokens);
        w.WriteNumber("output_tokens"u8, key.Tokens);
        w.WriteEndObject();
    }

    private static string Guid(int seed)
    {
        string hex = SimText.Id(seed, 32).ToLowerInvariant();
        var c = new char[32];
        for (int i = 0; i < 32; i++)
        {
            char ch = hex[i];
            c[i] = "0123456789abcdef"[ch % 16];
        }

        var s = new string(c);
        return $"{s[..8]}-{s[8..12]}-{s[12..16]}-{s[16..20]}-{s[20..]}";
    }
}
