using System.Security.Cryptography;
using System.Text;
using Gateway.Fast.Access;

namespace Gateway.Fast.Fleet;

/// <summary>Tells whether this replica's master key is the fleet's without either key leaving its replica: each replica
/// compares an HMAC of a fixed text under its key with the one the first replica stored in Redis.</summary>
internal static class MasterKeyCheck
{
    private static readonly byte[] Text = Encoding.ASCII.GetBytes("gateway.fast/fleet/master-key-check/v1");

    public static string Compute(MasterKey key) => Convert.ToBase64String(HMACSHA256.HashData(key.Key, Text));
}

/// <summary>Whether this replica's master key matches the fleet's (<c>/health</c>'s <c>master_key</c>).</summary>
public enum MasterKeyState : byte
{
    /// <summary>Not compared yet (Redis not reached since start).</summary>
    Unknown,

    Matches,

    /// <summary>Stored provider keys written by other replicas cannot be opened here (and are not applied).</summary>
    Differs,
}
