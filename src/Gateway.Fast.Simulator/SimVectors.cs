using System.Text.Json;

namespace Gateway.Fast.Simulator;

/// <summary>The embedding vectors every embeddings endpoint answers with: deterministic, unit length, one per input.</summary>
internal static class SimVectors
{
    /// <summary>How many inputs the request embeds: <see cref="ResponseKey.Dimensions"/> carries it below 4096.</summary>
    public static int InputCount(in ResponseKey key) => Math.Max(1, key.Dimensions % 4096);

    /// <summary>
    /// One vector of <paramref name="width"/> per input, each a bare array, or an object holding the array under
    /// <paramref name="property"/> when one is given; written inside an array the caller has opened.
    /// </summary>
    public static void WriteAll(Utf8JsonWriter w, in ResponseKey key, int width, ReadOnlySpan<byte> property)
    {
        var vector = new float[width];
        for (int n = 0; n < InputCount(key); n++)
        {
            Fill(vector, n);
            if (property.IsEmpty)
            {
                Write(w, vector);
                continue;
            }

            w.WriteStartObject();
            w.WritePropertyName(property);
            Write(w, vector);
            w.WriteEndObject();
        }
    }

    /// <summary>A vector as a JSON array of numbers (after the property name, where there is one).</summary>
    public static void Write(Utf8JsonWriter w, float[] vector)
    {
        w.WriteStartArray();
        foreach (float f in vector)
        {
            w.WriteNumberValue(f);
        }

        w.WriteEndArray();
    }

    /// <summary>Deterministic unit-length vector: input n, component i = sin(i * 0.37 + n + 1), then normalised.</summary>
    public static void Fill(float[] vector, int n)
    {
        double norm = 0;
        for (int i = 0; i < vector.Length; i++)
        {
            double v = Math.Sin((i * 0.37) + n + 1);
            vector[i] = (float)v;
            norm += v * v;
        }

        float scale = (float)(1 / Math.Sqrt(norm));
        for (int i = 0; i < vector.Length; i++)
        {
            vector[i] = MathF.Round(vector[i] * scale, 6);
        }
    }
}
