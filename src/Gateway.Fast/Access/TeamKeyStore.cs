using System.Diagnostics.CodeAnalysis;

namespace Gateway.Fast.Access;

/// <summary>Team API keys (docs/gateway-api.md#team-api-keys): <c>sk_</c> + 64 hex, stored as SHA-256, resolved without allocating.</summary>
/// <remarks>
/// Management calls name a key either by the key itself (<c>sk_…</c>, as team-key proxies do) or by its public id (what the
/// list shows, since the key is never shown twice). A refresh replaces the digest under the same id: the old key stops
/// resolving as soon as the call returns, and the team, name, limits and allowed models stay.
/// </remarks>
internal sealed class TeamKeyStore : AccessRecordSet<TeamKey>
{
    private const string Prefix = "teamkey:";

    private readonly TimeProvider _time;
    private HashIndex<TeamKey> _index = HashIndex<TeamKey>.Empty;

    public TeamKeyStore(AccessRecordStore records, TimeProvider time)
        : base(records, Prefix, AccessJsonContext.Default.TeamKey)
    {
        _time = time;
        Initialise();
    }

    /// <summary>The team key a request presents as <c>Authorization: Bearer sk_…</c> (the team base paths' one credential).</summary>
    public bool TryAuthenticate(Microsoft.AspNetCore.Http.IHeaderDictionary headers, [MaybeNullWhen(false)] out TeamKey key)
    {
        var authorization = headers.Authorization;
        if (authorization.Count == 1 && GatewayAccess.TryReadBearer(authorization[0], out var presented))
        {
            return TryResolve(presented, out key);
        }

        key = null;
        return false;
    }

    /// <summary>The team key a caller presented (the bare <c>sk_…</c>, without <c>Bearer</c>); false when it is not a live key.</summary>
    public bool TryResolve(ReadOnlySpan<char> presentedKey, [MaybeNullWhen(false)] out TeamKey key)
    {
        Span<byte> digest = stackalloc byte[TokenHasher.Size];
        if (TokenHasher.TryHash(presentedKey, digest))
        {
            return Volatile.Read(ref _index).TryFind(digest, out key);
        }

        key = null;
        return false;
    }

    /// <summary>A key by its secret (<c>sk_…</c>) or its id.</summary>
    public bool TryFind(string keyOrId, [MaybeNullWhen(false)] out TeamKey key)
        => keyOrId.StartsWith(SecretGenerator.TeamKeyPrefix, StringComparison.Ordinal)
            ? TryResolve(keyOrId, out key)
            : Current.TryGetValue(keyOrId, out key);

    /// <summary>Keys of one team (all when <paramref name="teamId"/> is null), oldest first.</summary>
    public List<TeamKey> List(string? teamId)
    {
        var keys = new List<TeamKey>();
        foreach (var key in Current.Values)
        {
            if (teamId is null || key.TeamId == teamId)
            {
                keys.Add(key);
            }
        }

        keys.Sort(static (a, b) => a.CreatedAt != b.CreatedAt ? a.CreatedAt.CompareTo(b.CreatedAt) : string.CompareOrdinal(a.Id, b.Id));
        return keys;
    }

    public async ValueTask<(TeamKey Key, string Secret)> CreateAsync(string teamId, string name, bool limited, CancellationToken cancellationToken)
    {
        var secret = SecretGenerator.NewTeamKey();
        var key = new TeamKey
        {
            Id = SecretGenerator.NewId(),
            TeamId = teamId,
            Name = name,
            Limited = limited,
            Hash = TokenHasher.Hash(secret),
            Hint = SecretGenerator.Hint(secret),
            CreatedAt = _time.GetUtcNow(),
        };

        await WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await PutAsync(key).ConfigureAwait(false);
        }
        finally
        {
            WriteLock.Release();
        }

        return (key, secret);
    }

    /// <summary>Rotates a key: a new secret under the same id and settings; null when there is no such key.</summary>
    public async ValueTask<(TeamKey Key, string Secret)?> RefreshAsync(string keyOrId, CancellationToken cancellationToken)
    {
        var secret = SecretGenerator.NewTeamKey();
        var refreshed = await UpdateAsync(
            keyOrId,
            secret,
            (current, s) => current with { Hash = TokenHasher.Hash(s), Hint = SecretGenerator.Hint(s), RefreshedAt = _time.GetUtcNow() },
            cancellationToken).ConfigureAwait(false);
        return refreshed.Key is { } key ? (key, secret) : null;
    }

    /// <summary>Read-modify-write of one key; <paramref name="update"/> returns null to refuse (the key stays as it was).</summary>
    /// <returns>The new key, or null with <c>Found</c> telling a missing key from a refused update.</returns>
    public async ValueTask<(TeamKey? Key, bool Found)> UpdateAsync<TState>(string keyOrId, TState state, Func<TeamKey, TState, TeamKey?> update,
        CancellationToken cancellationToken)
    {
        await WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!TryFind(keyOrId, out var current))
            {
                return (null, false);
            }

            if (update(current, state) is not { } next)
            {
                return (null, true);
            }

            next = next with { Id = current.Id, CreatedAt = current.CreatedAt };
            await PutAsync(next).ConfigureAwait(false);
            return (next, true);
        }
        finally
        {
            WriteLock.Release();
        }
    }

    /// <summary>Revokes a key; null when there is no such key.</summary>
    public async ValueTask<TeamKey?> RevokeAsync(string keyOrId, CancellationToken cancellationToken)
    {
        await WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!TryFind(keyOrId, out var key))
            {
                return null;
            }

            await RemoveAsync(key.Id).ConfigureAwait(false);
            return key;
        }
        finally
        {
            WriteLock.Release();
        }
    }

    protected override void OnPublish(IReadOnlyDictionary<string, TeamKey> records)
        => Volatile.Write(ref _index, new HashIndex<TeamKey>(records.Values));
}
