using System.Text.Json;

namespace Gateway.Fast.Simulator;

/// <summary>Workers AI <c>ai/run/{model}</c> bodies: the Cloudflare v4 envelope, or SSE <c>{"response":"tok","p":…}</c> events.</summary>
/// <remarks>
/// No recording exists (fixtures/README "Known gaps"); this follows Cloudflare's documentation: token events, a last event with
/// empty <c>response</c> and <c>usage</c>, then <c>data: [DONE]</c>.
/// </remarks>
internal static class WorkersAiResponses
{
    public static SimResponse Run(in ResponseKey key)
    {
        var b = new ResponseBuilder();
        if (!key.Stream)
        {
            var w = b.Json();
            w.WriteStartObject();
            w.WriteStartObject("result"u8);
            w.WriteString("response"u8, SimText.Text(key.Tokens));
            WriteUsage(w, key);
            w.WriteEndObject();
            w.WriteBoolean("success"u8, true);
            w.WriteStartArray("errors"u8);
            w.WriteEndArray();
            w.WriteStartArray("messages"u8);
            w.WriteEndArray();
            w.WriteEndObject();
            return b.Build(ContentTypes.Json, isStream: false);
        }

        b.BeginTokens();
        for (int i = 0; i < key.Tokens; i++)
        {
            var t = b.SseEvent();
            t.WriteStartObject();
            t.WriteString("response"u8, SimText.Token(i));
            t.WriteString("p"u8, SimText.Padding(i));
            t.WriteEndObject();
            b.End("\n\n"u8);
        }

        b.EndTokens();
        var u = b.SseEvent();
        u.WriteStartObject();
        u.WriteString("response"u8, ""u8);
        WriteUsage(u, key);
        u.WriteEndObject();
        b.End("\n\n"u8);
        b.Raw("data: [DONE]\n\n"u8);
        b.EndRaw();
        return b.Build(ContentTypes.Sse, isStream: true);
    }

    private static void WriteUsage(Utf8JsonWriter w, in ResponseKey key)
    {
        w.WriteStartObject("usage"u8);
        w.WriteNumber("prompt_tokens"u8, key.PromptTokens);
        w.WriteNumber("completion_tokens"u8, key.Tokens);
        w.WriteNumber("total_tokens"u8, key.PromptTokens + key.Tokens);
        w.WriteEndObject();
    }
}
