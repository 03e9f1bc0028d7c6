using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Fast.Pipeline;

/// <summary>The caller's session id for the log row (docs/gateway-api.md#log-rows): <c>X-SESSION-ID</c>, else the <c>session_id</c> cookie.</summary>
/// <remarks>
/// Tracking is advisory, so nothing here refuses a request: a value that is empty, longer than <see cref="MaxLength"/>
/// or holds a character outside <c>[A-Za-z0-9._:-]</c> is simply not recorded (and the cookie is tried instead of a bad
/// header). Keeping to that alphabet means a session id can carry no markup, separator or secret-looking blob into the
/// log. The cookie header is scanned in place rather than through <see cref="HttpRequest.Cookies"/>, which would build a
/// dictionary of every cookie on every request; the only allocation is the cookie's value, and only when it is kept.
/// </remarks>
internal static class SessionIdHeader
{
    public const string Name = "X-SESSION-ID";
    public const string CookieName = "session_id";
    public const int MaxLength = 128;

    /// <summary>The session id to record, or null when the caller sent no valid one.</summary>
    public static string? Read(IHeaderDictionary headers)
    {
        if (headers[Name] is { Count: 1 } header && IsValid(header[0]))
        {
            return header[0];
        }

        return FromCookies(headers.Cookie);
    }

    /// <summary>The <c>session_id</c> cookie's value when valid; the first such cookie wins.</summary>
    public static string? FromCookies(StringValues cookies)
    {
        foreach (var line in cookies)
        {
            if (line is null)
            {
                continue;
            }

            // cookie-string = cookie-pair *( ";" SP cookie-pair ), cookie-pair = name "=" value (RFC 6265 §4.2.1)
            var rest = line.AsSpan();
            while (!rest.IsEmpty)
            {
                var end = rest.IndexOf(';');
                var pair = (end < 0 ? rest : rest[..end]).Trim(' ');
                rest = end < 0 ? default : rest[(end + 1)..];
                var equals = pair.IndexOf('=');
                if (equals < 0 || !pair[..equals].Trim(' ').SequenceEqual(CookieName))
                {
                    continue;
                }

                var value = pair[(equals + 1)..].Trim(' ');
                if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
                {
                    value = value[1..^1]; // a cookie-value may be quoted
                }

                return IsValid(value) ? value.ToString() : null;
            }
        }

        return null;
    }

    /// <summary>1 to <see cref="MaxLength"/> characters of <c>[A-Za-z0-9._:-]</c>.</summary>
    public static bool IsValid(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or ':' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
