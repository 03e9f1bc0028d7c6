using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Gateway.Fast.Fleet;

/// <summary>A parsed <c>REDIS_URL</c>: <c>redis://</c> or <c>rediss://</c> (TLS), optional <c>user:password@</c>, host, port and database.</summary>
/// <param name="Host">Host name or address (IPv6 without brackets).</param>
/// <param name="Port">6379 when the URL names none.</param>
/// <param name="Tls">True for <c>rediss://</c>.</param>
/// <param name="User">The ACL user, or null (Redis's <c>default</c> user).</param>
/// <param name="Password">The password, or null.</param>
/// <param name="Database">The path's database index, 0 when absent.</param>
public sealed record RedisUrl(string Host, int Port, bool Tls, string? User, string? Password, int Database)
{
    public const int DefaultPort = 6379;

    /// <summary>The URL without its credentials, safe for logs and <c>/health</c>.</summary>
    public string Display => $"{(Tls ? "rediss" : "redis")}://{(Host.Contains(':') ? $"[{Host}]" : Host)}:{Port}/{Database}";

    /// <summary>The same as <see cref="Display"/>: a record's generated text would print the password.</summary>
    public override string ToString() => Display;

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong without repeating the URL
    /// (it may hold a password).</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out RedisUrl? url, [NotNullWhen(false)] out string? error)
    {
        url = null;
        text = text.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            // "host:6379" is what many compose files hold: read it as redis://host:6379.
            text = "redis://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            error = "REDIS_URL is not a URL: expected redis://[user:password@]host[:port][/database].";
            return false;
        }

        bool tls;
        if (uri.Scheme == "redis")
        {
            tls = false;
        }
        else if (uri.Scheme == "rediss")
        {
            tls = true;
        }
        else
        {
            error = $"REDIS_URL's scheme must be redis or rediss, not '{uri.Scheme}'.";
            return false;
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            error = "REDIS_URL names no host.";
            return false;
        }

        int database = 0;
        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0 && (!int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out database) || database > 15_999))
        {
            error = "REDIS_URL's path must be a database index (a number), e.g. redis://host:6379/2.";
            return false;
        }

        var (user, password) = Credentials(uri.UserInfo);
        url = new RedisUrl(uri.IdnHost.Trim('[', ']'), uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port, tls, user, password, database);
        error = null;
        return true;
    }

    /// <summary><c>user:password</c>, <c>:password</c> or a lone <c>password</c> (the redis-cli convention), percent-decoded.</summary>
    private static (string? User, string? Password) Credentials(string userInfo)
    {
        if (userInfo.Length == 0)
        {
            return (null, null);
        }

        int colon = userInfo.IndexOf(':');
        if (colon < 0)
        {
            return (null, Uri.UnescapeDataString(userInfo));
        }

        var user = Uri.UnescapeDataString(userInfo[..colon]);
        var password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        return (user.Length == 0 ? null : user, password.Length == 0 ? null : password);
    }
}
