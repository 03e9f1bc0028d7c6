using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Fast.Caching;

/// <summary>The cache controls of one request, merged with the gateway's <c>cache_ttl</c> (docs/gateway-api.md#caching).</summary>
/// <remarks>
/// <code>
/// cf-aig-skip-cache | cf-skip-cache = true|1 (any case)  → Bypass (no read, no store)
/// cf-aig-cache-ttl  | cf-cache-ttl  = n                  → n = 0: Off; n &gt; 0: clamped to 60–2,592,000; else ignored
/// TTL = header, else gateway cache_ttl (&gt; 0), else 300 s when cf-aig-cache-key is present, else Off
/// a streaming request is cached only when the TTL or key header is explicit (our choice)
/// </code>
/// <see cref="StreamsAllowed"/> says whether that header was explicit; check it again when the response turns out to be
/// an event stream, since a stream can be chosen by URL (Gemini <c>:streamGenerateContent</c>), not by the body.
/// </remarks>
public readonly record struct CacheControls(CacheMode Mode, int TtlSeconds, string? CustomKey, bool StreamsAllowed = false)
{
    public const int MinTtlSeconds = 60;
    public const int MaxTtlSeconds = 2_592_000;
    public const int CustomKeyDefaultTtlSeconds = 300;

    /// <summary>Caching off, status MISS.</summary>
    public static CacheControls Off => new(CacheMode.Off, 0, null);

    /// <summary>True when the key comes from <c>cf-aig-cache-key</c> (<see cref="CacheKey.ForCustomKey"/>).</summary>
    public bool HasCustomKey => CustomKey is not null;

    /// <summary>Reads the controls from the request headers.</summary>
    /// <param name="headers">The caller's request headers.</param>
    /// <param name="gatewayTtlSeconds">The gateway's <c>cache_ttl</c>; 0 or null is off.</param>
    /// <param name="isStreamRequest">True when the body asked for a stream (<c>"stream": true</c>).</param>
    public static CacheControls Parse(IHeaderDictionary headers, int? gatewayTtlSeconds, bool isStreamRequest)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (IsTrue(headers, CacheHeaders.SkipCache) || IsTrue(headers, CacheHeaders.LegacySkipCache))
        {
            return new(CacheMode.Bypass, 0, null);
        }

        string? customKey = headers[CacheHeaders.Key] is { Count: 1 } k && !string.IsNullOrEmpty(k[0]) ? k[0] : null;
        bool explicitTtl = TryGetTtl(headers, CacheHeaders.Ttl, out int ttl) || TryGetTtl(headers, CacheHeaders.LegacyTtl, out ttl);
        if (explicitTtl && ttl == 0)
        {
            return Off;
        }

        if (!explicitTtl)
        {
            ttl = gatewayTtlSeconds is > 0 and int g ? g : customKey is not null ? CustomKeyDefaultTtlSeconds : 0;
        }

        if (ttl <= 0 || (isStreamRequest && !explicitTtl && customKey is null))
        {
            return Off;
        }

        return new(CacheMode.On, ttl, customKey, explicitTtl || customKey is not null);
    }

    private static bool IsTrue(IHeaderDictionary headers, string name)
        => Pipeline.ControlHeaders.TryGetBoolean(headers, name, out bool value) && value;

    /// <summary>A valid TTL header: 0 (off) or a positive number clamped into range; false when absent or not a non-negative integer.</summary>
    private static bool TryGetTtl(IHeaderDictionary headers, string name, out int ttl)
    {
        ttl = 0;
        StringValues values = headers[name];
        if (values.Count != 1 || values[0] is not { } v
            || !long.TryParse(v.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long seconds))
        {
            return false;
        }

        ttl = seconds == 0 ? 0 : (int)Math.Clamp(seconds, MinTtlSeconds, MaxTtlSeconds);
        return true;
    }
}
