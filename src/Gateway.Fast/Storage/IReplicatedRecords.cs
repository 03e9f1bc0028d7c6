namespace Gateway.Fast.Storage;

/// <summary>One kind of configuration record (gateways, gateway tokens, team keys, provider keys) as fleet mode's sync sees it:
/// the records this replica holds, and a way to apply the fleet's version of one.</summary>
internal interface IReplicatedRecords
{
    /// <summary>The key prefix of this kind (<c>gateway:</c>, <c>gwtoken:</c>…), as passed to <see cref="IConfigReplicator"/>.</summary>
    string Prefix { get; }

    /// <summary>Every record held now: id → its JSON, as it would be written to the shared store.</summary>
    Dictionary<string, string> Export();

    /// <summary>Makes the local record <paramref name="id"/> the fleet's <paramref name="json"/> (null: delete it): committed to the
    /// local store and published to readers, never written back to the shared store. A record equal to the local one is skipped.</summary>
    /// <returns>False when the record was not applied because this replica cannot use it (a provider key sealed with another master key).</returns>
    ValueTask<bool> ApplyAsync(string id, string? json, CancellationToken cancellationToken);
}
