namespace Gateway.Fast.Caching;

/// <summary>Where cache entries live: <see cref="FasterCacheStore"/> embedded; a shared store for replicas would implement it too (docs/design.md#where-state-lives).</summary>
/// <remarks>
/// Entries are opaque <see cref="CacheEntry"/> bytes written whole by one <see cref="SetAsync"/>, so a reader sees an old
/// entry or a new one, never a mix. Expiry is checked on every read against the stored expiry. A gateway's entries are
/// purged by bumping its generation, which is part of every <see cref="CacheKey"/>: older keys can no longer be computed,
/// and their records age out of the store.
/// </remarks>
public interface ICacheStore : IDisposable
{
    /// <summary>The largest entry <see cref="SetAsync"/> accepts; larger ones are dropped.</summary>
    int MaxEntryBytes { get; }

    /// <summary>Bytes the store holds in memory now (pages allocated so far and the index), for <c>/health</c> and metrics.</summary>
    long MemoryBytes { get; }

    /// <summary>The gateway's current generation, to pass to <c>CacheKey.Compute</c> or <see cref="CacheKey.ForCustomKey"/>; 0 for a gateway never purged. Never blocks.</summary>
    long GetGeneration(ReadOnlySpan<char> gatewayId);

    /// <summary>The live entry under <paramref name="key"/>, or a default (<see cref="CachedResponse.IsHit"/> false) on a miss,
    /// an expired entry (deleted on the way) or a malformed one. Completes synchronously unless the entry must be read from disk.</summary>
    ValueTask<CachedResponse> GetAsync(in CacheKey key, long nowUnixMs, CancellationToken cancellationToken = default);

    /// <summary>Stores an entry built by <see cref="CacheRecorder"/> (or <see cref="CacheEntry.Create"/>); the bytes are copied before it returns.</summary>
    ValueTask SetAsync(in CacheKey key, ReadOnlyMemory<byte> entry);

    /// <summary>Makes every entry of the gateway unreachable (durably) and returns its new generation.</summary>
    ValueTask<long> PurgeGatewayAsync(string gatewayId);

    /// <summary>Raises the gateway's generation to at least <paramref name="generation"/> (durably): how a replica applies a purge
    /// made on another. True when it rose, i.e. the gateway's entries became unreachable here.</summary>
    ValueTask<bool> RaiseGenerationAsync(string gatewayId, long generation);

    /// <summary>Persists what the store holds, so entries survive a restart; called periodically and at shutdown.</summary>
    ValueTask CheckpointAsync();
}
