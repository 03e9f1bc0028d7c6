using System.Runtime.CompilerServices;

namespace Gateway.Fast.RateLimiting;

/// <summary>Names one counter: a gateway, or a (gateway, team), (gateway, API key) or (gateway, caller key) pair.</summary>
/// <remarks>
/// The hash is computed once in the constructor, so a key built once per <c>GatewaySettings</c> snapshot costs a
/// lookup nothing but the dictionary probe; equality compares the hash, the scope, then the strings (which compare
/// references first). Nothing here allocates: a caller key keeps a reference to the header's string as Kestrel made it.
/// </remarks>
public readonly struct RateLimitKey : IEquatable<RateLimitKey>
{
    private readonly int _hash;

    private RateLimitKey(RateLimitScope scope, string gatewayId, string? subId)
    {
        ArgumentNullException.ThrowIfNull(gatewayId);
        Scope = scope;
        GatewayId = gatewayId;
        SubId = subId;
        _hash = HashCode.Combine((byte)scope, gatewayId.GetHashCode(), subId?.GetHashCode() ?? 0);
    }

    public RateLimitScope Scope { get; }

    /// <summary>The gateway id (<c>GatewaySettings.Id</c>); null only for <c>default(RateLimitKey)</c>.</summary>
    public string GatewayId { get; }

    /// <summary>The team id, API key id or caller key inside the gateway; null for <see cref="RateLimitScope.Gateway"/>.</summary>
    public string? SubId { get; }

    public static RateLimitKey ForGateway(string gatewayId) => new(RateLimitScope.Gateway, gatewayId, null);

    public static RateLimitKey ForTeam(string gatewayId, string teamId)
    {
        ArgumentNullException.ThrowIfNull(teamId);
        return new(RateLimitScope.Team, gatewayId, teamId);
    }

    public static RateLimitKey ForApiKey(string gatewayId, string keyId)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        return new(RateLimitScope.ApiKey, gatewayId, keyId);
    }

    /// <summary>The gateway's own limit counted for one caller (<c>cf-aig-rate-limit-key</c>, see <c>RateLimitKeyHeader</c>).</summary>
    public static RateLimitKey ForCaller(string gatewayId, string callerKey)
    {
        ArgumentNullException.ThrowIfNull(callerKey);
        return new(RateLimitScope.Caller, gatewayId, callerKey);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Equals(RateLimitKey other)
        => _hash == other._hash
            && Scope == other.Scope
            && string.Equals(GatewayId, other.GatewayId)
            && string.Equals(SubId, other.SubId);

    public override bool Equals(object? obj) => obj is RateLimitKey other && Equals(other);

    public override int GetHashCode() => _hash;

    public static bool operator ==(RateLimitKey left, RateLimitKey right) => left.Equals(right);

    public static bool operator !=(RateLimitKey left, RateLimitKey right) => !left.Equals(right);

    /// <summary>For logs and debugging (allocates); e.g. <c>gateway:my-gw</c> or <c>team:my-gw/team-a</c>.</summary>
    public override string ToString() => SubId is null
        ? $"{ScopeName}:{GatewayId}"
        : $"{ScopeName}:{GatewayId}/{SubId}";

    private string ScopeName => Scope switch
    {
        RateLimitScope.Gateway => "gateway",
        RateLimitScope.Team => "team",
        RateLimitScope.ApiKey => "api-key",
        RateLimitScope.Caller => "caller",
        _ => "unknown",
    };
}
