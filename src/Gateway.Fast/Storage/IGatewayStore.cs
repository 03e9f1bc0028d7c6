using System.Diagnostics.CodeAnalysis;
using Gateway.Fast.Configuration;

namespace Gateway.Fast.Storage;

/// <summary>The gateways the process knows, read on the hot path from an in-memory snapshot.</summary>
/// <remarks>
/// Reads (<see cref="TryGet"/>, <see cref="List"/>) never touch storage. Mutations are rare management calls: each one is
/// serialised, persisted and made durable before its task completes, then published as a new snapshot and a
/// <see cref="Changed"/> event. Expected outcomes (missing id, duplicate id) are <see cref="GatewayStoreStatus"/> values.
/// </remarks>
public interface IGatewayStore
{
    /// <summary>Looks a gateway up by id without allocating; false when it does not exist.</summary>
    bool TryGet(ReadOnlySpan<char> id, [MaybeNullWhen(false)] out GatewaySettings settings);

    /// <summary>Every gateway, ordered by <c>created_at</c> then id; the list is an immutable snapshot.</summary>
    IReadOnlyList<GatewaySettings> List();

    /// <summary>Raised after each committed mutation, on the mutating thread, while mutations are still serialised; handlers must not throw.</summary>
    event Action<GatewayChange>? Changed;

    /// <summary>Adds a gateway; the store sets <c>created_at</c>, <c>modified_at</c> and <c>internal_id</c>.</summary>
    /// <returns><see cref="GatewayStoreStatus.Created"/>, <see cref="GatewayStoreStatus.AlreadyExists"/> (with the existing one) or <see cref="GatewayStoreStatus.Invalid"/>.</returns>
    ValueTask<GatewayStoreResult> CreateAsync(GatewaySettings settings, CancellationToken cancellationToken = default);

    /// <summary>Read-modify-write of one gateway under the store's write lock, so concurrent PATCHes do not lose updates.</summary>
    /// <param name="id">The gateway to change.</param>
    /// <param name="state">Passed to <paramref name="update"/>, so callers need no closure.</param>
    /// <param name="update">Returns the new settings, or null to leave the gateway unchanged (<see cref="GatewayStoreStatus.Rejected"/>).
    /// <c>id</c>, <c>created_at</c> and <c>internal_id</c> of its result are ignored; <c>modified_at</c> is set by the store.</param>
    /// <param name="cancellationToken">Cancels only the wait for the write lock; a started commit always finishes.</param>
    ValueTask<GatewayStoreResult> UpdateAsync<TState>(
        string id,
        TState state,
        Func<GatewaySettings, TState, GatewaySettings?> update,
        CancellationToken cancellationToken = default);

    /// <summary>Replaces a gateway's settings as a whole (same rules as <see cref="UpdateAsync{TState}"/>).</summary>
    ValueTask<GatewayStoreResult> ReplaceAsync(GatewaySettings settings, CancellationToken cancellationToken = default);

    /// <summary>Removes a gateway; returns the deleted settings, or null when there was none.</summary>
    ValueTask<GatewaySettings?> DeleteAsync(string id, CancellationToken cancellationToken = default);
}
