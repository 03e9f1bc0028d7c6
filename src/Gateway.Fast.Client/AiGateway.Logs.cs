using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gateway.Fast.Client.Analytics;
using Gateway.Fast.Client.Logs;

namespace Gateway.Fast.Client;

/// <summary>The gateway's logs API and analytics, on Cloudflare's v4 paths, with the client's token.</summary>
public sealed partial class AiGateway
{
    /// <summary>One row in detail. Throws <see cref="AiGatewayLogNotFoundException"/> when the gateway holds no such row.</summary>
    public async Task<GatewayLog> GetLogAsync(string logId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(logId);
        using var request = _connection.ManagementRequest(HttpMethod.Get, LogUrl(logId));
        var envelope = await SendAsync(request, ClientJson.Default.V4EnvelopeGatewayLog, cancellationToken).ConfigureAwait(false);
        return envelope.Result ?? throw new AiGatewayInternalException("The logs API answered without a row", HttpStatusCode.OK);
    }

    /// <summary>Sets a row's feedback, score and metadata (only the fields the patch sets); returns the updated row.</summary>
    public async Task<GatewayLog> PatchLogAsync(string logId, LogPatch patch, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(logId);
        ArgumentNullException.ThrowIfNull(patch);
        using var request = _connection.ManagementRequest(HttpMethod.Patch, LogUrl(logId));
        request.Content = new StringContent(PatchJson(patch), Encoding.UTF8, "application/json");
        var envelope = await SendAsync(request, ClientJson.Default.V4EnvelopeGatewayLog, cancellationToken).ConfigureAwait(false);
        return envelope.Result ?? throw new AiGatewayInternalException("The logs API answered without a row", HttpStatusCode.OK);
    }

    /// <summary>A page of rows, newest first unless the query orders otherwise.</summary>
    public async Task<LogPage> ListLogsAsync(LogQuery? query = null, CancellationToken cancellationToken = default)
    {
        using var request = _connection.ManagementRequest(HttpMethod.Get, _connection.ManagementUrl(Id, "logs" + LogQueryString.For(query ?? new LogQuery())));
        var envelope = await SendAsync(request, ClientJson.Default.V4EnvelopeListGatewayLog, cancellationToken).ConfigureAwait(false);
        var rows = envelope.Result ?? [];
        var info = envelope.ResultInfo;
        return new LogPage(rows, info?.Page ?? 1, info?.PerPage ?? rows.Count, info?.TotalCount ?? rows.Count);
    }

    /// <summary>Totals per group and time bucket over the gateway's rows (requests, errors, cache hits, tokens, cost, latency).</summary>
    public async Task<IReadOnlyList<AnalyticsGroup>> GetAnalyticsAsync(AnalyticsQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new AnalyticsQuery();
        var parameters = new List<KeyValuePair<string, string>>();
        if (query.Start is { } start)
        {
            parameters.Add(new("start", LogQueryString.Time(start)));
        }

        if (query.End is { } end)
        {
            parameters.Add(new("end", LogQueryString.Time(end)));
        }

        if (query.GroupBy.Count > 0)
        {
            parameters.Add(new("group_by", string.Join(',', query.GroupBy)));
        }

        if (query.Bucket is { } bucket)
        {
            parameters.Add(new("bucket", bucket));
        }

        using var request = _connection.ManagementRequest(HttpMethod.Get, _connection.ManagementUrl(Id, "analytics" + LogQueryString.Encode(parameters)));
        var envelope = await SendAsync(request, ClientJson.Default.V4EnvelopeListAnalyticsGroup, cancellationToken).ConfigureAwait(false);
        return envelope.Result ?? [];
    }

    private string LogUrl(string logId) => _connection.ManagementUrl(Id, "logs/" + Uri.EscapeDataString(logId));

    private async Task<T> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await _connection.Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var (message, code) = await ErrorBody.ReadAsync(response, cancellationToken).ConfigureAwait(false);
            throw response.StatusCode == HttpStatusCode.NotFound
                ? new AiGatewayLogNotFoundException(message, code)
                : new AiGatewayInternalException(message, response.StatusCode, code);
        }

        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync(body, type, cancellationToken).ConfigureAwait(false)
            ?? throw new AiGatewayInternalException("The management API answered an empty body", response.StatusCode);
    }

    private static string PatchJson(LogPatch patch)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (patch.SetFeedback)
            {
                if (patch.Feedback is { } feedback)
                {
                    writer.WriteNumber("feedback", feedback);
                }
                else
                {
                    writer.WriteNull("feedback");
                }
            }

            if (patch.SetScore)
            {
                if (patch.Score is { } score)
                {
                    writer.WriteNumber("score", score);
                }
                else
                {
                    writer.WriteNull("score");
                }
            }

            if (patch.SetMetadata)
            {
                writer.WritePropertyName("metadata");
                if (patch.Metadata is { } metadata)
                {
                    writer.WriteRawValue(GatewayHeaders.MetadataJson(metadata));
                }
                else
                {
                    writer.WriteNullValue();
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
