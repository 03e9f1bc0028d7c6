namespace Gateway.Fast.Storage;

/// <summary>Where a configuration change goes before the local store commits it: in fleet mode, Redis, the fleet's source
/// of truth. Registered only in fleet mode; a single node has none and its stores skip the call.</summary>
/// <remarks>Stores call it with their write lock held and commit locally only after it returns, so a change the fleet did
/// not take is not made anywhere. Keys are the stores' own (<c>gateway:{id}</c>, <c>gwtoken:{id}</c>, <c>teamkey:{id}</c>,
/// <c>provcfg:{id}</c>), values their JSON records (provider secrets sealed, tokens and keys hashed).</remarks>
public interface IConfigReplicator
{
    /// <summary>Writes one record (null deletes it) to the shared store.</summary>
    /// <exception cref="ConfigUnavailableException">The shared store cannot take the change now; nothing was written locally either.</exception>
    ValueTask WriteAsync(string key, string? value, CancellationToken cancellationToken);
}
