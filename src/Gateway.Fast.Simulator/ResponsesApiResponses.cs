using System.Text.Json;

namespace Gateway.Fast.Simulator;

/// <summary>OpenAI Responses API (<c>POST /v1/responses</c>) bodies, plain and streamed (typed SSE events).</summary>
internal static class ResponsesApiResponses
{
    public static SimResponse Build(in ResponseKey key)
    {
        var b = new ResponseBuilder();
        int seed = key.GetHashCode();
        string id = "resp_" + SimText.Id(seed, 48);
        string msgId = "msg_" + SimText.Id(seed + 1, 48);
        string model = key.Model ?? "gpt-4o-mini";
        long created = SimText.UnixNow();
        string text = SimText.Text(key.Tokens);

        if (!key.Stream)
        {
            WriteResponse(b.Json(), key, id, msgId, model, created, text, completed: true);
            return b.Build(ContentTypes.Json, isStream: false);
        }

        int seq = 0;
        var e = Event(b, "response.created"u8, ref seq);
        WriteResponse(e, key, id, msgId, model, created, text, completed: false, property: "response");
        EndEvent(b, e);
        e = Event(b, "response.in_progress"u8, ref seq);
        WriteResponse(e, key, id, msgId, model, created, text, completed: false, property: "response");
        EndEvent(b, e);
        OutputItemEvent(b, "response.output_item.added"u8, ref seq, msgId, null);
        ContentPartEvent(b, "response.content_part.added"u8, ref seq, msgId, "");

        b.BeginTokens();
        for (int i = 0; i < key.Tokens; i++)
        {
            e = Event(b, "response.output_text.delta"u8, ref seq);
            WritePartRef(e, msgId);
            e.WriteString("delta"u8, SimText.Token(i));
            EndEvent(b, e);
        }

        b.EndTokens();
        e = Event(b, "response.output_text.done"u8, ref seq);
        WritePartRef(e, msgId);
        e.WriteString("text"u8, text);
        EndEvent(b, e);
        ContentPartEvent(b, "response.content_part.done"u8, ref seq, msgId, text);
        OutputItemEvent(b, "response.output_item.done"u8, ref seq, msgId, text);
        e = Event(b, "response.completed"u8, ref seq);
        WriteResponse(e, key, id, msgId, model, created, text, completed: true, property: "response");
        EndEvent(b, e);
        return b.Build(ContentTypes.SseUtf8, isStream: true);
    }

    private static Utf8JsonWriter Event(ResponseBuilder b, ReadOnlySpan<byte> type, ref int seq)
    {
        var w = b.SseEvent(type);
        w.WriteStartObject();
        w.WriteString("type"u8, type);
        w.WriteNumber("sequence_number"u8, seq++);
        return w;
    }

    private static void EndEvent(ResponseBuilder b, Utf8JsonWriter w)
    {
        w.WriteEndObject();
        b.End("\n\n"u8);
    }

    /// <summary><c>response.output_item.added</c>/<c>.done</c>: the message item, without text while it is being streamed.</summary>
    private static void OutputItemEvent(ResponseBuilder b, ReadOnlySpan<byte> type, ref int seq, string msgId, string? text)
    {
        var e = Event(b, type, ref seq);
        e.WriteNumber("output_index"u8, 0);
        e.WriteStartObject("item"u8);
        WriteMessageBody(e, msgId, text);
        e.WriteEndObject();
        EndEvent(b, e);
    }

    /// <summary><c>response.content_part.added</c>/<c>.done</c>: the message's one text part, empty while it is being streamed.</summary>
    private static void ContentPartEvent(ResponseBuilder b, ReadOnlySpan<byte> type, ref int seq, string msgId, string text)
    {
        var e = Event(b, type, ref seq);
        WritePartRef(e, msgId);
        e.WritePropertyName("part"u8);
        WritePart(e, text);
        EndEvent(b, e);
    }

    private static void WritePartRef(Utf8JsonWriter w, string msgId)
    {
        w.WriteString("item_id"u8, msgId);
        w.WriteNumber("output_index"u8, 0);
        w.WriteNumber("content_index"u8, 0);
    }

    /// <summary>The message's text part, as an array element or after the property name the caller has written.</summary>
    private static void WritePart(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "output_text"u8);
        w.WriteStartArray("annotations"u8);
        w.WriteEndArray();
        w.WriteString("text"u8, text);
        w.WriteEndObject();
    }

    private static void WriteMessageBody(Utf8JsonWriter w, string msgId, string? text)
    {
        w.WriteString("id"u8, msgId);
        w.WriteString("type"u8, "message"u8);
        w.WriteString("status"u8, text is null ? "in_progress"u8 : "completed"u8);
        w.WriteStartArray("content"u8);
        if (text is not null)
        {
            WritePart(w, text);
        }

        w.WriteEndArray();
        w.WriteString("role"u8, "assistant"u8);
    }

    private static void WriteResponse(Utf8JsonWriter w, in ResponseKey key, string id, string msgId, string model, long created,
        string text, bool completed, string? property = null)
    {
        if (property is null)
        {
            w.WriteStartObject();
        }
        else
        {
            w.WriteStartObject(property);
        }

        w.WriteString("id"u8, id);
        w.WriteString("object"u8, "response"u8);
        w.WriteNumber("created_at"u8, created);
        w.WriteString("status"u8, completed ? "completed"u8 : "in_progress"u8);
        w.WriteNull("error"u8);
        w.WriteNull("incomplete_details"u8);
        w.WriteString("model"u8, model);
        w.WriteStartArray("output"u8);
        if (completed)
        {
            w.WriteStartObject();
            WriteMessageBody(w, msgId, text);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (completed)
        {
            w.WriteStartObject("usage"u8);
            w.WriteNumber("input_tokens"u8, key.PromptTokens);
            w.WriteStartObject("input_tokens_details"u8);
            w.WriteNumber("cached_tokens"u8, 0);
            w.WriteEndObject();
            w.WriteNumber("output_tokens"u8, key.Tokens);
            w.WriteStartObject("output_tokens_details"u8);
            w.WriteNumber("reasoning_tokens"u8, 0);
            w.WriteEndObject();
            w.WriteNumber("total_tokens"u8, key.PromptTokens + key.Tokens);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("usage"u8);
        }

        w.WriteEndObject();
    }
}
