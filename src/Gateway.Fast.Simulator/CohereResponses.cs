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
            var w = b.Json();
            w.WriteStartObject();
            w.WriteString("id"u8, id);
            w.WriteStartObject("message"u8);
            w.WriteString("role"u8, "assistant"u8);
            w.WriteStartArray("content"u8);
            w.WriteStartObject();
            w.WriteString("type"u8, "text"u8);
            w.WriteString("text"u8, SimText.Text(key.Tokens));
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteString("finish_reason"u8, "COMPLETE"u8);
            WriteUsage(w, key);
            w.WriteEndObject();
            return b.Build(ContentTypes.Json, isStream: false);
        }

        var e = b.SseEvent("message-start"u8);
        e.WriteStartObject();
        e.WriteString("id"u8, id);
        e.WriteString("type"u8, "message-start"u8);
        e.WriteStartObject("delta"u8);
        e.WriteStartObject("message"u8);
        e.WriteString("role"u8, "assistant"u8);
        e.WriteStartArray("content"u8);
        e.WriteEndArray();
        e.WriteString("tool_plan"u8, ""u8);
        e.WriteStartArray("tool_calls"u8);
        e.WriteEndArray();
        e.WriteStartArray("citations"u8);
        e.WriteEndArray();
        e.WriteEndObject();
        e.WriteEndObject();
        e.WriteEndObject();
        b.End("\n\n"u8);
        b.Raw("event: content-start\ndata: {\"type\":\"content-start\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"type\":\"text\",\"text\":\"\"}}}}\n\n"u8);
        b.EndRaw();

        b.BeginTokens();
        for (int i = 0; i < key.Tokens; i++)
        {
            e = b.SseEvent("content-delta"u8);
            e.WriteStartObject();
            e.WriteString("type"u8, "content-delta"u8);
            e.WriteNumber("index"u8, 0);
            e.WriteStartObject("delta"u8);
            e.WriteStartObject("message"u8);
            e.WriteStartObject("content"u8);
            e.WriteString("text"u8, SimText.Token(i));
            e.WriteEndObject();
            e.WriteEndObject();
            e.WriteEndObject();
            e.WriteEndObject();
            b.End("\n\n"u8);
        }

        b.EndTokens();
        b.Raw("event: content-end\ndata: {\"type\":\"content-end\",\"index\":0}\n\n"u8);
        b.EndRaw();
        return EndV2Stream(b, key, "COMPLETE"u8);
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
        int inputs = Math.Max(1, key.Dimensions % 4096);
        var vector = new float[1024];
        var b = new ResponseBuilder();
        var w = b.Json();
        w.WriteStartObject();
        w.WriteString("id"u8, Guid(key.GetHashCode()));
        w.WriteStartObject("embeddings"u8);
        w.WriteStartArray("float"u8);
        for (int n = 0; n < inputs; n++)
        {
            OpenAIExtraResponses.Fill(vector, n);
            w.WriteStartArray();
            foreach (float f in vector)
            {
                w.WriteNumberValue(f);
            }

            w.WriteEndArray();
        }

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
            var w = b.Json();
            w.WriteStartObject();
            w.WriteString("id"u8, id);
            w.WriteStartObject("message"u8);
            w.WriteString("role"u8, "assistant"u8);
            w.WriteString("tool_plan"u8, Plan);
            w.WriteStartArray("tool_calls"u8);
            w.WriteStartObject();
            w.WriteString("id"u8, callId);
            w.WriteString("type"u8, "function"u8);
            w.WriteStartObject("function"u8);
            w.WriteString("name"u8, key.Tool);
            w.WriteString("arguments"u8, "{}"u8);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteString("finish_reason"u8, "TOOL_CALL"u8);
            WriteUsage(w, key);
            w.WriteEndObject();
            return b.Build(ContentTypes.Json, isStream: false);
        }

        var e = b.SseEvent("message-start"u8);
        e.WriteStartObject();
        e.WriteString("id"u8, id);
        e.WriteString("type"u8, "message-start"u8);
        e.WriteStartObject("delta"u8);
        e.WriteStartObject("message"u8);
        e.WriteString("role"u8, "assistant"u8);
        e.WriteString("tool_plan"u8, ""u8);
        e.WriteEndObject();
        e.WriteEndObject();
        e.WriteEndObject();
        b.End("\n\n"u8);
        b.BeginTokens();
        e = b.SseEvent("tool-plan-delta"u8);
        e.WriteStartObject();
        e.WriteString("type"u8, "tool-plan-delta"u8);
        e.WriteStartObject("delta"u8);
        e.WriteStartObject("message"u8);
        e.WriteString("tool_plan"u8, Plan);
        e.WriteEndObject();
        e.WriteEndObject();
        e.WriteEndObject();
        b.End("\n\n"u8);
        e = b.SseEvent("tool-call-start"u8);
        e.WriteStartObject();
        e.WriteString("type"u8, "tool-call-start"u8);
        e.WriteNumber("index"u8, 0);
        e.WriteStartObject("delta"u8);
        e.WriteStartObject("message"u8);
        e.WriteStartObject("tool_calls"u8);
        e.WriteString("id"u8, callId);
        e.WriteString("type"u8, "function"u8);
        e.WriteStartObject("function"u8);
        e.WriteString("name"u8, key.Tool);
        e.WriteString("arguments"u8, ""u8);
        e.WriteEndObject();
        e.WriteEndObject();
        e.WriteEndObject();
        e.WriteEndObject();
        e.WriteEndObject();
        b.End("\n\n"u8);
        b.Raw("event: tool-call-delta\ndata: {\"type\":\"tool-call-delta\",\"index\":0,\"delta\":{\"message\":{\"tool_calls\":{\"function\":{\"arguments\":\"{}\"}}}}}\n\n"u8);
        b.EndRaw();
        b.EndTokens();
        b.Raw("event: tool-call-end\ndata: {\"type\":\"tool-call-end\",\"index\":0}\n\n"u8);
        b.EndRaw();
        return EndV2Stream(b, key, "TOOL_CALL"u8);
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
