using Gateway.Fast.Configuration;
using Gateway.Fast.Providers;

namespace Gateway.Fast.Access;

/// <summary>Provider credentials held by the gateway (BYOK, docs/gateway-api.md#stored-provider-keys; managed through <c>provider_configs</c>, docs/gateway-api.md#provider-keys-and-gateway-tokens).</summary>
/// <remarks>
/// On disk each secret is sealed by <see cref="SecretBox"/> under the <see cref="MasterKey"/>. In memory each one is
/// opened once, when stored or at start-up, into the header its provider reads (<see cref="InjectedCredential"/>); the
/// hot path finds it by gateway id (span lookup), then provider and alias in that gateway's short array.
/// </remarks>
internal sealed class ProviderKeyStore : AccessRecordSet<ProviderConfig>
{
    /// <summary>The alias used when the request names none (<c>cf-aig-byok-alias</c>).</summary>
    public const string DefaultAlias = "default";

    private const string Prefix = "provcfg:";

    private readonly MasterKey _masterKey;
    private readonly TimeProvider _time;
    private Snapshot _snapshot = Snapshot.Empty;

    public ProviderKeyStore(AccessRecordStore records, MasterKey masterKey, TimeProvider time)
        : base(records, Prefix, AccessJsonContext.Default.ProviderConfig)
    {
        _masterKey = masterKey;
        _time = time;
        Initialise();
    }

    /// <summary>True when <paramref name="gatewayId"/> holds any stored key (of this or an earlier gateway of that id).</summary>
    public bool HasAny(ReadOnlySpan<char> gatewayId) => Volatile.Read(ref _snapshot).Lookup.ContainsKey(gatewayId);

    /// <summary>The stored key of <paramref name="gateway"/> for <paramref name="provider"/> under <paramref name="alias"/>.</summary>
    /// <param name="gateway">The gateway as it exists now.</param>
    /// <param name="provider">The provider's slug.</param>
    /// <param name="alias">The alias asked for.</param>
    /// <param name="credential">The header to send; null when the provider takes no header (SigV4).</param>
    public bool TryFind(GatewaySettings gateway, string provider, ReadOnlySpan<char> alias, out InjectedCredential? credential)
    {
        if (Volatile.Read(ref _snapshot).Lookup.TryGetValue(gateway.Id, out var keys))
        {
            foreach (var key in keys)
            {
                var config = key.Config;
                if (ReferenceEquals(config.ProviderSlug, provider) || config.ProviderSlug == provider)
                {
                    if (alias.SequenceEqual(config.Alias) && config.GatewayInternalId == gateway.InternalId)
                    {
                        credential = key.Credential;
                        return true;
                    }
                }
            }
        }

        credential = null;
        return false;
    }

    /// <summary>The stored keys of <paramref name="gateway"/>, oldest first (never with their secrets).</summary>
    public List<ProviderConfig> List(GatewaySettings gateway)
    {
        var configs = new List<ProviderConfig>();
        foreach (var config in Current.Values)
        {
            if (config.GatewayId == gateway.Id && config.GatewayInternalId == gateway.InternalId)
            {
                configs.Add(config);
            }
        }

        configs.Sort(static (a, b) => a.CreatedAt != b.CreatedAt ? a.CreatedAt.CompareTo(b.CreatedAt) : string.CompareOrdinal(a.Id, b.Id));
        return configs;
    }

    /// <summary>Seals and stores a secret; null when <paramref name="gateway"/> already holds one for that provider and alias.</summary>
    public async ValueTask<ProviderConfig?> CreateAsync(GatewaySettings gateway, string provider, string alias, string secret,
        string preview, string? defaultConfig, CancellationToken cancellationToken)
    {
        await WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (TryFind(gateway, provider, alias, out _))
            {
                return null;
            }

            var config = new ProviderConfig
            {
                Id = SecretGenerator.NewId(),
                GatewayId = gateway.Id,
                GatewayInternalId = gateway.InternalId,
                ProviderSlug = provider,
                Alias = alias,
                SecretPreview = preview,
                DefaultConfig = defaultConfig,
                CreatedAt = _time.GetUtcNow(),
                Sealed = SecretBox.Seal(_masterKey, secret, gateway.Id, provider, alias),
            };
            await PutAsync(config).ConfigureAwait(false);
            return config;
        }
        finally
        {
            WriteLock.Release();
        }
    }

    /// <summary>Deletes a stored key of <paramref name="gateway"/>; null when it has none with that id.</summary>
    public async ValueTask<ProviderConfig?> DeleteAsync(GatewaySettings gateway, string id, CancellationToken cancellationToken)
    {
        await WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!Current.TryGetValue(id, out var config) || config.GatewayId != gateway.Id || config.GatewayInternalId != gateway.InternalId)
            {
                return null;
            }

            await RemoveAsync(id).ConfigureAwait(false);
            return config;
        }
        finally
        {
            WriteLock.Release();
        }
    }

    protected override void OnPublish(IReadOnlyDictionary<string, ProviderConfig> records)
    {
        // Secrets opened by the previous snapshot are reused: each is decrypted once in the life of the process.
        var previous = Volatile.Read(ref _snapshot).ById;
        var byId = new Dictionary<string, StoredKey>(records.Count, StringComparer.Ordinal);
        var byGateway = new Dictionary<string, List<StoredKey>>(StringComparer.Ordinal);
        foreach (var config in records.Values)
        {
            if (!previous.TryGetValue(config.Id, out var key) || !ReferenceEquals(key.Config, config))
            {
                key = Open(config);
            }

            byId[config.Id] = key;
            if (!byGateway.TryGetValue(config.GatewayId, out var list))
            {
                byGateway[config.GatewayId] = list = [];
            }

            list.Add(key);
        }

        var lookup = new Dictionary<string, StoredKey[]>(byGateway.Count, StringComparer.Ordinal);
        foreach (var (gatewayId, list) in byGateway)
        {
            lookup[gatewayId] = [.. list];
        }

        Volatile.Write(ref _snapshot, new Snapshot(byId, lookup));
    }

    /// <inheritdoc />
    protected override bool Accepts(ProviderConfig record)
        => SecretBox.TryOpen(_masterKey, record.Sealed, record.GatewayId, record.ProviderSlug, record.Alias, out _);

    private StoredKey Open(ProviderConfig config)
    {
        if (!SecretBox.TryOpen(_masterKey, config.Sealed, config.GatewayId, config.ProviderSlug, config.Alias, out var secret))
        {
            // Start-up fails rather than serving a gateway whose stored keys silently vanished (MasterKey's remarks).
            throw new InvalidDataException(
                $"Stored provider key '{config.Id}' (gateway '{config.GatewayId}', provider '{config.ProviderSlug}') cannot be opened with this master key ({MasterKey.ConfigurationKey} or {MasterKey.FileName}).");
        }

        return new StoredKey(config, ProviderCatalog.Find(config.ProviderSlug) is { } descriptor ? InjectedCredential.For(descriptor.Auth, secret) : null);
    }


    private sealed record StoredKey(ProviderConfig Config, InjectedCredential? Credential);

    private sealed class Snapshot
    {
        public static readonly Snapshot Empty = new(new(StringComparer.Ordinal), new(StringComparer.Ordinal));

        public Snapshot(Dictionary<string, StoredKey> byId, Dictionary<string, StoredKey[]> byGateway)
        {
            ById = byId;
            Lookup = byGateway.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public Dictionary<string, StoredKey> ById { get; }

        /// <summary>Gateway id (as a span) → its keys.</summary>
        public Dictionary<string, StoredKey[]>.AlternateLookup<ReadOnlySpan<char>> Lookup { get; }
    }
}
