using System.Runtime.InteropServices;

namespace Gateway.Fast.Simulator;

/// <summary>Embeddings, model list and Responses API bodies in OpenAI's shapes.</summary>
internal static class OpenAIExtraResponses
{
    /// <summary>text-embedding-3-small's width, used when the request has no <c>dimensions</c>.</summary>
    public const int DefaultDimensions = 1536;

    private static readonly string[] ModelIds =
    [
        "gpt-4o", "gpt-4o-mini", "gpt-4.1-nano", "gpt-5-mini", "text-embedding-3-small", "gpt-3.5-turbo-instruct",
    ];

    public static SimResponse Embeddings(in ResponseKey key)
    {
        int dims = key.Dimensions / 4096;
        int inputs = SimVectors.InputCount(key);
        dims = dims > 0 ? dims : DefaultDimensions;
        var b = new ResponseBuilder();
        var w = b.Json();
        w.WriteStartObject();
        w.WriteString("object"u8, "list"u8);
        w.WriteStartArray("data"u8);
        var vector = new float[dims];
        for (int n = 0; n < inputs; n++)
        {
            SimVectors.Fill(vector, n);
            w.WriteStartObject();
            w.WriteString("object"u8, "embedding"u8);
            w.WriteNumber("index"u8, n);
            if (key.Variant == 1)
            {
                // encoding_format=base64: little-endian float32 array, base64 (what the OpenAI SDKs request by default).
                w.WriteBase64String("embedding"u8, MemoryMarshal.AsBytes(vector.AsSpan()));
            }
            else
            {
                w.WritePropertyName("embedding"u8);
                SimVectors.Write(w, vector);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("model"u8, key.Model ?? "text-embedding-3-small");
        w.WriteStartObject("usage"u8);
        w.WriteNumber("prompt_tokens"u8, key.PromptTokens);
        w.WriteNumber("total_tokens"u8, key.PromptTokens);
        w.WriteEndObject();
        w.WriteEndObject();
        return b.Build(ContentTypes.Json, isStream: false);
    }

    public static SimResponse Models(in ResponseKey key)
    {
        var b = new ResponseBuilder();
        var w = b.Json();
        w.WriteStartObject();
        w.WriteString("object"u8, "list"u8);
        w.WriteStartArray("data"u8);
        foreach (string id in ModelIds)
        {
            w.WriteStartObject();
            w.WriteString("id"u8, id);
            w.WriteString("object"u8, "model"u8);
            w.WriteNumber("created"u8, 1715367049);
            w.WriteString("owned_by"u8, "system"u8);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        return b.Build(ContentTypes.Json, isStream: false);
    }
}
