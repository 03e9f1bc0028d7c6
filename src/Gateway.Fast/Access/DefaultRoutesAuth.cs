using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Access;

/// <summary>
/// The default routes' simple auth (docs/gateway-api.md#simple-auth-for-the-default-routes): with <c>AUTH_TOKEN</c> set, <c>/v1/chat/completions</c> and
/// friends need it in <c>X-AUTH-TOKEN</c> or the <c>auth_token</c> query parameter. Only the token's SHA-256 is
/// kept; the presented value is hashed the way every gateway credential is (<see cref="TokenHasher"/>) and compared in
/// constant time.
/// </summary>
internal sealed class DefaultRoutesAuth
{
    private readonly byte[]? _hash;

    public DefaultRoutesAuth(string? token) => _hash = string.IsNullOrEmpty(token) ? null : TokenHasher.Hash(token);

    public bool Required => _hash is not null;

    /// <summary>True when no token is configured, or the request presents it.</summary>
    public bool IsAllowed(HttpRequest request)
    {
        if (_hash is null)
        {
            return true;
        }

        string? presented = request.Headers["X-AUTH-TOKEN"] is { Count: 1 } header ? header[0]
            : request.Query["auth_token"] is { Count: 1 } query ? query[0]
            : null;
        Span<byte> digest = stackalloc byte[TokenHasher.Size];
        return TokenHasher.TryHash(presented, digest) && CryptographicOperations.FixedTimeEquals(digest, _hash);
    }
}
