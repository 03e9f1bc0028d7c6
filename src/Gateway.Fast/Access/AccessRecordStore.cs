using FASTER.core;
using Gateway.Fast.Storage;

namespace Gateway.Fast.Access;

/// <summary>The durable side of the access stores: one FASTER KV under <c>{DataPath}/access/</c>, checkpointed per change.</summary>
/// <remarks>
/// <para>Keys are <c>{kind}:{id}</c> (<c>gwtoken:</c>, <c>teamkey:</c>, <c>provcfg:</c>), values UTF-8 JSON. Only digests
/// of tokens and keys are written, and provider secrets only as AES-GCM ciphertext.</para>
/// <para>Same discipline as <see cref="FasterGatewayStore"/>: every commit upserts in a short-lived session, then takes a
/// fold-over checkpoint and awaits it, so an acknowledged token, key or revocation survives <c>kill -9</c>. Commits are
/// serialised here because FASTER refuses a checkpoint while another is in progress.</para>
/// </remarks>
internal sealed class AccessRecordStore : IDisposable
{
    private readonly FasterKVSettings<string, string> _kvSettings;
    private readonly FasterKV<string, string> _kv;
    private readonly SemaphoreSlim _commitLock = new(1, 1);
    private int _disposed;

    public AccessRecordStore(string directory)
    {
        Directory.CreateDirectory(directory);

        // Tokens, keys and provider configs number in the hundreds at most: the gateway store's small sizes fit.
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
    }

    /// <summary>Every live record whose key starts with <paramref name="prefix"/> (start-up only).</summary>
    public List<(string Key, string Value)> Load(string prefix)
    {
        var records = new List<(string, string)>();
        foreach (var (key, value) in LiveRecords.Read(_kv))
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                records.Add((key, value));
            }
        }

        return records;
    }

    /// <summary>Set in fleet mode: each change is written there (the fleet's source of truth) before it is committed here.</summary>
    public IConfigReplicator? Replicator { get; set; }

    /// <summary>Hands the write to the fleet (fleet mode), then commits it here; returns once a checkpoint holding it is on disk.</summary>
    /// <exception cref="ConfigUnavailableException">Fleet mode, and Redis cannot take the change: nothing was written.</exception>
    public async ValueTask CommitAsync(string key, string? value)
    {
        if (Replicator is { } replicator)
        {
            await replicator.WriteAsync(key, value, CancellationToken.None).ConfigureAwait(false);
        }

        await CommitLocalAsync(key, value).ConfigureAwait(false);
    }

    /// <summary>Applies the write (null value = delete) here only and returns once a checkpoint holding it is on disk.</summary>
    public async ValueTask CommitLocalAsync(string key, string? value)
    {
        await _commitLock.WaitAsync().ConfigureAwait(false);
        try
        {
            using (var session = _kv.NewSession(new SimpleFunctions<string, string>()))
            {
                var status = value is null ? session.Delete(key) : session.Upsert(key, value);
                if (status.IsPending)
                {
                    session.CompletePending(wait: true);
                }
            }

            var (success, _) = await _kv.TakeFullCheckpointAsync(CheckpointType.FoldOver).ConfigureAwait(false);
            if (!success)
            {
                throw new IOException("The access store could not take a checkpoint; the change is not durable.");
            }
        }
        finally
        {
            _commitLock.Release();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _kv.Dispose();
        _kvSettings.Dispose();
        _commitLock.Dispose();
    }
}
