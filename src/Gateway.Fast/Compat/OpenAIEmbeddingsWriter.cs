using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Gateway.Fast.Compat;

/// <summary>
/// Writes OpenAI's embeddings list while a translator reads the native body: each vector's numbers are copied as they
/// stand (float) or collected and written as base64 of little-endian float32 (<c>encoding_format: "base64"</c>).
/// </summary>
/// <remarks>Usage: <c>Begin</c>, then per vector <c>BeginEmbedding</c>, <c>Number</c>…, <c>EndEmbedding</c>, then <c>End</c>.</remarks>
internal sealed class OpenAIEmbeddingsWriter : IDisposable
{
    private static readonly JsonWriterOptions Options = new() { SkipValidation = true };
    private readonly Utf8JsonWriter _json;
    private readonly bool _base64;
    private float[] _vector = [];
    private int _length;
    private int _index;

    public OpenAIEmbeddingsWriter(IBufferWriter<byte> output, bool base64)
    {
        _json = new Utf8JsonWriter(output, Options);
        _base64 = base64;
    }

    /// <summary>How many vectors were written.</summary>
    public int Count => _index;

    public void Begin()
    {
        _json.WriteStartObject();
        _json.WriteString("object"u8, "list"u8);
        _json.WriteStartArray("data"u8);
    }

    public void BeginEmbedding()
    {
        _json.WriteStartObject();
        _json.WriteString("object"u8, "embedding"u8);
        _json.WriteNumber("index"u8, _index++);
        if (_base64)
        {
            _length = 0;
        }
        else
        {
            _json.WriteStartArray("embedding"u8);
        }
    }

    /// <summary>The number the reader stands on: copied verbatim, or parsed as float32 for base64.</summary>
    public void Number(ref Utf8JsonReader reader)
    {
        if (!_base64)
        {
            _json.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
            return;
        }

        if (_length == _vector.Length)
        {
            var bigger = ArrayPool<float>.Shared.Rent(Math.Max(1024, _vector.Length * 2));
            _vector.AsSpan(0, _length).CopyTo(bigger);
            if (_vector.Length > 0)
            {
                ArrayPool<float>.Shared.Return(_vector);
            }

            _vector = bigger;
        }

        _vector[_length++] = reader.GetSingle();
    }

    public void EndEmbedding()
    {
        if (_base64)
        {
            // OpenAI's base64 is the raw float32 array in little-endian order; every .NET target here is little-endian.
            _json.WriteBase64String("embedding"u8, MemoryMarshal.AsBytes(_vector.AsSpan(0, _length)));
        }
        else
        {
            _json.WriteEndArray();
        }

        _json.WriteEndObject();
    }

    public void End(string model, long promptTokens)
    {
        _json.WriteEndArray();
        _json.WriteString("model"u8, model);
        _json.WriteStartObject("usage"u8);
        _json.WriteNumber("prompt_tokens"u8, promptTokens);
        _json.WriteNumber("total_tokens"u8, promptTokens);
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.Flush();
    }

    public void Dispose()
    {
        _json.Dispose();
        if (_vector.Length > 0)
        {
            ArrayPool<float>.Shared.Return(_vector);
            _vector = [];
        }
    }
}
