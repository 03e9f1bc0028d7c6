using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using Gateway.Fast.Caching;
using StackExchange.Redis;

namespace Gateway.Fast.Fleet;

/// <summary>The response cache of a fleet: this replica's FASTER store first, Redis second, so an answer cached by one replica
/// is a HIT on all of them.</summary>
/// <remarks>
/// <code>
/// GetAsync   local HIT ─► served (no Redis call)
///            local MISS ─► Redis GET ─► HIT: validated, promoted into the local tier, served; MISS ─► the provider
/// SetAsync   local upsert, then Redis SET with the entry's remaining TTL (awaited, so a request sent to another replica
///            once this answer has ended finds it); entries over <see cref="FleetTierOptions.MaxSharedEntryBytes"/> stay local
/// Purge      local generation +1, then the fleet's generation raised past it in one script that announces it
///            (<see cref="CacheGenerationSync"/> applies it on every replica)
/// </code>
/// <para>Same keys as the local tier: a <see cref="CacheKey"/> hashes the gateway and its generation, so once replicas
/// agree on generations they compute the same key for the same request, and a purge (a new generation) makes the
/// old keys unreachable in both tiers at once. Entries keep their own expiry; Redis drops them at the same instant.
/// An event stream is stored as its bytes with the event-stream flag, so another replica replays it as SSE.</para>
/// <para>While Redis is down or its breaker open, <see cref="RedisConnection.TryGetDatabase"/> answers false without a
/// network call and the local tier serves alone; a purge made meanwhile is applied locally and re-announced once
/// Redis is back.</para>
/// </remarks>
public sealed class SharedCacheStore : ICacheStore
{
    private readonly ICacheStore _local;
    private readonly RedisConnection _redis;
    private readonly TimeProvider _time;
    private readonly int _maxSharedBytes;
    private readonly ConcurrentDictionary<string, byte> _unannounced = new(StringComparer.Ordinal);
    private long _sharedHits;
    private long _sharedOversize;

    public SharedCacheStore(ICacheStore local, RedisConnection redis, FleetTierOptions options, TimeProvider time)
    {
        _local = local;
        _redis = redis;
        _time = time;
        _maxSharedBytes = Math.Max(CacheEntry.MinSize, options.MaxSharedEntryBytes);
    }

    /// <inheritdoc />
    public int MaxEntryBytes => _local.MaxEntryBytes;

    /// <inheritdoc />
    public long MemoryBytes => _local.MemoryBytes;

    /// <summary>HITs served from Redis (and promoted to the local tier) since start.</summary>
    public long SharedHits => Interlocked.Read(ref _sharedHits);

    /// <summary>Entries kept out of Redis for their size since start.</summary>
    public long SharedOversize => Interlocked.Read(ref _sharedOversize);

    /// <inheritdoc />
    public long GetGeneration(ReadOnlySpan<char> gatewayId) => _local.GetGeneration(gatewayId);

    /// <inheritdoc />
    public ValueTask<CachedResponse> GetAsync(in CacheKey key, long nowUnixMs, CancellationToken cancellationToken = default)
    {
        var local = _local.GetAsync(key, nowUnixMs, cancellationToken);
        if (local.IsCompletedSuccessfully)
        {
            var response = local.Result;
            return response.IsHit || !_redis.IsAvailable ? new(response) : GetSharedAsync(key, nowUnixMs);
        }

        return GetAfterLocalAsync(local, key, nowUnixMs);
    }

    private async ValueTask<CachedResponse> GetAfterLocalAsync(ValueTask<CachedResponse> local, CacheKey key, long nowUnixMs)
    {
        var response = await local.ConfigureAwait(false);
        return response.IsHit ? response : await GetSharedAsync(key, nowUnixMs).ConfigureAwait(false);
    }

    /// <summary>The second tier: a live entry from Redis, promoted into the local tier; a default on a miss or any failure.</summary>
    private async ValueTask<CachedResponse> GetSharedAsync(CacheKey key, long nowUnixMs)
    {
        if (!_redis.TryGetDatabase(out var db))
        {
            return default;
        }

        Lease<byte>? value;
        try
        {
            value = await db.StringGetLeaseAsync(SharedCacheKeys.Entry(key)).ConfigureAwait(false);
            _redis.ReportSuccess();
        }
        catch (Exception e)
        {
            _redis.ReportFailure(e);
            return default;
        }

        using (value)
        {
            if (value is null || !CacheEntry.TryParse(value.Span, out var info) || nowUnixMs >= info.ExpiresUnixMs)
            {
                return default;
            }

            await _local.SetAsync(key, value.Memory).ConfigureAwait(false); // the same bytes, so the same expiry
            var buffer = ArrayPool<byte>.Shared.Rent(value.Length);
            value.Span.CopyTo(buffer);
            Interlocked.Increment(ref _sharedHits);
            return new CachedResponse(buffer, info);
        }
    }

    /// <inheritdoc />
    public ValueTask SetAsync(in CacheKey key, ReadOnlyMemory<byte> entry)
    {
        var local = _local.SetAsync(key, entry);
        if (entry.Length < CacheEntry.MinSize || !_redis.IsAvailable)
        {
            return local;
        }

        if (entry.Length > _maxSharedBytes)
        {
            Interlocked.Increment(ref _sharedOversize);
            return local;
        }

        return SetSharedAsync(local, key, entry);
    }

    private async ValueTask SetSharedAsync(ValueTask local, CacheKey key, ReadOnlyMemory<byte> entry)
    {
        await local.ConfigureAwait(false);
        long ttlMs = BinaryPrimitives.ReadInt64LittleEndian(entry.Span[CacheEntry.ExpiresOffset..]) - _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (ttlMs <= 0 || !_redis.TryGetDatabase(out var db))
        {
            return;
        }

        try
        {
            // Awaited: the caller's buffer must stay untouched until the command has been written, and the answer then
            // ends only once another replica can find it.
            await db.StringSetAsync(SharedCacheKeys.Entry(key), entry, TimeSpan.FromMilliseconds(ttlMs)).ConfigureAwait(false);
            _redis.ReportSuccess();
        }
        catch (Exception e)
        {
            _redis.ReportFailure(e); // the local tier has it; other replicas miss until one of them stores it
        }
    }

    /// <inheritdoc />
    public async ValueTask<long> PurgeGatewayAsync(string gatewayId)
    {
        long generation = await _local.PurgeGatewayAsync(gatewayId).ConfigureAwait(false);
        if (await TryAnnouncePurgeAsync(gatewayId, generation).ConfigureAwait(false) is long shared)
        {
            return Math.Max(generation, shared);
        }

        _unannounced[gatewayId] = 0; // announced by CacheGenerationSync once Redis is back
        return generation;
    }

    /// <summary>Raises the fleet's generation of <paramref name="gatewayId"/> past <paramref name="localGeneration"/> and
    /// announces it; the new generation, or null when Redis could not be asked.</summary>
    internal async Task<long?> TryAnnouncePurgeAsync(string gatewayId, long localGeneration)
    {
        if (!_redis.TryGetDatabase(out var db))
        {
            return null;
        }

        long shared;
        try
        {
            shared = (long)await db.ScriptEvaluateAsync(SharedCacheKeys.PurgeScript,
                [SharedCacheKeys.Generations, SharedCacheKeys.GenerationsVersion],
                [gatewayId, localGeneration, _redis.KeyPrefix + SharedCacheKeys.PurgeChannel]).ConfigureAwait(false);
            _redis.ReportSuccess();
        }
        catch (Exception e)
        {
            _redis.ReportFailure(e);
            return null;
        }

        await _local.RaiseGenerationAsync(gatewayId, shared).ConfigureAwait(false);
        return shared;
    }

    /// <summary>Announces the purges made while Redis could not be asked; those still unannounced stay for the next try.</summary>
    internal async Task AnnounceOfflinePurgesAsync()
    {
        foreach (var gatewayId in _unannounced.Keys)
        {
            if (_unannounced.TryRemove(gatewayId, out _)
                && await TryAnnouncePurgeAsync(gatewayId, _local.GetGeneration(gatewayId)).ConfigureAwait(false) is null)
            {
                _unannounced[gatewayId] = 0;
                return;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RaiseGenerationAsync(string gatewayId, long generation) => _local.RaiseGenerationAsync(gatewayId, generation);

    /// <inheritdoc />
    public ValueTask CheckpointAsync() => _local.CheckpointAsync();

    public void Dispose() => _local.Dispose();
}
