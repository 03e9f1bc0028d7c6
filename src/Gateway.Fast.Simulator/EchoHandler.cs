using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Fast.Simulator;

/// <summary><c>ANY /echo/{**path}</c>: describes the request it received, for the gateway's passthrough tests.</summary>
/// <remarks>
/// Body: <c>{"method","path","raw_target","query","headers":{lower-case name:[values]},"body_length","body_sha256"}</c>.
/// <c>path</c> is the decoded request path (<c>/echo/…</c>), <c>raw_target</c> the request target as sent (percent-encoding kept),
/// <c>query</c> the raw query string with its <c>?</c> (empty when none). Request headers
/// <c>x-sim-echo-response-header-{name}: v</c> come back as response headers <c>{name}: v</c>.
/// <c>x-sim-status</c> sets the status of this same body; <c>x-sim-delay-ms</c> applies.
/// </remarks>
internal static class EchoHandler
{
    private const string ReflectPrefix = "x-sim-echo-response-header-";

    public static async Task HandleAsync(HttpContext context, SimulatorControls controls)
    {
        CancellationToken aborted = context.RequestAborted;
        HttpRequest request = context.Request;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length = 0;
        while (true)
        {
            ReadResult read = await request.BodyReader.ReadAsync(aborted);
            foreach (ReadOnlyMemory<byte> segment in read.Buffer)
            {
                sha.AppendData(segment.Span);
                length += segment.Length;
            }

            request.BodyReader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                break;
            }
        }

        var body = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(body))
        {
            w.WriteStartObject();
            w.WriteString("method"u8, request.Method);
            w.WriteString("path"u8, request.PathBase + request.Path);
            w.WriteString("raw_target"u8, context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "");
            w.WriteString("query"u8, request.QueryString.Value ?? "");
            w.WriteStartObject("headers"u8);
            foreach (var header in request.Headers)
            {
                w.WriteStartArray(header.Key.ToLowerInvariant());
                foreach (string? value in header.Value)
                {
                    w.WriteStringValue(value);
                }

                w.WriteEndArray();
                if (header.Key.StartsWith(ReflectPrefix, StringComparison.OrdinalIgnoreCase) && header.Key.Length > ReflectPrefix.Length)
                {
                    context.Response.Headers[header.Key[ReflectPrefix.Length..]] = header.Value;
                }
            }

            w.WriteEndObject();
            w.WriteNumber("body_length"u8, length);
            w.WriteString("body_sha256"u8, Convert.ToHexStringLower(sha.GetHashAndReset()));
            w.WriteEndObject();
        }

        if (controls.DelayMs > 0)
        {
            await Task.Delay(controls.DelayMs, aborted);
        }

        HttpResponse response = context.Response;
        response.StatusCode = controls.Status is >= 200 and <= 599 ? controls.Status : StatusCodes.Status200OK;
        response.ContentType = ContentTypes.Json;
        response.ContentLength = body.WrittenCount;
        await response.BodyWriter.WriteAsync(body.WrittenMemory, aborted);
    }
}
