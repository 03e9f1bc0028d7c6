using System.Text.Json;
using FASTER.core;
using Gateway.Fast.Configuration;

namespace Gateway.Fast.Storage;

/// <summary>The FASTER side of the store: scanning at start-up, seeding, and durable commits.</summary>
public sealed partial class FasterGatewayStore
{
    private GatewaySnapshot Load(out bool seeded)
    {
        seeded = false;
        var gateways = new List<GatewaySettings>();

        foreach (var (key, value) in LiveRecords.Read(_kv))
        {
            if (key == SeededKey)
            {
                seeded = true;
            }
            else if (key.StartsWith(GatewayKeyPrefix, StringComparison.Ordinal))
            {
                var settings = JsonSerializer.Deserialize(value, GatewaySettingsJsonContext.Default.GatewaySettings)
                    ?? throw new InvalidDataException($"Gateway record '{key}' is null.");
                gateways.Add(settings);
            }
        }

        return new GatewaySnapshot(gateways);
    }

    private async ValueTask SeedAsync()
    {
        if (IsSeeded)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var settings = GatewaySettings.CreateDefault() with
        {
            CreatedAt = now,
            ModifiedAt = now,
            InternalId = Guid.NewGuid().ToString("N"),
        };

        // One checkpoint covers both records: either the folder is seeded with `default`, or neither is written.
        await CommitAsync([(GatewayKey(settings.Id), Serialize(settings)), (SeededKey, "1")]).ConfigureAwait(false);
        Volatile.Write(ref _snapshot, _snapshot.With(settings));
        IsSeeded = true;
    }

    /// <summary>Applies the writes (null value = delete) and returns once a checkpoint holding them is on disk.</summary>
    private async ValueTask CommitAsync((string Key, string? Value)[] writes)
    {
        // A session per commit: a disposed session cannot hold up the checkpoint's epoch phases.
        using (var session = _kv.NewSession(new SimpleFunctions<string, string>()))
        {
            foreach (var (key, value) in writes)
            {
                var status = value is null ? session.Delete(key) : session.Upsert(key, value);
                if (status.IsPending)
                {
                    session.CompletePending(wait: true);
                }
            }
        }

        // Fold-over flushes the log up to its tail; with the index in the same checkpoint, recovery needs no replay.
        var (success, _) = await _kv.TakeFullCheckpointAsync(CheckpointType.FoldOver).ConfigureAwait(false);
        if (!success)
        {
            throw new IOException("The gateway store could not take a checkpoint; the change is not durable.");
        }
    }
}
