using System.Text.Json;

namespace Gateway.Fast.Accounting;

/// <summary>
/// The <c>cf-aig-custom-cost</c> header (docs/gateway-api.md#request-headers): <c>{"per_token_in":…,"per_token_out":…}</c> or
/// <c>{"total_cost":N}</c>. Cost = tokens_in·per_token_in + tokens_out·per_token_out, or total_cost.
/// </summary>
public readonly record struct CustomCost(double PerTokenIn, double PerTokenOut, double? TotalCost)
{
    private static ReadOnlySpan<byte> PerTokenInName => "per_token_in"u8;
    private static ReadOnlySpan<byte> PerTokenOutName => "per_token_out"u8;
    private static ReadOnlySpan<byte> TotalCostName => "total_cost"u8;

    public double Compute(in Usage usage) => TotalCost ?? usage.InputTokens * PerTokenIn + usage.OutputTokens * PerTokenOut;

    /// <summary>
    /// Parses the header; false for anything that is not one JSON object with a non-negative finite
    /// <c>total_cost</c>, or at least one of <c>per_token_in</c>/<c>per_token_out</c> (a missing one is 0). When
    /// <c>total_cost</c> is present it wins. Other properties are ignored.
    /// </summary>
    public static bool TryParse(string? header, out CustomCost cost)
    {
        cost = default;
        if (string.IsNullOrWhiteSpace(header))
        {
            return false;
        }

        double? perIn = null, perOut = null, total = null;
        try
        {
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(header));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                ref double? slot = ref perIn;
                bool known = true;
                if (reader.ValueTextEquals(PerTokenOutName))
                {
                    slot = ref perOut;
                }
                else if (reader.ValueTextEquals(TotalCostName))
                {
                    slot = ref total;
                }
                else if (!reader.ValueTextEquals(PerTokenInName))
                {
                    known = false;
                }

                reader.Read();
                if (!known)
                {
                    reader.Skip();
                    continue;
                }

                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out double value) || !double.IsFinite(value) || value < 0)
                {
                    return false;
                }

                slot = value;
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false; // trailing content after the object
            }
        }
        catch (JsonException)
        {
            return false;
        }

        if (total is null && perIn is null && perOut is null)
        {
            return false;
        }

        cost = new CustomCost(perIn ?? 0, perOut ?? 0, total);
        return true;
    }
}
