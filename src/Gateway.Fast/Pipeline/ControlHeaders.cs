using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Pipeline;

/// <summary>Reads the request's <c>cf-aig-*</c> controls (gateway-spec §2); invalid values are ignored, as the spec says.</summary>
internal static class ControlHeaders
{
    public const string RequestTimeout = "cf-aig-request-timeout";
    public const string EventId = "cf-aig-event-id";

    /// <summary>A positive integer header value; false when absent or not a positive integer.</summary>
    public static bool TryGetPositiveInt(IHeaderDictionary headers, string name, out int value)
    {
        value = 0;
        var raw = headers[name];
        return raw.Count == 1 && int.TryParse(raw[0], System.Globalization.NumberStyles.None, null, out value) && value > 0;
    }
}
