using System.Globalization;
using System.Text.Json.Nodes;
using Gateway.Fast.LogQueries;

namespace Gateway.Fast.Fleet;

/// <summary>A log row as the logs API writes it (<c>LogsJson.ToRow</c>), from this replica or another, with what a merge
/// orders by read once.</summary>
/// <param name="row">The row's JSON, written into the merged answer as is.</param>
/// <param name="replica">The replica that holds it (null for this one).</param>
internal sealed class FleetLogRow(JsonObject row, string? replica)
{
    public JsonObject Row { get; } = row;

    public string? Replica { get; } = replica;

    public string Id { get; } = Text(row, "id") ?? "";

    public long CreatedAtUnixMs { get; } = DateTimeOffset.ParseExact(Text(row, "created_at") ?? "1970-01-01T00:00:00.000Z",
        "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds();

    /// <summary>The order <see cref="LogOrdering"/> gives the rows themselves, read from their JSON: the key, then
    /// created_at, then id, all in the requested direction. Rows from every replica merge into the page one node would give.</summary>
    public static Comparison<FleetLogRow> Order(LogOrderKey key, bool descending)
    {
        Comparison<FleetLogRow> primary = key switch
        {
            LogOrderKey.Provider => static (a, b) => string.CompareOrdinal(Text(a.Row, "provider"), Text(b.Row, "provider")),
            LogOrderKey.Model => static (a, b) => string.CompareOrdinal(Text(a.Row, "model"), Text(b.Row, "model")),
            LogOrderKey.ModelType => static (a, b) => string.CompareOrdinal(Text(a.Row, "model_type"), Text(b.Row, "model_type")),
            LogOrderKey.Success => static (a, b) => Flag(a.Row, "success").CompareTo(Flag(b.Row, "success")),
            LogOrderKey.Cached => static (a, b) => Flag(a.Row, "cached").CompareTo(Flag(b.Row, "cached")),

            // As on one node, a missing number (null) comes first.
            LogOrderKey.Cost => static (a, b) => Nullable.Compare(Number(a.Row, "cost"), Number(b.Row, "cost")),
            LogOrderKey.TokensIn => static (a, b) => Nullable.Compare(Number(a.Row, "tokens_in"), Number(b.Row, "tokens_in")),
            LogOrderKey.TokensOut => static (a, b) => Nullable.Compare(Number(a.Row, "tokens_out"), Number(b.Row, "tokens_out")),
            LogOrderKey.Duration => static (a, b) => Nullable.Compare(Number(a.Row, "duration"), Number(b.Row, "duration")),
            LogOrderKey.Feedback => static (a, b) => Nullable.Compare(Number(a.Row, "feedback"), Number(b.Row, "feedback")),
            _ => static (_, _) => 0,
        };

        Comparison<FleetLogRow> full = (a, b) =>
        {
            var c = primary(a, b);
            if (c != 0)
            {
                return c;
            }

            c = a.CreatedAtUnixMs.CompareTo(b.CreatedAtUnixMs);
            return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
        };
        return descending ? (a, b) => full(b, a) : full;
    }

    private static string? Text(JsonObject row, string name)
        => row[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static bool Flag(JsonObject row, string name)
        => row[name] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    /// <summary>A number whether the row was parsed (a JSON element) or written here (an int, a double).</summary>
    private static double? Number(JsonObject row, string name)
    {
        if (row[name] is not JsonValue value)
        {
            return null;
        }

        if (value.TryGetValue<double>(out var d))
        {
            return d;
        }

        if (value.TryGetValue<int>(out var i))
        {
            return i;
        }

        return value.TryGetValue<long>(out var l) ? l : null;
    }
}
