using Gateway.Fast.RateLimiting;

namespace Gateway.Fast.Access;

/// <summary>A team's API key (docs/gateway-api.md#team-api-keys) as stored: the <c>sk_</c> key's SHA-256, its team, and what a limited key may do.</summary>
/// <remarks>
/// <see cref="Id"/> is stable across refreshes, so limits and settings survive a rotation; only <see cref="Hash"/> changes.
/// <see cref="RateLimit"/>, <see cref="RateLimitPeriod"/> and <see cref="AllowedModels"/> are set by the operator and
/// apply only while <see cref="Limited"/> is true.
/// </remarks>
internal sealed record TeamKey : IHashedCredential, IStoredRecord
{
    public required string Id { get; init; }

    public required string TeamId { get; init; }

    public string Name { get; init; } = "";

    public bool Limited { get; init; }

    /// <summary>SHA-256 of the <c>sk_</c> key.</summary>
    public required byte[] Hash { get; init; }

    /// <summary>The key's last 4 characters.</summary>
    public string Hint { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the key was last rotated; null if never.</summary>
    public DateTimeOffset? RefreshedAt { get; init; }

    /// <summary>Requests per <see cref="RateLimitPeriod"/>, for limited keys; null = no per-key limit.</summary>
    public int? RateLimit { get; init; }

    /// <summary>Seconds.</summary>
    public int? RateLimitPeriod { get; init; }

    /// <summary>Models a limited key may call (exact names); null = any.</summary>
    public string[]? AllowedModels { get; init; }

    /// <summary>The per-key limit of a limited key; false when there is none.</summary>
    public bool TryGetRateLimit(out RateLimitPolicy policy)
    {
        if (Limited && RateLimit is > 0 and int limit && RateLimitPeriod is > 0 and int period)
        {
            policy = new RateLimitPolicy(limit, period);
            return true;
        }

        policy = default;
        return false;
    }

    /// <summary>False only for a limited key with an allowed-model list that does not name <paramref name="model"/>.</summary>
    public bool AllowsModel(ReadOnlySpan<char> model)
    {
        if (!Limited || AllowedModels is not { } allowed)
        {
            return true;
        }

        foreach (var name in allowed)
        {
            if (model.SequenceEqual(name))
            {
                return true;
            }
        }

        return false;
    }
}
