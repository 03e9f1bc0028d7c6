using System.Text.Json;
using Gateway.Fast.Configuration;

namespace Gateway.Fast.Storage;

/// <summary>Fleet mode's side of the store: changes go to <see cref="Replicator"/> first, and the fleet's changes come back
/// through <c>ApplyAsync</c>.</summary>
public sealed partial class FasterGatewayStore : IReplicatedRecords
{
    /// <summary>Set in fleet mode: every create, update and delete is written there before it is committed here.</summary>
    public IConfigReplicator? Replicator { get; set; }

    string IReplicatedRecords.Prefix => GatewayKeyPrefix;

    Dictionary<string, string> IReplicatedRecords.Export()
    {
        var gateways = Volatile.Read(ref _snapshot).Ordered;
        var records = new Dictionary<string, string>(gateways.Count, StringComparer.Ordinal);
        foreach (var gateway in gateways)
        {
            records[gateway.Id] = Serialize(gateway);
        }

        return records;
    }

    async ValueTask<bool> IReplicatedRecords.ApplyAsync(string id, string? json, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var snapshot = _snapshot;
            bool exists = snapshot.TryGet(id, out var current);
            if (json is null)
            {
                if (exists)
                {
                    await CommitAsync([(GatewayKey(id), null)]).ConfigureAwait(false);
                    Publish(snapshot.Without(id), new(GatewayChangeKind.Deleted, current, null));
                }

                return true;
            }

            if (exists && Serialize(current!) == json)
            {
                return true;
            }

            var settings = JsonSerializer.Deserialize(json, GatewaySettingsJsonContext.Default.GatewaySettings);
            if (settings is null || settings.Id != id)
            {
                return false;
            }

            await CommitAsync([(GatewayKey(id), json)]).ConfigureAwait(false);
            Publish(snapshot.With(settings), new(exists ? GatewayChangeKind.Updated : GatewayChangeKind.Created, current, settings));
            return true;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Hands the change to the fleet first (fleet mode only); called with the write lock held.</summary>
    private ValueTask ReplicateAsync(string id, GatewaySettings? settings, CancellationToken cancellationToken)
        => Replicator is { } replicator
            ? replicator.WriteAsync(GatewayKey(id), settings is null ? null : Serialize(settings), cancellationToken)
            : ValueTask.CompletedTask;
}
