using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Fast.Logging;
using Gateway.Fast.LogQueries;

namespace Gateway.Fast.Management;

/// <summary>The API's view of a log row (docs/gateway-api.md#log-rows): the SDK's list shape, our extras, and the detail's sizes and body heads.</summary>
internal static class LogsJson
{
    /// <summary>Detail heads are the first 4 KiB of each kept body (docs/gateway-api.md#log-rows).</summary>
    public const int HeadBytes = 4096;

    public static JsonObject ToRow(LogRecord record)
    {
        // Required fields first, in the SDK's order; then the optional ones; then ours (SDKs ignore extras).
        var row = new JsonObject
        {
            ["id"] = record.Id,
            ["cached"] = record.Cached,
            ["created_at"] = FormatTime(record.CreatedAtUnixMs),
            ["duration"] = record.Duration,
            ["model"] = record.Model,
            ["path"] = record.Path,
            ["provider"] = record.Provider,
            ["success"] = record.Success,
            ["tokens_in"] = record.TokensIn,
            ["tokens_out"] = record.TokensOut,
        };

        if (record.Cost is { } cost)
        {
            row["cost"] = cost;
        }

        row["custom_cost"] = record.CustomCost;

        // A JSON-encoded object, as a string: the SDK types it `metadata?: string`.
        if (record.Metadata is not null)
        {
            row["metadata"] = record.Metadata;
        }

        row["model_type"] = record.ModelType;
        if (record.RequestContentType is not null)
        {
            row["request_content_type"] = record.RequestContentType;
        }

        row["request_type"] = record.RequestType;
        if (record.ResponseContentType is not null)
        {
            row["response_content_type"] = record.ResponseContentType;
        }

        row["status_code"] = record.StatusCode;
        row["step"] = record.Step;
        row["event_id"] = record.EventId;
        row["feedback"] = record.Feedback;
        row["score"] = record.Score;
        row["dlp_action"] = record.DlpAction;
        row["authentication"] = record.Authentication;
        row["compatibilityMode"] = record.RequestType == "compat";
        row["user_agent"] = record.UserAgent;
        row["team_id"] = record.TeamId;
        row["team_name"] = record.TeamName;
        row["session_id"] = record.SessionId;
        row["guardrail_flags"] = record.GuardrailFlags;
        row["time_to_first_token_ms"] = record.TimeToFirstTokenMs;
        row["tokens_estimated"] = record.TokensEstimated;
        return row;
    }

    public static JsonObject ToDetail(LogRecord record, ReadOnlyMemory<byte>? request, ReadOnlyMemory<byte>? response,
        ReadOnlyMemory<byte>? responseHeaders = null)
    {
        var row = ToRow(record);
        row["request_size"] = record.RequestSize;
        row["response_size"] = record.ResponseSize;
        AddHead(row, "request", request);
        AddHead(row, "response", response);
        row["response_headers"] = ResponseHeaders(responseHeaders);
        return row;
    }

    /// <summary>The stored response headers as an object (names lower-cased), or null for a row written without them.</summary>
    private static JsonObject? ResponseHeaders(ReadOnlyMemory<byte>? encoded)
    {
        if (encoded is not { IsEmpty: false } bytes || ResponseHeaderCapture.Read(bytes.Span) is not { } headers)
        {
            return null;
        }

        var result = new JsonObject();
        foreach (var (name, value) in headers)
        {
            result[name] = value;
        }

        return result;
    }

    /// <summary><c>min_cost</c> … <c>max_total_tokens</c> for <c>result_info</c> when <c>meta_info</c> was asked for.</summary>
    public static IEnumerable<KeyValuePair<string, double?>> StatsFields(LogStats stats)
    {
        foreach (var (name, range) in stats.Columns())
        {
            yield return new("min_" + name, range.Min);
            yield return new("max_" + name, range.Max);
        }
    }

    public static string FormatTime(long unixMs)
        => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void AddHead(JsonObject row, string name, ReadOnlyMemory<byte>? body)
    {
        if (body is not { } bytes)
        {
            row[name + "_head"] = null;
            row[name + "_head_complete"] = false;
            return;
        }

        var span = bytes.Span;
        var complete = span.Length <= HeadBytes;
        if (!complete)
        {
            // Cut on a UTF-8 boundary: step back over continuation bytes (10xxxxxx) so no character is split.
            var end = HeadBytes;
            while (end > 0 && (span[end] & 0xC0) == 0x80)
            {
                end--;
            }

            span = span[..end];
        }

        row[name + "_head"] = Encoding.UTF8.GetString(span);
        row[name + "_head_complete"] = complete;
    }
}
