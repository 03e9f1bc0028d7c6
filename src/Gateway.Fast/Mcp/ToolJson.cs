using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace Gateway.Fast.Mcp;

/// <summary>
/// Tool results as Cloudflare's AI Gateway MCP server writes them: one text block holding compact JSON,
/// <c>{"result": …}</c> for single objects and <c>{"result": […], "result_info": {…}}</c> for lists.
/// </summary>
internal static class ToolJson
{
    public static string Result(JsonNode? result, JsonObject? resultInfo = null)
    {
        var root = new JsonObject { ["result"] = result };
        if (resultInfo is not null)
        {
            root["result_info"] = resultInfo;
        }

        return root.ToJsonString();
    }

    public static JsonObject PageInfo(ToolPaging paging, int count, int totalCount) => new()
    {
        ["page"] = paging.Page,
        ["per_page"] = paging.PerPage,
        ["count"] = count,
        ["total_count"] = totalCount,
    };

    /// <summary>
    /// A kept body as the model should read it: parsed JSON when it is JSON (as Cloudflare's SDK hands back a JSON body),
    /// text when it is UTF-8 (event streams, plain text), else <c>{"content_type","base64"}</c> (audio, images).
    /// </summary>
    public static JsonNode Body(ReadOnlyMemory<byte> body, string? contentType)
    {
        var span = body.Span;
        if (LooksLikeJson(span))
        {
            try
            {
                var node = JsonNode.Parse(span);
                if (node is not null)
                {
                    return node;
                }
            }
            catch (JsonException)
            {
                // Not JSON after all (a truncated or event-stream body): fall through to text.
            }
        }

        if (Utf8.IsValid(span))
        {
            return JsonValue.Create(Encoding.UTF8.GetString(span));
        }

        return new JsonObject { ["content_type"] = contentType, ["base64"] = Convert.ToBase64String(span) };
    }

    private static bool LooksLikeJson(ReadOnlySpan<byte> span)
    {
        span = span.TrimStart(" \t\r\n"u8);
        return !span.IsEmpty && (span[0] == (byte)'{' || span[0] == (byte)'[');
    }
}
