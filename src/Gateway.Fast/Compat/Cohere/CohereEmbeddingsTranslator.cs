using System.Buffers;
using System.Text.Json;

namespace Gateway.Fast.Compat.Cohere;

/// <summary>
/// OpenAI <c>/embeddings</c> ↔ Cohere <c>v2/embed</c>: <c>{model, texts, input_type: "search_document",
/// embedding_types: ["float"], output_dimension?}</c>, answered by <c>{"embeddings": {"float": [[…]]}, "meta":
/// {"billed_units": {"input_tokens"}}}</c>.
/// </summary>
/// <remarks>
/// OpenAI has no input type, and Cohere v3+ models require one: <c>search_document</c> is the choice for text that will
/// be stored and searched, the common use of an OpenAI-style embeddings call. <c>dimensions</c> →
/// <c>output_dimension</c> (embed-v4). Usage: <c>meta.billed_units.input_tokens</c>.
/// </remarks>
internal sealed class CohereEmbeddingsTranslator : IEmbeddingsTranslator
{
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string? WriteRequest(JsonElement root, string model, IBufferWriter<byte> body, out string upstreamPath)
    {
        upstreamPath = "v2/embed";
        int dimensions = 0;
        string? error = EmbeddingsInput.Validate(root, "Cohere", out var input) ?? EmbeddingsInput.Dimensions(root, out dimensions);
        if (error is not null)
        {
            return error;
        }

        using var json = new Utf8JsonWriter(body, Options);
        json.WriteStartObject();
        json.WriteString("model"u8, model);
        json.WriteStartArray("texts"u8);
        if (input.ValueKind == JsonValueKind.String)
        {
            input.WriteTo(json);
        }
        else
        {
            foreach (var text in input.EnumerateArray())
            {
                text.WriteTo(json);
            }
        }

        json.WriteEndArray();
        json.WriteString("input_type"u8, "search_document"u8);
        json.WriteStartArray("embedding_types"u8);
        json.WriteStringValue("float"u8);
        json.WriteEndArray();
        if (dimensions > 0)
        {
            json.WriteNumber("output_dimension"u8, dimensions);
        }

        json.WriteEndObject();
        return null;
    }

    public Accounting.Usage WriteResponse(ReadOnlySpan<byte> native, string model, bool base64, IBufferWriter<byte> output)
    {
        using var writer = new OpenAIEmbeddingsWriter(output, base64);
        writer.Begin();
        var usage = new TranslatedUsage(Accounting.UsageWireFormat.Cohere);
        var reader = new Utf8JsonReader(native);
        if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("embeddings"u8))
                {
                    reader.Read();
                    ReadEmbeddings(ref reader, writer);
                }
                else if (reader.ValueTextEquals("meta"u8))
                {
                    reader.Read();
                    usage.Read(ref reader); // meta.billed_units.input_tokens
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }

        writer.End(model, usage.ForCaller.PromptTokens);
        return usage.ForLog;
    }

    public string? ReadErrorMessage(ReadOnlySpan<byte> native) => CohereErrors.ReadMessage(native);

    /// <summary><c>{"float": [[…], …]}</c> (embeddings by type) or, from older models, a bare <c>[[…], …]</c>.</summary>
    private static void ReadEmbeddings(ref Utf8JsonReader reader, OpenAIEmbeddingsWriter writer)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isFloat = reader.ValueTextEquals("float"u8);
                reader.Read();
                if (isFloat && reader.TokenType == JsonTokenType.StartArray)
                {
                    ReadVectors(ref reader, writer);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        else if (reader.TokenType == JsonTokenType.StartArray)
        {
            ReadVectors(ref reader, writer);
        }
        else
        {
            reader.Skip();
        }
    }

    private static void ReadVectors(ref Utf8JsonReader reader, OpenAIEmbeddingsWriter writer)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            writer.BeginEmbedding();
            while (reader.Read() && reader.TokenType == JsonTokenType.Number)
            {
                writer.Number(ref reader);
            }

            writer.EndEmbedding();
        }
    }
}
