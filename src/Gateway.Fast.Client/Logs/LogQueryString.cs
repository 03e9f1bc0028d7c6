using System.Globalization;
using System.Text;

namespace Gateway.Fast.Client.Logs;

/// <summary>Writes a <see cref="LogQuery"/> as the logs API's query string, filters in the SDKs' dotted, repeated form.</summary>
internal static class LogQueryString
{
    public static string For(LogQuery query)
    {
        var parameters = new List<KeyValuePair<string, string>>();
        Add(parameters, "page", query.Page);
        Add(parameters, "per_page", query.PerPage);
        Add(parameters, "search", query.Search);
        Add(parameters, "order_by", query.OrderBy);
        Add(parameters, "order_by_direction", query.OrderByDirection);
        if (query.StartDate is { } start)
        {
            parameters.Add(new("start_date", Time(start)));
        }

        if (query.EndDate is { } end)
        {
            parameters.Add(new("end_date", Time(end)));
        }

        if (query.Success is { } success)
        {
            parameters.Add(new("success", success ? "true" : "false"));
        }

        if (query.Cached is { } cached)
        {
            parameters.Add(new("cached", cached ? "true" : "false"));
        }

        // Each filters.key opens a new filter; its operator and values follow it (docs/gateway-api.md#logs-api).
        foreach (var filter in query.Filters)
        {
            parameters.Add(new("filters.key", filter.Key));
            parameters.Add(new("filters.operator", filter.Operator));
            foreach (var value in filter.Values)
            {
                parameters.Add(new("filters.value", value));
            }
        }

        return Encode(parameters);
    }

    public static string Encode(IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        if (parameters.Count == 0)
        {
            return "";
        }

        var text = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            text.Append(text.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return text.ToString();
    }

    public static string Time(DateTimeOffset time)
        => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void Add(List<KeyValuePair<string, string>> parameters, string name, int? value)
    {
        if (value is { } v)
        {
            parameters.Add(new(name, v.ToString(CultureInfo.InvariantCulture)));
        }
    }

    private static void Add(List<KeyValuePair<string, string>> parameters, string name, string? value)
    {
        if (value is not null)
        {
            parameters.Add(new(name, value));
        }
    }
}
