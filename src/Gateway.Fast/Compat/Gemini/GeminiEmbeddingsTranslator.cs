using System.Buffers;
using System.Text.Json;

namespace Gateway.Fast.Compat.Gemini;

/// <summary>
/// OpenAI <c>/embeddings</c> ↔ Gemini <c>models/{model}:batchEmbedContents</c>: one request per input
/// (<c>{model: "models/{m}", content: {parts: [{text}]}, outputDimensionality?}</c>), answered by
/// <c>{"embeddings": [{"values": […]}]}</c> in input order.
/// </summary>
/// <remarks>
/// <c>dimensions</c> → <c>outputDimensionality</c>. Gemini's answer carries no token count, so <c>usage</c> reads 0.
/// Not sent: <c>taskType</c> and <c>title</c> (OpenAI has neither), <c>user</c>.
/// </remarks>
internal sealed class GeminiEmbeddingsTranslator : IEmbeddingsTranslator
{
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string? WriteRequest(JsonElement root, string model, IBufferWriter<byte> body, out string upstreamPath)
    {
        upstreamPath = "";
        string name = model.StartsWith("models/", StringComparison.Ordinal) ? model["models/".Length..] : model;
        if (name.Length == 0 || name.AsSpan().IndexOfAny("/?#: %") >= 0)
        {
            return $"'{model}' is not a Gemini model id.";
        }

        int dimensions = 0;
        string? error = EmbeddingsInput.Validate(root, "Gemini", out var input) ?? EmbeddingsInput.Dimensions(root, out dimensions);
        if (error is not null)
        {
            return error;
        }

        upstreamPath = $"v1beta/models/{name}:batchEmbedContents";
        string qualified = "models/" + name;
        using var json = new Utf8JsonWriter(body, Options);
        json.WriteStartObject();
        json.WriteStartArray("requests"u8);
        if (input.ValueKind == JsonValueKind.String)
        {
            WriteOne(json, qualified, input, dimensions);
        }
        else
        {
            foreach (var text in input.EnumerateArray())
            {
                WriteOne(json, qualified, text, dimensions);
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
        return null;
    }

    public Accounting.Usage WriteResponse(ReadOnlySpan<byte> native, string model, bool base64, IBufferWriter<byte> output)
    {
        using var writer = new OpenAIEmbeddingsWriter(output, base64);
        writer.Begin();
        var reader = new Utf8JsonReader(native);
        if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool embeddings = reader.ValueTextEquals("embeddings"u8);
                reader.Read();
                if (embeddings && reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                    {
                        ReadEmbedding(ref reader, writer);
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        writer.End(model, 0);
        return default; // batchEmbedContents reports no usage: the log row estimates it from the request text
    }

    public string? ReadErrorMessage(ReadOnlySpan<byte> native) => GeminiErrors.ReadMessage(native);

    private static void ReadEmbedding(ref Utf8JsonReader reader, OpenAIEmbeddingsWriter writer)
    {
        writer.BeginEmbedding();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool values = reader.ValueTextEquals("values"u8);
            reader.Read();
            if (values && reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.Number)
                {
                    writer.Number(ref reader);
                }
            }
            else
            {
                reader.Skip();
            }
        }

        writer.EndEmbedding();
    }

    private static void WriteOne(Utf8JsonWriter json, string model, JsonElement text, int dimensions)
    {
        json.WriteStartObject();
        json.WriteString("model"u8, model);
        json.WriteStartObject("content"u8);
        json.WriteStartArray("parts"u8);
        json.WriteStartObject();
        json.WritePropertyName("text"u8);
        text.WriteTo(json);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        if (dimensions > 0)
        {
            json.WriteNumber("outputDimensionality"u8, dimensions);
        }

        json.WriteEndObject();
    }
}
