using System.Buffers;
using Gateway.Fast.Errors;
using Gateway.Fast.Utilities;

namespace Gateway.Fast.Providers;

/// <summary>Turns a provider route into the upstream URL by the provider's <see cref="PathRule"/>.</summary>
/// <remarks>
/// The host only ever comes from the catalog or configuration. Path segments that fill a host template
/// (<c>{resource}</c>, <c>{region}</c>, <c>{model}</c>, <c>{account}</c>) are limited to <c>[A-Za-z0-9._-]</c>,
/// so a caller cannot steer the request to another host.
/// </remarks>
public static class UpstreamUrl
{
    private static readonly SearchValues<char> TemplateValueChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    public static GatewayError TryBuild(ResolvedProvider provider, ReadOnlySpan<char> rest, ReadOnlySpan<char> account,
        ReadOnlySpan<char> query, out string url)
    {
        url = string.Empty;
        if (HasDotSegment(rest))
        {
            return GatewayError.MalformedPath;
        }

        var w = new UrlWriter(provider.BaseUrl.Length + rest.Length + query.Length + 16);
        try
        {
            GatewayError error = provider.Descriptor.PathRule switch
            {
                PathRule.Append => AppendRest(ref w, provider.BaseUrl, rest),
                PathRule.PrependV1 => AppendPrefixed(ref w, provider.BaseUrl, rest, allowV2: false),
                PathRule.PrependV1UnlessV2 => AppendPrefixed(ref w, provider.BaseUrl, rest, allowV2: true),
                PathRule.WorkersAi => WorkersAi(ref w, provider, rest, account),
                PathRule.AzureOpenAi => Azure(ref w, provider, rest),
                PathRule.AwsBedrock => Bedrock(ref w, provider, rest),
                PathRule.GoogleVertex => Vertex(ref w, provider, rest),
                PathRule.Baseten => Baseten(ref w, provider, rest),
                _ => GatewayError.MalformedPath,
            };
            if (error != GatewayError.None)
            {
                return error;
            }

            w.Append(query);
            url = w.ToStringAndDispose();
            return GatewayError.None;
        }
        finally
        {
            w.Dispose();
        }
    }

    private static GatewayError AppendRest(ref UrlWriter w, ReadOnlySpan<char> baseUrl, ReadOnlySpan<char> rest)
    {
        w.Append(baseUrl);
        if (!rest.IsEmpty)
        {
            w.Append('/');
            w.AppendPath(rest);
        }

        return GatewayError.None;
    }

    private static GatewayError AppendPrefixed(ref UrlWriter w, string baseUrl, ReadOnlySpan<char> rest, bool allowV2)
    {
        bool versioned = HasSegmentPrefix(rest, "v1") || (allowV2 && HasSegmentPrefix(rest, "v2"));
        w.Append(baseUrl);
        w.Append(versioned ? "/" : "/v1/");
        w.AppendPath(rest);
        return GatewayError.None;
    }

    private static GatewayError WorkersAi(ref UrlWriter w, ResolvedProvider p, ReadOnlySpan<char> rest, ReadOnlySpan<char> account)
    {
        if (!FillTemplate(ref w, p.BaseUrl, account, default))
        {
            return GatewayError.MalformedPath;
        }

        if (rest.StartsWith("@cf/", StringComparison.Ordinal) || rest.StartsWith("@hf/", StringComparison.Ordinal))
        {
            w.Append("/run/");
            w.AppendPath(rest);
            return GatewayError.None;
        }

        return AppendRest(ref w, default, rest);
    }

    private static GatewayError Azure(ref UrlWriter w, ResolvedProvider p, ReadOnlySpan<char> rest)
    {
        // {resource}/{deployment}/{path}
        if (!TrySplit(rest, out var resource, out var afterResource) || !TrySplit(afterResource, out var deployment, out var tail)
            || !FillTemplate(ref w, p.BaseUrl, resource, deployment))
        {
            return GatewayError.MalformedPath;
        }

        return AppendRest(ref w, default, tail);
    }

    private static GatewayError Bedrock(ref UrlWriter w, ResolvedProvider p, ReadOnlySpan<char> rest)
    {
        // bedrock-runtime/{region}/{path} | bedrock-mantle/{region}/{path}
        if (!TrySplit(rest, out var service, out var afterService) || !TrySplit(afterService, out var region, out var tail))
        {
            return GatewayError.MalformedPath;
        }

        string? template = service switch
        {
            "bedrock-runtime" => p.BaseUrl,
            "bedrock-mantle" => p.SecondaryBaseUrl,
            _ => null,
        };
        if (template is null || !FillTemplate(ref w, template, region, default))
        {
            return GatewayError.MalformedPath;
        }

        return AppendRest(ref w, default, tail);
    }

    private static GatewayError Vertex(ref UrlWriter w, ResolvedProvider p, ReadOnlySpan<char> rest)
    {
        // v1/projects/{p}/locations/{region}/publishers/google/models/{m}:{verb}
        ReadOnlySpan<char> region = default;
        int at = rest.IndexOf("/locations/", StringComparison.Ordinal);
        if (at >= 0)
        {
            var after = rest[(at + "/locations/".Length)..];
            int end = after.IndexOf('/');
            region = end < 0 ? after : after[..end];
        }

        bool global = region is "global" && !p.Overridden;
        if (global)
        {
            w.Append("https://aiplatform.googleapis.com");
        }
        else if (!FillTemplate(ref w, p.BaseUrl, region, default))
        {
            return GatewayError.MalformedPath;
        }

        return AppendRest(ref w, default, rest);
    }

    private static GatewayError Baseten(ref UrlWriter w, ResolvedProvider p, ReadOnlySpan<char> rest)
    {
        if (HasSegmentPrefix(rest, "model") && p.SecondaryBaseUrl is not null)
        {
            // "model" alone names no model (and slicing past "model/" would throw): found by the seeded fuzz test.
            if (rest.Length <= "model/".Length || !TrySplit(rest["model/".Length..], out var model, out var tail) || !FillTemplate(ref w, p.SecondaryBaseUrl, model, default))
            {
                return GatewayError.MalformedPath;
            }

            return tail.IsEmpty ? GatewayError.None : AppendRest(ref w, default, tail);
        }

        return AppendRest(ref w, p.BaseUrl, rest);
    }

    /// <summary>Copies a template, filling the first placeholder with <paramref name="first"/> and the second with <paramref name="second"/>.</summary>
    private static bool FillTemplate(ref UrlWriter w, ReadOnlySpan<char> template, ReadOnlySpan<char> first, ReadOnlySpan<char> second)
    {
        int filled = 0;
        while (true)
        {
            int open = template.IndexOf('{');
            if (open < 0)
            {
                w.Append(template);
                return true;
            }

            int close = template[open..].IndexOf('}');
            if (close < 0)
            {
                w.Append(template);
                return true;
            }

            var value = filled++ == 0 ? first : second;
            // Dots only between other characters: "a..b", ".x" or "x." make an invalid host name (Uri throws on it),
            // and ".." as the workers-ai account would be a dot segment in the path.
            if (value.IsEmpty || value.ContainsAnyExcept(TemplateValueChars)
                || value[0] == '.' || value[^1] == '.' || value.IndexOf("..", StringComparison.Ordinal) >= 0)
            {
                return false;
            }

            w.Append(template[..open]);
            w.Append(value);
            template = template[(open + close + 1)..];
        }
    }

    private static bool TrySplit(ReadOnlySpan<char> path, out ReadOnlySpan<char> head, out ReadOnlySpan<char> tail)
    {
        int slash = path.IndexOf('/');
        head = slash < 0 ? path : path[..slash];
        tail = slash < 0 ? default : path[(slash + 1)..];
        return !head.IsEmpty;
    }

    /// <summary>
    /// True when a segment of <paramref name="path"/> is "." or "..", plain or percent-encoded ("%2E", ".%2e"), however
    /// segments are separated ('/', '\', "%2F", "%5C") and with or without a ";" parameter ("..;" is ".." to Tomcat).
    /// </summary>
    /// <remarks>
    /// Kestrel removes dot segments from the request line, but not encoded ones, and the Universal Endpoint's
    /// <c>endpoint</c> comes from the body untouched. <see cref="Uri"/> (so HttpClient) resolves ".%2E" as "..", so
    /// "…/openai/.%2E/x" would leave the provider's base path. Found by the seeded fuzz test in Tests/Hardening.
    /// </remarks>
    private static bool HasDotSegment(ReadOnlySpan<char> path)
    {
        if (path.IndexOfAny('.', '%') < 0)
        {
            return false;
        }

        int dots = 0;
        bool other = false;
        for (int i = 0; i <= path.Length; i++)
        {
            char c = i < path.Length ? path[i] : '/';
            bool encoded = c == '%' && i + 2 < path.Length;
            char e1 = encoded ? char.ToUpperInvariant(path[i + 1]) : '\0', e2 = encoded ? char.ToUpperInvariant(path[i + 2]) : '\0';
            if (c == '/' || c == '\\' || c == ';' || (encoded && ((e1 == '2' && e2 == 'F') || (e1 == '5' && e2 == 'C'))))
            {
                if (!other && dots is 1 or 2)
                {
                    return true;
                }

                dots = 0;
                other = false;
                i += c == '%' ? 2 : 0;
            }
            else if (c == '.' || (encoded && e1 == '2' && e2 == 'E'))
            {
                dots++;
                i += c == '%' ? 2 : 0;
            }
            else
            {
                other = true;
            }
        }

        return false;
    }

    private static bool HasSegmentPrefix(ReadOnlySpan<char> path, ReadOnlySpan<char> segment)
        => path.StartsWith(segment, StringComparison.Ordinal) && (path.Length == segment.Length || path[segment.Length] == '/');
}
