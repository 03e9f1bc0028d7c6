namespace Gateway.Fast.LogQueries;

/// <summary>A dimension analytics can group by.</summary>
public enum LogGroupKey : byte
{
    Provider,
    Model,
    ModelType,
    RequestType,
    StatusCode,
    Success,
    Cached,

    /// <summary>The row's team id; rows of no team group together. The group also reports the team's name.</summary>
    Team,

    /// <summary>The row's gateway id (for analytics over every gateway).</summary>
    Gateway,

    /// <summary>The value of one metadata key (<see cref="LogAnalyticsQuery.MetadataKey"/>); rows without it group together.</summary>
    Metadata,
}

/// <summary>The width of analytics time buckets; <see cref="None"/> sums the whole range into one bucket.</summary>
public enum LogBucket : byte
{
    None,
    Minute,
    Hour,
    Day,
}

/// <summary>An analytics request (docs/gateway-api.md#analytics): rows with <c>start ≤ created_at &lt; end</c>, grouped by keys and time buckets.</summary>
public sealed record LogAnalyticsQuery
{
    public long? StartUnixMs { get; init; }

    public long? EndUnixMs { get; init; }

    public IReadOnlyList<LogGroupKey> GroupBy { get; init; } = [];

    public LogBucket Bucket { get; init; }

    /// <summary>The metadata key that <c>group_by=metadata.{key}</c> named; null when the query does not group by metadata.</summary>
    public string? MetadataKey { get; init; }

    /// <summary>Reads <c>start</c>, <c>end</c> (ISO-8601 or unix ms), <c>group_by</c> (comma-separated, repeatable; one
    /// <c>metadata.{key}</c> at most) and <c>bucket</c>.</summary>
    public static bool TryParse(IReadOnlyList<KeyValuePair<string, string>> pairs, out LogAnalyticsQuery query, out IReadOnlyList<LogQueryError> errors)
    {
        var errorList = new List<LogQueryError>();
        var result = new LogAnalyticsQuery();
        var groupBy = new List<LogGroupKey>();
        foreach (var (name, value) in pairs)
        {
            switch (name)
            {
                case "start" or "end":
                    if (value.Length == 0)
                    {
                        break;
                    }

                    if (!LogQueryParser.TryTime(value, out var ms))
                    {
                        errorList.Add(new(name, $"{name} must be an ISO-8601 time or unix milliseconds"));
                    }
                    else
                    {
                        result = name == "start" ? result with { StartUnixMs = (long)ms } : result with { EndUnixMs = (long)ms };
                    }

                    break;
                case "group_by":
                    foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (part.StartsWith(MetadataPrefix, StringComparison.Ordinal))
                        {
                            string metadataKey = part[MetadataPrefix.Length..];
                            if (metadataKey.Length == 0 || (result.MetadataKey is { } named && named != metadataKey))
                            {
                                errorList.Add(new(name, "group_by takes one metadata.{key}, with a key"));
                            }
                            else if (!groupBy.Contains(LogGroupKey.Metadata))
                            {
                                groupBy.Add(LogGroupKey.Metadata);
                                result = result with { MetadataKey = metadataKey };
                            }
                        }
                        else if (TryGroupKey(part, out var key))
                        {
                            if (!groupBy.Contains(key))
                            {
                                groupBy.Add(key);
                            }
                        }
                        else
                        {
                            errorList.Add(new(name, $"group_by '{part}' is not one of provider, model, model_type, request_type, status_code, success, cached, team, gateway, metadata.{key}"));
                        }
                    }

                    break;
                case "bucket":
                    LogBucket? bucket = value switch
                    {
                        "" or "none" => LogBucket.None,
                        "minute" => LogBucket.Minute,
                        "hour" => LogBucket.Hour,
                        "day" => LogBucket.Day,
                        _ => null,
                    };
                    if (bucket is { } b)
                    {
                        result = result with { Bucket = b };
                    }
                    else
                    {
                        errorList.Add(new(name, "bucket must be minute, hour or day"));
                    }

                    break;
            }
        }

        if (result.StartUnixMs is { } start && result.EndUnixMs is { } end && end < start)
        {
            errorList.Add(new("end", "end must not be before start"));
        }

        query = result with { GroupBy = groupBy };
        errors = errorList;
        return errorList.Count == 0;
    }

    public static string WireName(LogGroupKey key) => key switch
    {
        LogGroupKey.Provider => "provider",
        LogGroupKey.Model => "model",
        LogGroupKey.ModelType => "model_type",
        LogGroupKey.RequestType => "request_type",
        LogGroupKey.StatusCode => "status_code",
        LogGroupKey.Success => "success",
        LogGroupKey.Team => "team",
        LogGroupKey.Gateway => "gateway",
        LogGroupKey.Metadata => "metadata",
        _ => "cached",
    };

    private const string MetadataPrefix = "metadata.";

    private static bool TryGroupKey(string name, out LogGroupKey key)
    {
        foreach (var candidate in Enum.GetValues<LogGroupKey>())
        {
            if (candidate != LogGroupKey.Metadata && WireName(candidate) == name)
            {
                key = candidate;
                return true;
            }
        }

        key = default;
        return false;
    }
}
