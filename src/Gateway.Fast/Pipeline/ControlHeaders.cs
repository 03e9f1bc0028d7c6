using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Pipeline;

/// <summary>Reads the request's <c>cf-aig-*</c> controls (docs/gateway-api.md#request-headers); invalid values are ignored, as Cloudflare's gateway does.</summary>
internal static class ControlHeaders
{
    public const string RequestTimeout = "cf-aig-request-timeout";
    public const string EventId = "cf-aig-event-id";

    /// <summary>Our choice (docs/gateway-api.md#request-headers): <c>true|1</c> and <c>false|0</c>, any case, once; false (no value) for anything else.</summary>
    public static bool TryGetBoolean(IHeaderDictionary headers, string name, out bool value)
    {
        value = false;
        var values = headers[name];
        if (values.Count != 1 || values[0] is not { } raw)
        {
            return false;
        }

        var text = raw.AsSpan().Trim();
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text is "1")
        {
            value = true;
            return true;
        }

        return text.Equals("false", StringComparison.OrdinalIgnoreCase) || text is "0";
    }
}
