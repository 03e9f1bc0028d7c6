using Gateway.Fast.Configuration;

namespace Gateway.Fast.Access;

/// <summary>Per-gateway tokens for <c>cf-aig-authorization</c> (docs/gateway-api.md#authenticated-gateway): created, listed, revoked, verified.</summary>
/// <remarks>
/// A token is shown once, when created; the store keeps its SHA-256. Verification hashes the presented token on the
/// stack and probes <see cref="HashIndex{T}"/>: no allocation, and a revocation is visible to the next request because
/// the index is swapped before the revoking call returns.
/// </remarks>
internal sealed class GatewayTokenStore : AccessRecordSet<GatewayToken>
{
    private const string Prefix = "gwtoken:";

    private readonly TimeProvider _time;
    private HashIndex<GatewayToken> _index = HashIndex<GatewayToken>.Empty;

    public GatewayTokenStore(AccessRecordStore records, TimeProvider time)
        : base(records, Prefix, AccessJsonContext.Default.GatewayToken)
    {
        _time = time;
        Initialise();
    }

    /// <summary>True when <paramref name="digest"/> is the SHA-256 of a live token of <paramref name="gateway"/>.</summary>
    public bool Verify(GatewaySettings gateway, ReadOnlySpan<byte> digest)
        => Volatile.Read(ref _index).TryFind(digest, out var token) && token.BelongsTo(gateway.Id, gateway.InternalId);

    /// <summary>The live tokens of <paramref name="gateway"/>, oldest first.</summary>
    public List<GatewayToken> List(GatewaySettings gateway)
    {
        var tokens = new List<GatewayToken>();
        foreach (var token in Current.Values)
        {
            if (token.BelongsTo(gateway.Id, gateway.InternalId))
            {
                tokens.Add(token);
            }
        }

        tokens.Sort(static (a, b) => a.CreatedAt != b.CreatedAt ? a.CreatedAt.CompareTo(b.CreatedAt) : string.CompareOrdinal(a.Id, b.Id));
        return tokens;
    }

    /// <summary>Issues a token; the returned secret is the only copy there will ever be.</summary>
    public async ValueTask<(GatewayToken Token, string Secret)> CreateAsync(GatewaySettings gateway, string name, CancellationToken cancellationToken)
    {
        var secret = SecretGenerator.NewGatewayToken();
        var token = new GatewayToken
        {
            Id = SecretGenerator.NewId(),
            GatewayId = gateway.Id,
            GatewayInternalId = gateway.InternalId,
            Name = name,
            Hash = TokenHasher.Hash(secret),
            Hint = SecretGenerator.Hint(secret),
            CreatedAt = _time.GetUtcNow(),
        };

        await WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await PutAsync(token).ConfigureAwait(false);
        }
        finally
        {
            WriteLock.Release();
        }

        return (token, secret);
    }

    /// <summary>Revokes a token of <paramref name="gateway"/>; null when it has no such token.</summary>
    public async ValueTask<GatewayToken?> RevokeAsync(GatewaySettings gateway, string tokenId, CancellationToken cancellationToken)
    {
        await WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!Current.TryGetValue(tokenId, out var token) || !token.BelongsTo(gateway.Id, gateway.InternalId))
            {
                return null;
            }

            await RemoveAsync(tokenId).ConfigureAwait(false);
            return token;
        }
        finally
        {
            WriteLock.Release();
        }
    }

    protected override void OnPublish(IReadOnlyDictionary<string, GatewayToken> records)
        => Volatile.Write(ref _index, new HashIndex<GatewayToken>(records.Values));
}
