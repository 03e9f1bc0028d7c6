using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using FASTER.core;
using Gateway.Fast.Configuration;

namespace Gateway.Fast.Storage;

/// <summary>Gateways persisted in a FASTER KV under <c>{DataPath}/gateways/</c>, served from an in-memory snapshot.</summary>
/// <remarks>
/// <para>Layout: key <c>gateway:{id}</c> → UTF-8 JSON of <see cref="GatewaySettings"/>; key <c>meta:seeded</c> marks a folder
/// that has already received the <c>default</c> gateway, so a deleted <c>default</c> stays deleted.</para>
/// <para>Every mutation: 1. take the write lock; 2. upsert or delete in a short-lived session; 3. take a fold-over checkpoint
/// and await it, so an acknowledged change survives <c>kill -9</c>; 4. publish a new snapshot; 5. raise <see cref="Changed"/>.
/// Start-up recovers the latest checkpoint and rebuilds the snapshot by scanning live records.</para>
/// </remarks>
public sealed partial class FasterGatewayStore : IGatewayStore, IDisposable
{
    private const string GatewayKeyPrefix = "gateway:";
    private const string SeededKey = "meta:seeded";

    private readonly FasterKVSettings<string, string> _kvSettings;
    private readonly FasterKV<string, string> _kv;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly TimeProvider _time;
    private GatewaySnapshot _snapshot;
    private int _disposed;

    private FasterGatewayStore(string directory, TimeProvider time)
    {
        _time = time;
        Directory.CreateDirectory(directory);

        // A gateway record is a few hundred bytes and there are tens of them, not millions:
        // a 64 KiB index (1,024 buckets) and 64 KiB of in-memory log are plenty and keep start-up instant.
        _kvSettings = new FasterKVSettings<string, string>(directory, deleteDirOnDispose: false)
        {
            IndexSize = 1L << 16,
            PageSize = 1L << 12,
            MemorySize = 1L << 16,
            SegmentSize = 1L << 20,
            KeySerializer = static () => new Utf8StringSerializer(),
            ValueSerializer = static () => new Utf8StringSerializer(),
            TryRecoverLatest = true,
            RemoveOutdatedCheckpoints = true,
        };
        _kv = new FasterKV<string, string>(_kvSettings);
        _snapshot = Load(out var seeded);
        IsSeeded = seeded;
    }

    /// <inheritdoc />
    public event Action<GatewayChange>? Changed;

    private bool IsSeeded { get; set; }

    /// <summary>Opens (or creates) the store in <paramref name="directory"/>, recovering the latest checkpoint;
    /// a folder opened for the first time gets the <c>default</c> gateway.</summary>
    public static FasterGatewayStore Open(string directory, TimeProvider? time = null)
    {
        var store = new FasterGatewayStore(directory, time ?? TimeProvider.System);
        try
        {
            // Start-up only, before the host serves requests: blocking here has no caller to starve.
            store.SeedAsync().AsTask().GetAwaiter().GetResult();
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public bool TryGet(ReadOnlySpan<char> id, [MaybeNullWhen(false)] out GatewaySettings settings)
        => Volatile.Read(ref _snapshot).TryGet(id, out settings);

    /// <inheritdoc />
    public IReadOnlyList<GatewaySettings> List() => Volatile.Read(ref _snapshot).Ordered;

    /// <inheritdoc />
    public async ValueTask<GatewayStoreResult> CreateAsync(GatewaySettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!GatewaySettingsValidator.IsValidId(settings.Id))
        {
            return new(GatewayStoreStatus.Invalid, null);
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var snapshot = _snapshot;
            if (snapshot.TryGet(settings.Id, out var existing))
            {
                return new(GatewayStoreStatus.AlreadyExists, existing);
            }

            var now = _time.GetUtcNow();
            var created = settings with { CreatedAt = now, ModifiedAt = now, InternalId = Guid.NewGuid().ToString("N") };
            await ReplicateAsync(created.Id, created, cancellationToken).ConfigureAwait(false);
            await CommitAsync([(GatewayKey(created.Id), Serialize(created))]).ConfigureAwait(false);
            Publish(snapshot.With(created), new(GatewayChangeKind.Created, null, created));
            return new(GatewayStoreStatus.Created, created);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask<GatewayStoreResult> UpdateAsync<TState>(
        string id,
        TState state,
        Func<GatewaySettings, TState, GatewaySettings?> update,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(update);

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var snapshot = _snapshot;
            if (!snapshot.TryGet(id, out var current))
            {
                return new(GatewayStoreStatus.NotFound, null);
            }

            if (update(current, state) is not { } next)
            {
                return new(GatewayStoreStatus.Rejected, current);
            }

            var updated = next with
            {
                Id = current.Id,
                CreatedAt = current.CreatedAt,
                InternalId = current.InternalId,
                ModifiedAt = _time.GetUtcNow(),
            };
            await ReplicateAsync(id, updated, cancellationToken).ConfigureAwait(false);
            await CommitAsync([(GatewayKey(id), Serialize(updated))]).ConfigureAwait(false);
            Publish(snapshot.With(updated), new(GatewayChangeKind.Updated, current, updated));
            return new(GatewayStoreStatus.Updated, updated);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    public ValueTask<GatewayStoreResult> ReplaceAsync(GatewaySettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return UpdateAsync(settings.Id, settings, static (_, next) => next, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<GatewaySettings?> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var snapshot = _snapshot;
            if (!snapshot.TryGet(id, out var current))
            {
                return null;
            }

            await ReplicateAsync(id, null, cancellationToken).ConfigureAwait(false);
            await CommitAsync([(GatewayKey(id), null)]).ConfigureAwait(false);
            Publish(snapshot.Without(id), new(GatewayChangeKind.Deleted, current, null));
            return current;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _kv.Dispose();
        _kvSettings.Dispose();
        _writeLock.Dispose();
    }

    private void Publish(GatewaySnapshot snapshot, GatewayChange change)
    {
        Volatile.Write(ref _snapshot, snapshot);
        Changed?.Invoke(change);
    }

    private static string GatewayKey(string id) => GatewayKeyPrefix + id;

    private static string Serialize(GatewaySettings settings)
        => JsonSerializer.Serialize(settings, GatewaySettingsJsonContext.Default.GatewaySettings);
}
