namespace Gateway.Fast.Access;

/// <summary>One gateway token as stored: its SHA-256 and a 4-character hint, never the token itself.</summary>
/// <remarks>
/// A token belongs to one gateway instance: <see cref="GatewayInternalId"/> is the gateway's <c>internal_id</c>, so a
/// gateway deleted and created again under the same id does not inherit the old one's tokens.
/// </remarks>
internal sealed record GatewayToken : IHashedCredential, IStoredRecord
{
    public required string Id { get; init; }

    public required string GatewayId { get; init; }

    public required string GatewayInternalId { get; init; }

    public string Name { get; init; } = "";

    /// <inheritdoc />
    public required byte[] Hash { get; init; }

    /// <summary>The token's last 4 characters, so an operator can tell tokens apart.</summary>
    public string Hint { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>True when this token was issued for <paramref name="gatewayId"/> as it exists now.</summary>
    public bool BelongsTo(ReadOnlySpan<char> gatewayId, string internalId)
        => gatewayId.SequenceEqual(GatewayId) && string.Equals(internalId, GatewayInternalId, StringComparison.Ordinal);
}
