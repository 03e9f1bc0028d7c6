using Gateway.Fast.Logging;

namespace Gateway.Fast.LogQueries;

/// <summary>Tests rows against filters: every filter must hold (AND); a filter holds when any of its values does (OR).</summary>
/// <remarks>
/// Text compares ordinally (<c>contains</c> ignores case) and treats null as empty. Numbers compare as doubles; a null
/// number (no tokens, no cost) equals only a null value and is neither less nor greater than anything. <c>neq</c> is
/// "equals none of the values".
/// </remarks>
public static class LogFilterEvaluator
{
    public static bool Matches(LogRecord record, IReadOnlyList<LogFilter> filters)
    {
        List<KeyValuePair<string, string>>? metadata = null;
        foreach (var filter in filters)
        {
            if (!Matches(record, filter, ref metadata))
            {
                return false;
            }
        }

        return true;
    }

    public static bool Matches(LogRecord record, LogFilter filter)
    {
        List<KeyValuePair<string, string>>? metadata = null;
        return Matches(record, filter, ref metadata);
    }

    private static bool Matches(LogRecord record, LogFilter filter, ref List<KeyValuePair<string, string>>? metadata)
    {
        return filter.Operator == LogFilterOperator.Neq
            ? !AnyValue(record, filter, LogFilterOperator.Eq, ref metadata)
            : AnyValue(record, filter, filter.Operator, ref metadata);
    }

    private static bool AnyValue(LogRecord record, LogFilter filter, LogFilterOperator op, ref List<KeyValuePair<string, string>>? metadata)
    {
        switch (filter.Key)
        {
            case LogFilterKey.MetadataKey:
            case LogFilterKey.MetadataValue:
                metadata ??= LogMetadata.Entries(record.Metadata);
                foreach (var entry in metadata)
                {
                    var text = filter.Key == LogFilterKey.MetadataKey ? entry.Key : entry.Value;
                    if (AnyText(text, filter.Values, op))
                    {
                        return true;
                    }
                }

                return false;
        }

        switch (LogFilterKeys.KindOf(filter.Key))
        {
            case LogFilterKeyKind.Text:
                return AnyText(TextOf(record, filter.Key), filter.Values, op);
            case LogFilterKeyKind.Boolean:
                var flag = BooleanOf(record, filter.Key);
                foreach (var value in filter.Values)
                {
                    if (!value.IsNull && value.Boolean == flag)
                    {
                        return true;
                    }
                }

                return false;
            default:
                return AnyNumber(NumberOf(record, filter.Key), filter.Values, op);
        }
    }

    private static bool AnyText(string? field, IReadOnlyList<LogFilterValue> values, LogFilterOperator op)
    {
        field ??= "";
        foreach (var value in values)
        {
            var text = value.IsNull ? "" : value.ToString();
            var hit = op switch
            {
                LogFilterOperator.Eq => string.Equals(field, text, StringComparison.Ordinal),
                LogFilterOperator.Contains => field.Contains(text, StringComparison.OrdinalIgnoreCase),

                // Only metadata.value takes lt/gt among text keys, and only numbers compare ("bob" is not > 2).
                _ => LogQueryParser.TryNumber(field, out var a) && LogQueryParser.TryNumber(text, out var b) && Compare(a, b, op),
            };
            if (hit)
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyNumber(double? field, IReadOnlyList<LogFilterValue> values, LogFilterOperator op)
    {
        foreach (var value in values)
        {
            if (value.IsNull)
            {
                if (op == LogFilterOperator.Eq && field is null)
                {
                    return true;
                }

                continue;
            }

            if (field is { } f && Compare(f, value.Number, op))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Compare(double field, double value, LogFilterOperator op) => op switch
    {
        LogFilterOperator.Eq => field == value,
        LogFilterOperator.Lt => field < value,
        LogFilterOperator.Gt => field > value,
        LogFilterOperator.Lte => field <= value,
        LogFilterOperator.Gte => field >= value,
        _ => false,
    };

    internal static string? TextOf(LogRecord record, LogFilterKey key) => key switch
    {
        LogFilterKey.Id => record.Id,
        LogFilterKey.RequestContentType => record.RequestContentType,
        LogFilterKey.ResponseContentType => record.ResponseContentType,
        LogFilterKey.RequestType => record.RequestType,
        LogFilterKey.Provider => record.Provider,
        LogFilterKey.Model => record.Model,
        LogFilterKey.ModelType => record.ModelType,
        LogFilterKey.EventId => record.EventId,
        LogFilterKey.DlpAction => record.DlpAction,
        LogFilterKey.UserAgent => record.UserAgent,
        LogFilterKey.TeamId => record.TeamId,
        LogFilterKey.TeamName => record.TeamName,
        LogFilterKey.SessionId => record.SessionId,
        LogFilterKey.GuardrailFlags => record.GuardrailFlags,
        _ => null,
    };

    internal static bool BooleanOf(LogRecord record, LogFilterKey key) => key switch
    {
        LogFilterKey.Success => record.Success,
        LogFilterKey.Cached => record.Cached,
        LogFilterKey.Authentication => record.Authentication,
        LogFilterKey.CompatibilityMode => record.RequestType == "compat",
        _ => false,
    };

    internal static double? NumberOf(LogRecord record, LogFilterKey key) => key switch
    {
        LogFilterKey.CreatedAt => record.CreatedAtUnixMs,
        LogFilterKey.Cost => record.Cost,
        LogFilterKey.Tokens => TotalTokens(record),
        LogFilterKey.TokensIn => record.TokensIn,
        LogFilterKey.TokensOut => record.TokensOut,
        LogFilterKey.Duration => record.Duration,
        LogFilterKey.Feedback => record.Feedback,
        _ => null,
    };

    /// <summary>tokens_in + tokens_out; null only when both are unknown.</summary>
    public static int? TotalTokens(LogRecord record)
        => record.TokensIn is null && record.TokensOut is null ? null : (record.TokensIn ?? 0) + (record.TokensOut ?? 0);
}
