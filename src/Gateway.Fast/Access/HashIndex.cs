using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Gateway.Fast.Access;

/// <summary>An immutable map from token digest to entry, built on each (rare) change and read lock-free.</summary>
/// <remarks>
/// The dictionary is keyed by the digest's first 8 bytes only; the whole 32 bytes are then compared with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>. Two digests sharing 8 bytes by chance share a bucket, so a
/// bucket is an array (of one, in practice).
/// </remarks>
internal sealed class HashIndex<T> where T : class, IHashedCredential
{
    public static readonly HashIndex<T> Empty = new([]);

    private readonly Dictionary<ulong, T[]> _byPrefix;

    public HashIndex(IEnumerable<T> entries)
    {
        _byPrefix = [];
        foreach (var entry in entries)
        {
            ulong prefix = TokenHasher.Prefix(entry.Hash);
            _byPrefix[prefix] = _byPrefix.TryGetValue(prefix, out var bucket) ? [.. bucket, entry] : [entry];
        }
    }

    /// <summary>The entry whose digest equals <paramref name="digest"/>; no allocation.</summary>
    public bool TryFind(ReadOnlySpan<byte> digest, [MaybeNullWhen(false)] out T entry)
    {
        if (_byPrefix.TryGetValue(TokenHasher.Prefix(digest), out var bucket))
        {
            foreach (var candidate in bucket)
            {
                if (CryptographicOperations.FixedTimeEquals(candidate.Hash, digest))
                {
                    entry = candidate;
                    return true;
                }
            }
        }

        entry = null;
        return false;
    }
}

/// <summary>Something the gateway knows only by the SHA-256 of its secret.</summary>
internal interface IHashedCredential
{
    /// <summary>SHA-256 of the secret, 32 bytes.</summary>
    byte[] Hash { get; }
}
