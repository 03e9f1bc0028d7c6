using Gateway.Fast.Configuration;
using Gateway.Fast.Errors;
using Gateway.Fast.Pipeline;
using Gateway.Fast.Providers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Fast.Access;

/// <summary>The access stage of an authenticated gateway (docs/design.md#the-request-path, admission): who may call it, and which stored key goes upstream.</summary>
/// <remarks>
/// <code>
/// 1 credential  cf-aig-authorization: Bearer {token}; or Authorization: Bearer {token} (then not forwarded; our choice, docs/gateway-api.md#authenticated-gateway)
///               token = a live gateway token of this gateway, or the management token; SHA-256 on the stack, constant-time compare
/// 2 stored key  only when the caller sent no provider credential: cf-aig-byok-alias (default "default") picks the key,
///               whose header the forwarder adds; an alias asked for and not held → 400/2040
/// </code>
/// Stored keys are used only behind authentication: a gateway whose authentication is later switched off keeps its
/// keys but stops sending them, so turning auth off never opens its provider accounts to anyone who can reach it.
/// </remarks>
internal sealed class GatewayAccess(GatewayTokenStore tokens, ProviderKeyStore keys, ManagementTokenVerifier management)
{
    /// <summary>The gateway credential header (docs/gateway-api.md#authenticated-gateway).</summary>
    public const string AuthorizationHeader = "cf-aig-authorization";

    /// <summary>Names the stored key to use (docs/gateway-api.md#stored-provider-keys).</summary>
    public const string ByokAliasHeader = "cf-aig-byok-alias";

    private const int MaxAliasChars = 64;

    /// <summary>Checks the caller's gateway credential and picks the stored provider key, setting both on <paramref name="ctx"/>.</summary>
    /// <returns><see cref="GatewayError.Unauthorized"/>, <see cref="GatewayError.ByokCredentialNotFound"/> or none.</returns>
    public GatewayError Authorize(RequestContext ctx, GatewaySettings gateway)
    {
        var headers = ctx.Http.Request.Headers;
        bool authorized = IsGatewayCredential(gateway, headers[AuthorizationHeader]);
        if (IsGatewayCredential(gateway, headers.Authorization))
        {
            authorized = true;
            ctx.Auth.CredentialInAuthorization = true; // a gateway credential is never sent to a provider
        }

        if (!authorized)
        {
            ctx.ErrorDetail = ErrorDetails.GatewayTokenExpected;
            return GatewayError.Unauthorized;
        }

        return ctx.Provider is { } provider ? SelectStoredKey(ctx, gateway, provider, headers) : GatewayError.None;
    }

    /// <summary>True when <paramref name="values"/> is one <c>Bearer</c> value that is a gateway token of <paramref name="gateway"/> or the management token.</summary>
    public bool IsGatewayCredential(GatewaySettings gateway, StringValues values)
    {
        if (values.Count != 1 || !TryReadBearer(values[0], out var token))
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[TokenHasher.Size];
        return TokenHasher.TryHash(token, digest) && (tokens.Verify(gateway, digest) || management.VerifyDigest(digest));
    }

    /// <summary>
    /// Picks the stored key of <paramref name="provider"/> when the request carries no provider credential of its own
    /// (the unified API calls this once its model names the provider).
    /// </summary>
    /// <param name="ctx">The request.</param>
    /// <param name="gateway">Its gateway.</param>
    /// <param name="provider">The provider the call goes to.</param>
    /// <param name="teamAuthenticated">A team key authenticated the caller (team base paths): the stored key is the only one,
    /// whatever provider headers the caller sent, and the gateway's own authentication setting does not gate it.</param>
    public GatewayError SelectStoredKey(RequestContext ctx, GatewaySettings gateway, ResolvedProvider provider, bool teamAuthenticated = false) =>
        gateway.Authentication || teamAuthenticated
            ? SelectStoredKey(ctx, gateway, provider, ctx.Http.Request.Headers, ignoreCallerCredential: teamAuthenticated)
            : GatewayError.None;

    private GatewayError SelectStoredKey(RequestContext ctx, GatewaySettings gateway, ResolvedProvider provider, IHeaderDictionary headers,
        bool ignoreCallerCredential = false)
    {
        var aliasHeader = headers[ByokAliasHeader];
        bool aliasAsked = aliasHeader.Count > 0;
        if (!aliasAsked && !keys.HasAny(gateway.Id))
        {
            return GatewayError.None;
        }

        if (!ignoreCallerCredential && CarriesProviderCredential(ctx, headers))
        {
            return GatewayError.None; // a key sent with the request wins (docs/gateway-api.md#stored-provider-keys)
        }

        ReadOnlySpan<char> alias = aliasAsked ? aliasHeader[0].AsSpan().Trim() : ProviderKeyStore.DefaultAlias;
        if (keys.TryFind(gateway, provider.Id, alias, out var credential))
        {
            ctx.Auth.InjectedCredential = credential; // SigV4 keys sign each attempt in the forwarder
            return GatewayError.None;
        }

        if (!aliasAsked)
        {
            return GatewayError.None; // no default key for this provider: the request goes as the caller sent it
        }

        // The alias is echoed only when it is a plain name, so a header value can never inject text into the body.
        ctx.ErrorDetail = (IsPlainAlias(alias)
                ? $"Provider '{provider.Id}' has no BYOK credential named '{alias}'"
                : $"Provider '{provider.Id}' has no BYOK credential under that alias")
            + $"; GET /api/management/gateways/{gateway.Id}/provider_configs lists the stored ones, or leave out cf-aig-byok-alias";
        return GatewayError.ByokCredentialNotFound;
    }

    /// <summary>True when the request carries its own provider credential (one of the catalog's auth headers, or Google's <c>?key=</c>).</summary>
    private static bool CarriesProviderCredential(RequestContext ctx, IHeaderDictionary headers)
    {
        if (headers.Authorization.Count > 0 && !ctx.Auth.CredentialInAuthorization)
        {
            return true;
        }

        if (headers.ContainsKey("x-api-key") || headers.ContainsKey("x-goog-api-key") || headers.ContainsKey("api-key")
            || headers.ContainsKey("xi-api-key"))
        {
            return true;
        }

        var query = ctx.Http.Request.QueryString.Value.AsSpan();
        return query.StartsWith("?key=") || query.Contains("&key=", StringComparison.Ordinal);
    }

    /// <summary>Reads <c>Bearer {token}</c> (scheme case-insensitive, RFC 9110 §11.1), trimmed.</summary>
    public static bool TryReadBearer(string? value, out ReadOnlySpan<char> token)
    {
        var span = value.AsSpan().Trim();
        if (span.Length > 7 && span.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = span[7..].TrimStart();
            return !token.IsEmpty;
        }

        token = default;
        return false;
    }

    /// <summary>Aliases are names: letters, digits, <c>-</c>, <c>_</c>, <c>.</c>; at most 64 characters.</summary>
    public static bool IsPlainAlias(ReadOnlySpan<char> alias)
    {
        if (alias.IsEmpty || alias.Length > MaxAliasChars)
        {
            return false;
        }

        foreach (var c in alias)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
