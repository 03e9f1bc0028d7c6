using System.Text.Json;

namespace Gateway.Fast.Simulator;

/// <summary>Chat Completions and legacy Completions bodies, shaped like fixtures/openai (openai-text.json, chat-stream-text.sse).</summary>
internal static class OpenAIResponses
{
    private const string Fingerprint = "fp_sim0000001";

    public static SimResponse Chat(in ResponseKey key)
    {
        var b = new ResponseBuilder();
        string id = "chatcmpl-" + SimText.Id(key.GetHashCode(), 29);
        string model = key.Model ?? "gpt-4o-mini";
        long created = SimText.UnixNow();

        if (!key.Stream)
        {
            var w = b.Json();
            WriteHead(w, id, "chat.completion"u8, created, model, fingerprint: false);
            w.WriteStartArray("choices"u8);
            w.WriteStartObject();
            w.WriteNumber("index"u8, 0);
            w.WriteStartObject("message"u8);
            w.WriteString("role"u8, "assistant"u8);
            w.WriteString("content"u8, SimText.Text(key.Tokens));
            w.WriteNull("refusal"u8);
            w.WriteStartArray("annotations"u8);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteNull("logprobs"u8);
            w.WriteString("finish_reason"u8, "stop"u8);
            w.WriteEndObject();
            w.WriteEndArray();
            WriteUsage(w, key, details: true);
            w.WriteString("service_tier"u8, "default"u8);
            w.WriteString("system_fingerprint"u8, Fingerprint);
            w.WriteEndObject();
            return b.Build(ContentTypes.Json, isStream: false);
        }

        // Prelude: the role chunk (delta.role + empty content), as in chat-stream-text.sse.
        var p = ChunkStart(b, id, created, model);
        p.WriteStartObject("delta"u8);
        p.WriteString("role"u8, "assistant"u8);
        p.WriteString("content"u8, ""u8);
        p.WriteNull("refusal"u8);
        p.WriteEndObject();
        ChunkEnd(b, p, null);

        b.BeginTokens();
        for (int i = 0; i < key.Tokens; i++)
        {
            var t = ChunkStart(b, id, created, model);
            t.WriteStartObject("delta"u8);
            t.WriteString("content"u8, SimText.Token(i));
            t.WriteEndObject();
            ChunkEnd(b, t, null);
        }

        b.EndTokens();
        var f = ChunkStart(b, id, created, model);
        f.WriteStartObject("delta"u8);
        f.WriteEndObject();
        ChunkEnd(b, f, "stop");
        WriteUsageChunkAndDone(b, key, id, created, model, "chat.completion.chunk"u8);
        return b.Build(ContentTypes.SseUtf8, isStream: true);
    }

    public static SimResponse Completions(in ResponseKey key)
    {
        var b = new ResponseBuilder();
        string id = "cmpl-" + SimText.Id(key.GetHashCode(), 29);
        string model = key.Model ?? "gpt-3.5-turbo-instruct";
        long created = SimText.UnixNow();

        if (!key.Stream)
        {
            var w = b.Json();
            WriteCompletionHead(w, id, created, model);
            WriteCompletionChoice(w, SimText.Text(key.Tokens), "stop");
            w.WriteEndArray();
            WriteUsage(w, key, details: false);
            w.WriteEndObject();
            return b.Build(ContentTypes.Json, isStream: false);
        }

        b.BeginTokens();
        for (int i = 0; i <= key.Tokens; i++)
        {
            if (i == key.Tokens)
            {
                b.EndTokens();
            }

            var w = b.SseEvent();
            WriteCompletionHead(w, id, created, model);
            WriteCompletionChoice(w, i < key.Tokens ? SimText.Token(i) : "", i < key.Tokens ? null : "stop");
            w.WriteEndArray();
            w.WriteEndObject();
            b.End("\n\n"u8);
        }

        WriteUsageChunkAndDone(b, key, id, created, model, "text_completion"u8);
        return b.Build(ContentTypes.SseUtf8, isStream: true);
    }

    /// <summary>The optional usage chunk (empty <c>choices</c>), then <c>data: [DONE]</c>.</summary>
    internal static void WriteUsageChunkAndDone(ResponseBuilder b, in ResponseKey key, string id, long created, string model,
        ReadOnlySpan<byte> objectName)
    {
        if (key.IncludeUsage)
        {
            var u = b.SseEvent();
            WriteHead(u, id, objectName, created, model, fingerprint: true);
            u.WriteStartArray("choices"u8);
            u.WriteEndArray();
            WriteUsage(u, key, details: true);
            u.WriteEndObject();
            b.End("\n\n"u8);
        }

        b.Raw("data: [DONE]\n\n"u8);
        b.EndRaw();
    }

    internal static void WriteUsage(Utf8JsonWriter w, in ResponseKey key, bool details)
    {
        w.WriteStartObject("usage"u8);
        w.WriteNumber("prompt_tokens"u8, key.PromptTokens);
        w.WriteNumber("completion_tokens"u8, key.Tokens);
        w.WriteNumber("total_tokens"u8, key.PromptTokens + key.Tokens);
        if (details)
        {
            w.WriteStartObject("prompt_tokens_details"u8);
            w.WriteNumber("cached_tokens"u8, 0);
            w.WriteNumber("audio_tokens"u8, 0);
            w.WriteEndObject();
            w.WriteStartObject("completion_tokens_details"u8);
            w.WriteNumber("reasoning_tokens"u8, 0);
            w.WriteNumber("audio_tokens"u8, 0);
            w.WriteNumber("accepted_prediction_tokens"u8, 0);
            w.WriteNumber("rejected_prediction_tokens"u8, 0);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static Utf8JsonWriter ChunkStart(ResponseBuilder b, string id, long created, string model)
    {
        var w = b.SseEvent();
        WriteHead(w, id, "chat.completion.chunk"u8, created, model, fingerprint: true);
        w.WriteStartArray("choices"u8);
        w.WriteStartObject();
        w.WriteNumber("index"u8, 0);
        return w;
    }

    private static void ChunkEnd(ResponseBuilder b, Utf8JsonWriter w, string? finishReason)
    {
        w.WriteNull("logprobs"u8);
        WriteFinishReason(w, finishReason);

        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        b.End("\n\n"u8);
    }

    /// <summary>Opens a completion object, whole or chunk: id, object, created, model and, where sent, the fingerprint.</summary>
    private static void WriteHead(Utf8JsonWriter w, string id, ReadOnlySpan<byte> objectName, long created, string model,
        bool fingerprint)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, id);
        w.WriteString("object"u8, objectName);
        w.WriteNumber("created"u8, created);
        w.WriteString("model"u8, model);
        if (fingerprint)
        {
            w.WriteString("system_fingerprint"u8, Fingerprint);
        }
    }

    private static void WriteCompletionHead(Utf8JsonWriter w, string id, long created, string model)
    {
        WriteHead(w, id, "text_completion"u8, created, model, fingerprint: false);
        w.WriteStartArray("choices"u8);
    }

    private static void WriteCompletionChoice(Utf8JsonWriter w, string text, string? finishReason)
    {
        w.WriteStartObject();
        w.WriteString("text"u8, text);
        w.WriteNumber("index"u8, 0);
        w.WriteNull("logprobs"u8);
        WriteFinishReason(w, finishReason);

        w.WriteEndObject();
    }

    private static void WriteFinishReason(Utf8JsonWriter w, string? finishReason)
    {
        if (finishReason is null)
        {
            w.WriteNull("finish_reason"u8);
        }
        else
        {
            w.WriteString("finish_reason"u8, finishReason);
        }
    }
}
