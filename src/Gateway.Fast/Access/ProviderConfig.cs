namespace Gateway.Fast.Access;

/// <summary>One stored provider credential (BYOK, docs/gateway-api.md#provider-keys-and-gateway-tokens) as written to disk: the secret only as AES-GCM ciphertext.</summary>
internal sealed record ProviderConfig : IStoredRecord
{
    public required string Id { get; init; }

    public required string GatewayId { get; init; }

    /// <summary>The gateway's <c>internal_id</c> when the key was stored: a re-created gateway does not inherit it.</summary>
    public required string GatewayInternalId { get; init; }

    public required string ProviderSlug { get; init; }

    public string Alias { get; init; } = ProviderKeyStore.DefaultAlias;

    /// <summary>Last 4 characters of the secret (of the access key id for <c>aws-bedrock</c>).</summary>
    public string SecretPreview { get; init; } = "";

    /// <summary>The provider's non-secret settings (Azure resource, Workers AI account, …) as JSON text, or null.</summary>
    public string? DefaultConfig { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary><see cref="SecretBox"/> output: version, nonce, ciphertext, tag.</summary>
    public required byte[] Sealed { get; init; }
}
