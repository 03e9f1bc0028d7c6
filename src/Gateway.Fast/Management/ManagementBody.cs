using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Fast.Management;

/// <summary>Reads a small JSON request body for the access resources (tokens, team keys, provider configs).</summary>
internal readonly record struct ManagementBody(JsonDocument? Document, IResult? Failure) : IDisposable
{
    // The largest body here is a provider config with an AWS key set and a default_config: 64 KiB is generous.
    private const long MaxBodyBytes = 64 << 10;

    /// <summary>The root object; <c>default</c> (kind Undefined) when the request had no body.</summary>
    public JsonElement Root => Document?.RootElement ?? default;

    /// <summary>Parses the body; an absent body gives no document and no failure, a body that is not a JSON object a 400.</summary>
    public static async Task<ManagementBody> ReadAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        if (context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            return new(null, null);
        }

        JsonDocument? document = null;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                return new(null, V4Envelope.Fail(StatusCodes.Status400BadRequest, "The request body must be a JSON object"));
            }

            return new(document, null);
        }
        catch (JsonException)
        {
            // The parser's message could quote the body, and the body may hold a secret: a fixed text only.
            document?.Dispose();
            return new(null, V4Envelope.Fail(StatusCodes.Status400BadRequest, "The request body is not valid JSON"));
        }
        catch (BadHttpRequestException e)
        {
            document?.Dispose();
            return new(null, V4Envelope.Fail(e.StatusCode, "The request body could not be read"));
        }
    }

    /// <summary>A string property; false (with a message) when present and not a string.</summary>
    public static bool TryGetString(JsonElement root, string name, out string? value, out string? error)
    {
        value = null;
        error = null;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            error = $"{name} must be a string";
            return false;
        }

        value = element.GetString();
        return true;
    }

    public void Dispose() => Document?.Dispose();
}
