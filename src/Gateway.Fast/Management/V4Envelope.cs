using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Management;

/// <summary>Every management response: Cloudflare's v4 envelope <c>{success, errors, messages, result[, result_info]}</c> (docs/gateway-api.md#envelope-and-authentication).</summary>
/// <remarks>Codes: 10000 bad token, 7003 no route, otherwise (our choice) the HTTP status.</remarks>
public sealed class V4Envelope : IResult
{
    /// <summary>401, code 10000: the management token is missing or wrong.</summary>
    public static readonly V4Envelope Unauthorized = new(StatusCodes.Status401Unauthorized, null, null, [new(10000, "Authentication error")]);

    /// <summary>404, code 7003: a path under a management prefix that no route matches.</summary>
    public static readonly V4Envelope NoRoute = new(StatusCodes.Status404NotFound, null, null, [new(7003, "No route for the URI")]);

    private readonly JsonNode? _result;
    private readonly V4ResultInfo? _resultInfo;
    private readonly V4Error[] _errors;
    private readonly V4Error[] _messages;

    private V4Envelope(int statusCode, JsonNode? result, V4ResultInfo? resultInfo, V4Error[] errors, V4Error[]? messages = null)
    {
        StatusCode = statusCode;
        _result = result;
        _resultInfo = resultInfo;
        _errors = errors;
        _messages = messages ?? [];
    }

    /// <summary>The HTTP status this envelope is sent with.</summary>
    public int StatusCode { get; }

    /// <summary>A 200 carrying <paramref name="result"/>, with <c>result_info</c> for lists.</summary>
    public static V4Envelope Ok(JsonNode? result, V4ResultInfo? resultInfo = null)
        => new(StatusCodes.Status200OK, result, resultInfo, []);

    /// <summary>A failure whose one error's code is the status (our choice: Cloudflare documents no other codes).</summary>
    public static V4Envelope Fail(int statusCode, string message, string? path = null)
        => new(statusCode, null, null, [new(statusCode, message, path)]);

    /// <summary>A failure listing several errors, e.g. one per invalid field.</summary>
    public static V4Envelope Fail(int statusCode, IEnumerable<V4Error> errors)
        => new(statusCode, null, null, errors.ToArray());

    /// <summary>The same envelope with notes in <c>messages</c> (Cloudflare's place for remarks that are not errors).</summary>
    public V4Envelope WithMessages(IEnumerable<V4Error> messages)
        => new(StatusCode, _result, _resultInfo, _errors, [.. _messages, .. messages]);

    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        if (StatusCode == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = "Bearer";
        }

        using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            Write(writer);
        }

        return response.BodyWriter.FlushAsync(httpContext.RequestAborted).AsTask();
    }

    private void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("success"u8, _errors.Length == 0);

        writer.WriteStartArray("errors"u8);
        WriteAll(writer, _errors);
        writer.WriteEndArray();
        writer.WriteStartArray("messages"u8);
        WriteAll(writer, _messages);
        writer.WriteEndArray();

        writer.WritePropertyName("result"u8);
        if (_result is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            _result.WriteTo(writer);
        }

        if (_resultInfo is { } info)
        {
            writer.WriteStartObject("result_info"u8);
            writer.WriteNumber("page"u8, info.Page);
            writer.WriteNumber("per_page"u8, info.PerPage);
            writer.WriteNumber("count"u8, info.Count);
            writer.WriteNumber("total_count"u8, info.TotalCount);
            if (info.Extra is { } extra)
            {
                foreach (var (name, value) in extra)
                {
                    if (value is double number)
                    {
                        writer.WriteNumber(name, number);
                    }
                    else
                    {
                        writer.WriteNull(name);
                    }
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteAll(Utf8JsonWriter writer, V4Error[] errors)
    {
        foreach (var error in errors)
        {
            writer.WriteStartObject();
            writer.WriteNumber("code"u8, error.Code);
            writer.WriteString("message"u8, error.Message);
            if (!string.IsNullOrEmpty(error.Path))
            {
                writer.WriteStartArray("path"u8);
                writer.WriteStringValue(error.Path);
                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }
    }
}
