using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gateway.Fast.LogQueries;

public static partial class LogQueryParser
{
    private static void ReadFilters(IReadOnlyList<KeyValuePair<string, string>> pairs, List<LogFilter> filters, List<LogQueryError> errors)
    {
        var dotted = new List<RawFilter>();
        var indexed = new SortedDictionary<int, RawFilter>();
        foreach (var (name, value) in pairs)
        {
            if (!name.StartsWith("filters", StringComparison.Ordinal))
            {
                continue;
            }

            switch (name)
            {
                case "filters.key":
                    dotted.Add(new RawFilter($"filters[{dotted.Count}]") { Key = value });
                    continue;
                case "filters.operator":
                case "filters.value":
                case "filters.value[]":
                    if (dotted.Count == 0)
                    {
                        errors.Add(new("filters", $"{name} must follow a filters.key"));
                    }
                    else if (name == "filters.operator")
                    {
                        dotted[^1].Operator = value;
                    }
                    else
                    {
                        dotted[^1].Values.Add(RawValue.FromQuery(value));
                    }

                    continue;
                case "filters":
                    ReadJsonFilters(value, filters, errors);
                    continue;
            }

            var match = IndexedName().Match(name);
            if (!match.Success || !int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                errors.Add(new(name, $"'{name}' is not a filter parameter"));
                continue;
            }

            if (!indexed.TryGetValue(index, out var raw))
            {
                indexed[index] = raw = new RawFilter($"filters[{index}]");
            }

            switch (match.Groups[2].Value)
            {
                case "key": raw.Key = value; break;
                case "operator": raw.Operator = value; break;
                default: raw.Values.Add(RawValue.FromQuery(value)); break;
            }
        }

        foreach (var raw in dotted.Concat(indexed.Values))
        {
            Build(raw, filters, errors);
        }
    }

    private static void ReadJsonFilters(string text, List<LogFilter> filters, List<LogQueryError> errors)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            errors.Add(new("filters", "filters must be a JSON array of {key, operator, value}"));
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            var items = root.ValueKind switch
            {
                JsonValueKind.Array => root.EnumerateArray().ToList(),
                JsonValueKind.Object => [root],
                _ => null,
            };
            if (items is null)
            {
                errors.Add(new("filters", "filters must be a JSON array of {key, operator, value}"));
                return;
            }

            for (var i = 0; i < items.Count; i++)
            {
                var raw = new RawFilter($"filters[{i}]");
                if (items[i].ValueKind != JsonValueKind.Object)
                {
                    errors.Add(new(raw.Path, "a filter must be an object"));
                    continue;
                }

                foreach (var property in items[i].EnumerateObject())
                {
                    switch (property.Name)
                    {
                        case "key":
                            raw.Key = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : "";
                            break;
                        case "operator":
                            raw.Operator = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : "";
                            break;
                        case "value":
                            if (property.Value.ValueKind == JsonValueKind.Array)
                            {
                                foreach (var element in property.Value.EnumerateArray())
                                {
                                    raw.Values.Add(RawValue.FromJson(element));
                                }
                            }
                            else
                            {
                                raw.Values.Add(RawValue.FromJson(property.Value));
                            }

                            break;
                    }
                }

                Build(raw, filters, errors);
            }
        }
    }

    private static void Build(RawFilter raw, List<LogFilter> filters, List<LogQueryError> errors)
    {
        if (string.IsNullOrEmpty(raw.Key))
        {
            errors.Add(new(raw.Path + ".key", "key is required"));
            return;
        }

        if (!LogFilterKeys.TryParse(raw.Key, out var key))
        {
            errors.Add(new(raw.Path + ".key", $"unknown filter key '{raw.Key}'"));
            return;
        }

        // The SDK always sends an operator; a hand-written query without one means equality.
        LogFilterOperator op;
        switch (raw.Operator ?? "eq")
        {
            case "eq": op = LogFilterOperator.Eq; break;
            case "neq": op = LogFilterOperator.Neq; break;
            case "contains": op = LogFilterOperator.Contains; break;
            case "lt": op = LogFilterOperator.Lt; break;
            case "gt": op = LogFilterOperator.Gt; break;
            default:
                errors.Add(new(raw.Path + ".operator", $"unknown operator '{raw.Operator}' (eq, neq, contains, lt, gt)"));
                return;
        }

        var kind = LogFilterKeys.KindOf(key);
        var allowed = op switch
        {
            LogFilterOperator.Contains => kind == LogFilterKeyKind.Text,
            LogFilterOperator.Lt or LogFilterOperator.Gt => kind is LogFilterKeyKind.Number or LogFilterKeyKind.Time || key == LogFilterKey.MetadataValue,
            _ => true,
        };
        if (!allowed)
        {
            errors.Add(new(raw.Path + ".operator", $"operator '{raw.Operator}' does not apply to '{raw.Key}'"));
            return;
        }

        if (raw.Values.Count == 0)
        {
            errors.Add(new(raw.Path + ".value", "value needs at least one entry"));
            return;
        }

        var values = new LogFilterValue[raw.Values.Count];
        for (var i = 0; i < values.Length; i++)
        {
            if (!raw.Values[i].TryCoerce(kind, out values[i]))
            {
                errors.Add(new(raw.Path + ".value", $"'{raw.Values[i].Text}' is not a valid {KindName(kind)} for '{raw.Key}'"));
                return;
            }

            if (values[i].IsNull && op is not (LogFilterOperator.Eq or LogFilterOperator.Neq))
            {
                errors.Add(new(raw.Path + ".value", $"operator '{raw.Operator}' needs non-null values"));
                return;
            }
        }

        filters.Add(new LogFilter(key, op, values));
    }

    private static void ReadDeprecated(string name, string value, List<LogFilter> filters, List<LogQueryError> errors)
    {
        var (key, op) = name switch
        {
            "start_date" => (LogFilterKey.CreatedAt, LogFilterOperator.Gte),
            "end_date" => (LogFilterKey.CreatedAt, LogFilterOperator.Lte),
            "success" => (LogFilterKey.Success, LogFilterOperator.Eq),
            "cached" => (LogFilterKey.Cached, LogFilterOperator.Eq),
            "feedback" => (LogFilterKey.Feedback, LogFilterOperator.Eq),
            "model" => (LogFilterKey.Model, LogFilterOperator.Eq),
            "model_type" => (LogFilterKey.ModelType, LogFilterOperator.Eq),
            "provider" => (LogFilterKey.Provider, LogFilterOperator.Eq),
            "request_content_type" => (LogFilterKey.RequestContentType, LogFilterOperator.Eq),
            "response_content_type" => (LogFilterKey.ResponseContentType, LogFilterOperator.Eq),
            "min_cost" => (LogFilterKey.Cost, LogFilterOperator.Gte),
            "max_cost" => (LogFilterKey.Cost, LogFilterOperator.Lte),
            "min_duration" => (LogFilterKey.Duration, LogFilterOperator.Gte),
            "max_duration" => (LogFilterKey.Duration, LogFilterOperator.Lte),
            "min_tokens_in" => (LogFilterKey.TokensIn, LogFilterOperator.Gte),
            "max_tokens_in" => (LogFilterKey.TokensIn, LogFilterOperator.Lte),
            "min_tokens_out" => (LogFilterKey.TokensOut, LogFilterOperator.Gte),
            "max_tokens_out" => (LogFilterKey.TokensOut, LogFilterOperator.Lte),
            "min_total_tokens" => (LogFilterKey.Tokens, LogFilterOperator.Gte),
            "max_total_tokens" => (LogFilterKey.Tokens, LogFilterOperator.Lte),
            _ => ((LogFilterKey)255, LogFilterOperator.Eq),
        };
        if ((int)key == 255)
        {
            return;
        }

        var kind = LogFilterKeys.KindOf(key);
        if (!RawValue.FromQuery(value).TryCoerce(kind, out var typed) || (typed.IsNull && kind != LogFilterKeyKind.Text))
        {
            errors.Add(new(name, $"'{value}' is not a valid {KindName(kind)} for {name}"));
            return;
        }

        filters.Add(new LogFilter(key, op, typed));
    }

    private static string KindName(LogFilterKeyKind kind) => kind switch
    {
        LogFilterKeyKind.Number => "number",
        LogFilterKeyKind.Boolean => "boolean",
        LogFilterKeyKind.Time => "ISO-8601 time",
        _ => "string",
    };

    [GeneratedRegex(@"^filters\[(\d{1,6})\]\[(key|operator|value)\](?:\[\d*\])?$", RegexOptions.CultureInvariant)]
    private static partial Regex IndexedName();

    private sealed class RawFilter(string path)
    {
        public string Path { get; } = path;

        public string? Key { get; set; }

        public string? Operator { get; set; }

        public List<RawValue> Values { get; } = [];
    }

    /// <summary>A value as it arrived: query text (always a string), or a typed JSON token.</summary>
    private readonly record struct RawValue(JsonValueKind Json, string Text)
    {
        // JsonValueKind.Undefined marks query text.
        public static RawValue FromQuery(string text) => new(JsonValueKind.Undefined, text);

        public static RawValue FromJson(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.String => new(JsonValueKind.String, element.GetString()!),
            JsonValueKind.Null => new(JsonValueKind.Null, "null"),
            _ => new(element.ValueKind, element.GetRawText()),
        };

        public bool TryCoerce(LogFilterKeyKind kind, out LogFilterValue value)
        {
            value = LogFilterValue.Null;
            if (Json == JsonValueKind.Null)
            {
                return true;
            }

            if (Json is JsonValueKind.Object or JsonValueKind.Array)
            {
                return false;
            }

            if (kind == LogFilterKeyKind.Text)
            {
                // Numbers and booleans compare by their text, e.g. metadata values.
                value = LogFilterValue.Of(Text);
                return true;
            }

            // Query text cannot spell null except as empty (qs writes null as "key=") or the word itself.
            if (Json == JsonValueKind.Undefined && (Text.Length == 0 || Text == "null"))
            {
                return true;
            }

            switch (kind)
            {
                case LogFilterKeyKind.Boolean when Json is JsonValueKind.True or JsonValueKind.False or JsonValueKind.String or JsonValueKind.Undefined:
                    if (TryBoolean(Text, out var b)) { value = LogFilterValue.Of(b); return true; }

                    return false;
                case LogFilterKeyKind.Number when Json is JsonValueKind.Number or JsonValueKind.String or JsonValueKind.Undefined:
                    if (TryNumber(Text, out var n)) { value = LogFilterValue.Of(n); return true; }

                    return false;
                case LogFilterKeyKind.Time when Json is JsonValueKind.Number or JsonValueKind.String or JsonValueKind.Undefined:
                    if (TryTime(Text, out var t)) { value = LogFilterValue.Of(t); return true; }

                    return false;
                default:
                    return false;
            }
        }
    }
}
