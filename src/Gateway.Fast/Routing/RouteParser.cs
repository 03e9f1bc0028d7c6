using System.Runtime.CompilerServices;

namespace Gateway.Fast.Routing;

/// <summary>Parses a decoded request path into a <see cref="RouteMatch"/> in one left-to-right pass, allocating nothing.</summary>
/// <remarks>
/// Shapes (docs/gateway-api.md#url-surfaces):
/// <code>
///   /v1/{account}/{gateway}                      → Universal (trailing '/' allowed)
///   /v1/{account}/{gateway}/compat/{*path}       → Compat
///   /v1/{account}/{gateway}/{provider}/{*path}   → Provider
///   /v1/{reserved}/…                             → DefaultRoute
///   anything else under /v1/                     → Malformed
/// </code>
/// Empty segments (<c>//</c>) are malformed: a provider path never starts with one.
/// </remarks>
public static class RouteParser
{
    private const string Prefix = "/v1/";

    public static RouteMatch Parse(string? path)
    {
        if (path is null || !path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return RouteMatch.NotProxy;
        }

        ReadOnlySpan<char> span = path;
        int accountStart = Prefix.Length;
        int accountEnd = IndexOfSlash(span, accountStart);
        if (accountEnd == accountStart)
        {
            return RouteMatch.Malformed;
        }

        if (ReservedSegments.IsReserved(span[accountStart..accountEnd]))
        {
            return new RouteMatch(RouteKind.DefaultRoute, default, default, default, accountStart..span.Length);
        }

        if (accountEnd == span.Length)
        {
            return RouteMatch.Malformed; // "/v1/{account}" names no gateway
        }

        int gatewayStart = accountEnd + 1;
        int gatewayEnd = IndexOfSlash(span, gatewayStart);
        if (gatewayEnd == gatewayStart)
        {
            return RouteMatch.Malformed;
        }

        // "/v1/a/g" or "/v1/a/g/": the Universal Endpoint.
        if (gatewayEnd == span.Length || gatewayEnd == span.Length - 1)
        {
            return new RouteMatch(RouteKind.Universal, accountStart..accountEnd, gatewayStart..gatewayEnd, default, default);
        }

        int providerStart = gatewayEnd + 1;
        int providerEnd = IndexOfSlash(span, providerStart);
        if (providerEnd == providerStart)
        {
            return RouteMatch.Malformed;
        }

        int restStart = providerEnd == span.Length ? providerEnd : providerEnd + 1;
        if (restStart < span.Length && span[restStart] == '/')
        {
            return RouteMatch.Malformed; // ".../{provider}//x"
        }

        var kind = span[providerStart..providerEnd] is "compat" ? RouteKind.Compat : RouteKind.Provider;
        return new RouteMatch(kind, accountStart..accountEnd, gatewayStart..gatewayEnd, providerStart..providerEnd, restStart..span.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int IndexOfSlash(ReadOnlySpan<char> span, int start)
    {
        int i = span[start..].IndexOf('/');
        return i < 0 ? span.Length : start + i;
    }
}
