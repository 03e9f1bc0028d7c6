using System.Globalization;

namespace Gateway.Fast.LogQueries;

/// <summary>Reads a logs list or DELETE query string into a <see cref="LogQuery"/>, collecting one error per bad field.</summary>
/// <remarks>
/// Filters come in three wire formats, which may be mixed: the SDKs' dotted repeated keys (each <c>filters.key</c> opens a
/// filter; <c>filters.operator</c> and <c>filters.value</c> attach to the open one), and also indexed brackets
/// (<c>filters[0][key]</c>, <c>filters[0][value][]</c>, <c>filters[0][value][1]</c>) and JSON (<c>filters=[{…}]</c>).
/// Deprecated params (docs/gateway-api.md#logs-api) become filters after them. Unknown top-level params are ignored.
/// </remarks>
public static partial class LogQueryParser
{
    /// <summary>Parses <paramref name="queryString"/> (with or without the leading <c>?</c>); false with errors when any field is bad.</summary>
    public static bool TryParse(string? queryString, LogQueryMode mode, out LogQuery query, out IReadOnlyList<LogQueryError> errors)
        => TryParse(QueryStringReader.Read(queryString), mode, out query, out errors);

    /// <summary>Parses decoded pairs in wire order.</summary>
    public static bool TryParse(IReadOnlyList<KeyValuePair<string, string>> pairs, LogQueryMode mode, out LogQuery query, out IReadOnlyList<LogQueryError> errors)
    {
        var errorList = new List<LogQueryError>();
        var filters = new List<LogFilter>();
        ReadFilters(pairs, filters, errorList);

        var result = new LogQuery();
        string? direction = null;
        string? legacyDirection = null;
        foreach (var (name, value) in pairs)
        {
            switch (name)
            {
                case "page" when mode == LogQueryMode.List:
                    if (TryPositive(value, out var page)) { result = result with { Page = page }; }
                    else { errorList.Add(new(name, "page must be a positive integer")); }

                    break;
                case "per_page" when mode == LogQueryMode.List:
                    if (TryPositive(value, out var perPage)) { result = result with { PerPage = Math.Min(perPage, LogQuery.MaxPerPage) }; }
                    else { errorList.Add(new(name, "per_page must be a positive integer")); }

                    break;
                case "limit" when mode == LogQueryMode.Delete:
                    if (TryPositive(value, out var limit)) { result = result with { Limit = limit }; }
                    else { errorList.Add(new(name, "limit must be a positive integer")); }

                    break;
                case "search" when mode == LogQueryMode.List:
                    result = result with { Search = value.Length == 0 ? null : value };
                    break;
                case "meta_info" when mode == LogQueryMode.List:
                    if (TryBoolean(value, out var metaInfo)) { result = result with { MetaInfo = metaInfo }; }
                    else { errorList.Add(new(name, "meta_info must be true or false")); }

                    break;
                case "order_by":
                    if (TryOrderKey(value, mode, out var orderBy)) { result = result with { OrderBy = orderBy }; }
                    else { errorList.Add(new(name, $"order_by '{value}' is not supported")); }

                    break;
                case "order_by_direction":
                    direction = value;
                    break;
                case "direction" when mode == LogQueryMode.List:
                    legacyDirection = value;
                    break;
                default:
                    if (mode == LogQueryMode.List)
                    {
                        ReadDeprecated(name, value, filters, errorList);
                    }

                    break;
            }
        }

        // order_by_direction wins over the deprecated direction when both are sent.
        var (directionName, directionValue) = direction is not null ? ("order_by_direction", direction) : ("direction", legacyDirection);
        if (directionValue is not null)
        {
            if (string.Equals(directionValue, "asc", StringComparison.OrdinalIgnoreCase)) { result = result with { Descending = false }; }
            else if (string.Equals(directionValue, "desc", StringComparison.OrdinalIgnoreCase)) { result = result with { Descending = true }; }
            else { errorList.Add(new(directionName, $"{directionName} must be asc or desc")); }
        }

        query = result with { Filters = filters };
        errors = errorList;
        return errorList.Count == 0;
    }

    private static bool TryOrderKey(string value, LogQueryMode mode, out LogOrderKey key)
    {
        var max = mode == LogQueryMode.List ? LogOrderKey.Cached : LogOrderKey.Feedback;
        return TryOrderKey(value, out key) && key <= max;
    }

    /// <summary>Any <see cref="LogOrderKey"/> by its wire name, whatever the mode allows (the MCP tools sort by all of them).</summary>
    internal static bool TryOrderKey(string value, out LogOrderKey key)
    {
        key = value switch
        {
            "created_at" => LogOrderKey.CreatedAt,
            "provider" => LogOrderKey.Provider,
            "model" => LogOrderKey.Model,
            "model_type" => LogOrderKey.ModelType,
            "success" => LogOrderKey.Success,
            "cached" => LogOrderKey.Cached,
            "cost" => LogOrderKey.Cost,
            "tokens_in" => LogOrderKey.TokensIn,
            "tokens_out" => LogOrderKey.TokensOut,
            "duration" => LogOrderKey.Duration,
            "feedback" => LogOrderKey.Feedback,
            _ => (LogOrderKey)255,
        };

        return key <= LogOrderKey.Feedback;
    }

    private static bool TryPositive(string value, out int result)
        => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result) && result > 0;

    internal static bool TryBoolean(string value, out bool result)
    {
        if (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1")
        {
            result = true;
            return true;
        }

        result = false;
        return value.Equals("false", StringComparison.OrdinalIgnoreCase) || value == "0";
    }

    internal static bool TryNumber(string value, out double result)
        => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out result) && double.IsFinite(result);

    /// <summary>ISO-8601 (offset or <c>Z</c>; none means UTC) or unix milliseconds.</summary>
    internal static bool TryTime(string value, out double unixMs)
    {
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms))
        {
            unixMs = ms;
            return true;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            unixMs = time.ToUnixTimeMilliseconds();
            return true;
        }

        unixMs = 0;
        return false;
    }
}
