using System.Text.Json;

namespace Gateway.Fast.Simulator;

/// <summary>Gemini generateContent bodies, shaped like fixtures/google (google-text.json, cassette-stream-text.yaml).</summary>
/// <remarks>
/// <c>streamGenerateContent?alt=sse</c> sends <c>data: {chunk}\r\n\r\n</c> per chunk. Without <c>alt=sse</c> the body is one
/// JSON array whose elements arrive one by one: <c>[{…}</c>, <c>,\r\n{…}</c>, …, <c>]</c>.
/// Every chunk repeats <c>usageMetadata</c>; the last one carries <c>finishReason: STOP</c>.
/// A request that declares tools is answered with one <c>functionCall</c> of its first function (empty <c>args</c>), in
/// one chunk with <c>finishReason: STOP</c>, as fixtures/google/cassette-stream-tool-calls.yaml shows Gemini doing.
/// </remarks>
internal static class GeminiResponses
{
    /// <summary>The candidate token count a function-call answer reports, whatever the requested output size.</summary>
    private const int FunctionCallTokens = 5;

    public static SimResponse Generate(in ResponseKey key)
    {
        var b = new ResponseBuilder();
        string responseId = SimText.Id(key.GetHashCode(), 23);
        string model = key.Model ?? "gemini-2.5-flash";

        bool sse = key.Variant == 1;
        if (key.Tool is not null)
        {
            return FunctionCall(b, key, model, responseId, sse);
        }

        if (!key.Stream)
        {
            WriteChunk(b.Json(), key, SimText.Text(key.Tokens), last: true, key.Tokens, model, responseId);
            return b.Build(ContentTypes.GoogleJson, isStream: false);
        }

        b.BeginTokens();
        for (int i = 0; i < key.Tokens; i++)
        {
            if (sse)
            {
                b.Raw("data: "u8);
            }
            else
            {
                b.Raw(i == 0 ? "["u8 : ",\r\n"u8);
            }

            WriteChunk(b.Json(), key, SimText.Token(i), last: i == key.Tokens - 1, i + 1, model, responseId);
            b.End(sse ? "\r\n\r\n"u8 : default);
        }

        b.EndTokens();
        if (key.Tokens == 0)
        {
            // No token at all still ends the turn: one empty chunk with finishReason.
            b.Raw(sse ? "data: "u8 : "["u8);
            WriteChunk(b.Json(), key, "", last: true, 0, model, responseId);
            b.End(sse ? "\r\n\r\n"u8 : default);
        }

        if (!sse)
        {
            b.Raw("]"u8);
            b.EndRaw();
        }

        return b.Build(sse ? ContentTypes.Sse : ContentTypes.GoogleJson, isStream: true);
    }

    public static SimResponse CountTokens(in ResponseKey key)
    {
        var b = new ResponseBuilder();
        var w = b.Json();
        w.WriteStartObject();
        w.WriteNumber("totalTokens"u8, key.PromptTokens);
        w.WriteEndObject();
        return b.Build(ContentTypes.GoogleJson, isStream: false);
    }

    /// <summary><c>batchEmbedContents</c>: <c>{"embeddings":[{"values":[…]}]}</c>, one per request, 768 wide (text-embedding-004).</summary>
    public static SimResponse BatchEmbed(in ResponseKey key)
    {
        var b = new ResponseBuilder();
        var w = b.Json();
        w.WriteStartObject();
        w.WriteStartArray("embeddings"u8);
        SimVectors.WriteAll(w, key, 768, "values"u8);
        w.WriteEndArray();
        w.WriteEndObject();
        return b.Build(ContentTypes.GoogleJson, isStream: false);
    }

    private static SimResponse FunctionCall(ResponseBuilder b, in ResponseKey key, string model, string responseId, bool sse)
    {
        if (!key.Stream)
        {
            WriteChunk(b.Json(), key, "", last: true, FunctionCallTokens, model, responseId, key.Tool);
            return b.Build(ContentTypes.GoogleJson, isStream: false);
        }

        b.BeginTokens();
        b.Raw(sse ? "data: "u8 : "["u8);
        WriteChunk(b.Json(), key, "", last: true, FunctionCallTokens, model, responseId, key.Tool);
        b.End(sse ? "\r\n\r\n"u8 : "]"u8);
        b.EndTokens();
        return b.Build(sse ? ContentTypes.Sse : ContentTypes.GoogleJson, isStream: true);
    }

    /// <summary>
    /// One GenerateContentResponse: a candidate with one part, usage, model version and id. The part is
    /// <paramref name="text"/>, or a call of <paramref name="functionName"/> with empty args when one is given; a
    /// function-call chunk carries no <c>promptTokensDetails</c>, as the recordings show.
    /// </summary>
    private static void WriteChunk(Utf8JsonWriter w, in ResponseKey key, string text, bool last, int candidates, string model,
        string responseId, string? functionName = null)
    {
        w.WriteStartObject();
        w.WriteStartArray("candidates"u8);
        w.WriteStartObject();
        w.WriteStartObject("content"u8);
        w.WriteStartArray("parts"u8);
        w.WriteStartObject();
        if (functionName is null)
        {
            w.WriteString("text"u8, text);
        }
        else
        {
            w.WriteStartObject("functionCall"u8);
            w.WriteString("name"u8, functionName);
            w.WriteStartObject("args"u8);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteString("role"u8, "model"u8);
        w.WriteEndObject();
        if (last)
        {
            w.WriteString("finishReason"u8, "STOP"u8);
        }

        w.WriteNumber("index"u8, 0);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartObject("usageMetadata"u8);
        w.WriteNumber("promptTokenCount"u8, key.PromptTokens);
        w.WriteNumber("candidatesTokenCount"u8, candidates);
        w.WriteNumber("totalTokenCount"u8, key.PromptTokens + candidates);
        if (functionName is null)
        {
            w.WriteStartArray("promptTokensDetails"u8);
            w.WriteStartObject();
            w.WriteString("modality"u8, "TEXT"u8);
            w.WriteNumber("tokenCount"u8, key.PromptTokens);
            w.WriteEndObject();
            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteString("modelVersion"u8, model);
        w.WriteString("responseId"u8, responseId);
        w.WriteEndObject();
    }
}
