using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace Gateway.Fast.Accounting;

/// <summary>
/// Bedrock InvokeModelWithResponseStream usage: each <c>chunk</c> event is <c>{"bytes":"base64(model event)"}</c>, and
/// the last model event carries <c>"amazon-bedrock-invocationMetrics":{"inputTokenCount","outputTokenCount",
/// "cacheReadInputTokenCount"?,"cacheWriteInputTokenCount"?}</c> whatever the model (Claude, Nova, Llama, Titan).
/// </summary>
/// <remarks>
/// The chunk is decoded into a pooled buffer only when its base64 is short (a model event is a few hundred bytes) and
/// its decoded text names the metrics; other chunks cost one base64 decode and one search.
/// </remarks>
internal static class InvocationMetrics
{
    private const int MaxChunkBytes = 64 * 1024;

    public static void Read(ReadOnlySpan<byte> payload, ref JsonUsageScanner json)
    {
        if (!TryGetBase64(payload, out var base64) || base64.Length > MaxChunkBytes)
        {
            return;
        }

        byte[] decoded = ArrayPool<byte>.Shared.Rent(Base64.GetMaxDecodedFromUtf8Length(base64.Length));
        try
        {
            if (Base64.DecodeFromUtf8(base64, decoded, out _, out int written) != OperationStatus.Done)
            {
                return;
            }

            var model = decoded.AsSpan(0, written);
            int at = model.IndexOf("\"amazon-bedrock-invocationMetrics\""u8);
            if (at >= 0)
            {
                ReadMetrics(model, ref json);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(decoded);
        }
    }

    private static bool TryGetBase64(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> base64)
    {
        base64 = default;
        var reader = new Utf8JsonReader(payload);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool bytes = reader.ValueTextEquals("bytes"u8);
                reader.Read();
                if (bytes && reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
                {
                    base64 = reader.ValueSpan;
                    return true;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }

    private static void ReadMetrics(ReadOnlySpan<byte> model, ref JsonUsageScanner json)
    {
        var reader = new Utf8JsonReader(model);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool metrics = reader.ValueTextEquals("amazon-bedrock-invocationMetrics"u8);
                reader.Read();
                if (!metrics || reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var slot = reader.ValueTextEquals("inputTokenCount"u8) ? UsageSlot.Input
                        : reader.ValueTextEquals("outputTokenCount"u8) ? UsageSlot.Output
                        : reader.ValueTextEquals("cacheReadInputTokenCount"u8) ? UsageSlot.CacheRead
                        : reader.ValueTextEquals("cacheWriteInputTokenCount"u8) ? UsageSlot.CacheWrite
                        : UsageSlot.None;
                    reader.Read();
                    if (slot != UsageSlot.None && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int value))
                    {
                        json.SetUsage(slot, value);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                return;
            }
        }
        catch (JsonException)
        {
            // A model event that is not JSON carries no metrics.
        }
    }
}
