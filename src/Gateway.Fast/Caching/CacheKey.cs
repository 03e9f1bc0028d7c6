using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Fast.Caching;

/// <summary>The 32-byte SHA-256 that names one cached response (docs/gateway-api.md#caching); a value type, computed without allocating.</summary>
/// <remarks>
/// <para>Derived key: SHA-256 over <c>tag, 'D', gateway, generation, provider, path+query, SHA-256(credential headers), body</c>.
/// Custom key (<c>cf-aig-cache-key</c>): SHA-256 over <c>tag, 'C', gateway, generation, header value</c>, so one
/// gateway's custom keys never answer another's.</para>
/// <para>Every variable field is preceded by its byte length (int32 LE), so bytes cannot move from one field to the next
/// and still give the same key. Text fields are hashed as their UTF-16 code units: the key never leaves this process
/// family, and it saves a transcoding pass. The credential headers (<c>Authorization</c>, <c>x-api-key</c>,
/// <c>x-goog-api-key</c>, <c>api-key</c>) are hashed on their own first and only their digest enters the key; nothing
/// stores them. The generation is the gateway's purge counter (<see cref="ICacheStore.GetGeneration"/>): bumping it makes
/// every older key of that gateway unreachable.</para>
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public readonly struct CacheKey : IEquatable<CacheKey>
{
    /// <summary>Bytes in a key.</summary>
    public const int Size = 32;

    private static ReadOnlySpan<byte> Tag => "gateway.fast/cache/v1"u8;

    private static readonly string[] CredentialHeaders = ["Authorization", "x-api-key", "x-goog-api-key", "api-key"];

    private static readonly byte[] NoCredential = DigestOfNoCredential();

    [ThreadStatic]
    private static IncrementalHash? t_key;

    [ThreadStatic]
    private static IncrementalHash? t_credential;

    private const int ScratchBytes = 512;

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    /// <summary>The key of a request without <c>cf-aig-cache-key</c>.</summary>
    /// <param name="gatewayId">The gateway's id.</param>
    /// <param name="generation">The gateway's current generation from <see cref="ICacheStore.GetGeneration"/>.</param>
    /// <param name="provider">The provider slug as routed (<c>openai</c>).</param>
    /// <param name="pathAndQuery">What follows the provider in the URL, query string included.</param>
    /// <param name="requestHeaders">The caller's headers; only the credential headers are read.</param>
    /// <param name="body">The request body as received.</param>
    public static CacheKey Compute(ReadOnlySpan<char> gatewayId, long generation, ReadOnlySpan<char> provider,
        ReadOnlySpan<char> pathAndQuery, IHeaderDictionary requestHeaders, ReadOnlySpan<byte> body)
        => Compute(gatewayId, generation, provider, pathAndQuery, default, requestHeaders, body);

    /// <summary>As the other overload, with the path and the query string (<c>?…</c> or empty) apart, so the caller
    /// need not concatenate them; the key equals the one of <c>path + query</c>.</summary>
    public static CacheKey Compute(ReadOnlySpan<char> gatewayId, long generation, ReadOnlySpan<char> provider,
        ReadOnlySpan<char> path, ReadOnlySpan<char> query, IHeaderDictionary requestHeaders, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(requestHeaders);
        Span<byte> credential = stackalloc byte[Size];
        HashCredential(requestHeaders, credential);

        var hash = t_key ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        int small = Tag.Length + 9 + 4 * 5 + (gatewayId.Length + provider.Length + path.Length + query.Length) * 2 + Size;
        if (small <= ScratchBytes)
        {
            // Each AppendData is a call into the native SHA-256; one call for the small fields and one for the body
            // instead of eleven took a 300 B body from 1.9 µs to the figure in bench/ (same bytes, same key).
            Span<byte> scratch = stackalloc byte[ScratchBytes];
            var w = new FieldWriter(scratch);
            w.WritePrefix((byte)'D', gatewayId, generation);
            w.WriteField(MemoryMarshal.AsBytes(provider));
            w.WriteField(MemoryMarshal.AsBytes(path), MemoryMarshal.AsBytes(query));
            w.WriteField(credential);
            w.WriteLength(body.Length);
            hash.AppendData(scratch[..w.Written]);
            hash.AppendData(body);
            return Finish(hash);
        }

        AppendPrefix(hash, (byte)'D', gatewayId, generation);
        AppendField(hash, MemoryMarshal.AsBytes(provider));
        AppendLength(hash, (path.Length + query.Length) * 2);
        hash.AppendData(MemoryMarshal.AsBytes(path));
        hash.AppendData(MemoryMarshal.AsBytes(query));
        AppendField(hash, credential);
        AppendField(hash, body);
        return Finish(hash);
    }

    /// <summary>The key of a request with <c>cf-aig-cache-key</c>: the header value replaces everything but the gateway.</summary>
    public static CacheKey ForCustomKey(ReadOnlySpan<char> gatewayId, long generation, ReadOnlySpan<char> customKey)
    {
        var hash = t_key ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendPrefix(hash, (byte)'C', gatewayId, generation);
        AppendField(hash, MemoryMarshal.AsBytes(customKey));
        return Finish(hash);
    }

    /// <summary>Reads a key from its 32 bytes.</summary>
    public static CacheKey FromBytes(ReadOnlySpan<byte> bytes)
        => bytes.Length == Size ? MemoryMarshal.Read<CacheKey>(bytes) : throw new ArgumentException("A cache key is 32 bytes.", nameof(bytes));

    /// <summary>Writes the key's 32 bytes.</summary>
    public void CopyTo(Span<byte> destination) => MemoryMarshal.Write(destination, in this);

    public bool Equals(CacheKey other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    public override bool Equals(object? obj) => obj is CacheKey other && Equals(other);

    public override int GetHashCode() => (int)_a;

    /// <summary>Lower-case hex, for logs and tests.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    public static bool operator ==(CacheKey left, CacheKey right) => left.Equals(right);

    public static bool operator !=(CacheKey left, CacheKey right) => !left.Equals(right);

    private static void AppendPrefix(IncrementalHash hash, byte kind, ReadOnlySpan<char> gatewayId, long generation)
    {
        hash.AppendData(Tag);
        Span<byte> scratch = stackalloc byte[9];
        scratch[0] = kind;
        BinaryPrimitives.WriteInt64LittleEndian(scratch[1..], generation);
        hash.AppendData(scratch);
        AppendField(hash, MemoryMarshal.AsBytes(gatewayId));
    }

    /// <summary>SHA-256 over each credential header in a fixed order: its value count, then each value length-prefixed.</summary>
    /// <remarks>A caller whose provider key the gateway holds sends none of these headers, and the digest of none is the
    /// same every time: it is computed once (<see cref="NoCredential"/>), which saves a SHA-256 of its own on every cached
    /// request of such a caller. The bytes hashed are the same either way, so the keys are too.</remarks>
    private static void HashCredential(IHeaderDictionary headers, Span<byte> destination)
    {
        StringValues first = headers[CredentialHeaders[0]], second = headers[CredentialHeaders[1]],
            third = headers[CredentialHeaders[2]], fourth = headers[CredentialHeaders[3]];
        if (first.Count + second.Count + third.Count + fourth.Count == 0)
        {
            NoCredential.CopyTo(destination);
            return;
        }

        var hash = t_credential ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> scratch = stackalloc byte[ScratchBytes];
        var w = new FieldWriter(scratch);
        AppendCredential(hash, ref w, first);
        AppendCredential(hash, ref w, second);
        AppendCredential(hash, ref w, third);
        AppendCredential(hash, ref w, fourth);
        hash.AppendData(scratch[..w.Written]);
        hash.GetHashAndReset(destination);
    }

    private static void AppendCredential(IncrementalHash hash, ref FieldWriter w, StringValues values)
    {
        Flush(hash, ref w, 4);
        w.WriteLength(values.Count);
        for (int i = 0; i < values.Count; i++)
        {
            var value = MemoryMarshal.AsBytes((values[i] ?? string.Empty).AsSpan());
            if (4 + value.Length <= ScratchBytes)
            {
                Flush(hash, ref w, 4 + value.Length);
                w.WriteField(value);
            }
            else
            {
                Flush(hash, ref w, ScratchBytes);
                AppendField(hash, value);
            }
        }
    }

    /// <summary>The credential digest of a request without any credential header: four zero counts.</summary>
    private static byte[] DigestOfNoCredential()
    {
        Span<byte> counts = stackalloc byte[4 * 4];
        counts.Clear();
        return SHA256.HashData(counts);
    }

    /// <summary>Hashes what the scratch holds when <paramref name="next"/> more bytes would not fit.</summary>
    private static void Flush(IncrementalHash hash, ref FieldWriter w, int next)
    {
        if (w.Written + next > ScratchBytes)
        {
            hash.AppendData(w.Buffer[..w.Written]);
            w.Written = 0;
        }
    }

    private static void AppendField(IncrementalHash hash, ReadOnlySpan<byte> field)
    {
        AppendLength(hash, field.Length);
        hash.AppendData(field);
    }

    private static void AppendLength(IncrementalHash hash, int value)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, value);
        hash.AppendData(length);
    }

    private static CacheKey Finish(IncrementalHash hash)
    {
        Span<byte> digest = stackalloc byte[Size];
        hash.GetHashAndReset(digest);
        return MemoryMarshal.Read<CacheKey>(digest);
    }

    /// <summary>Lays fields out exactly as <see cref="AppendField"/> feeds them to the hash, into a stack buffer.</summary>
    private ref struct FieldWriter(Span<byte> buffer)
    {
        public readonly Span<byte> Buffer = buffer;
        public int Written;

        public void WritePrefix(byte kind, ReadOnlySpan<char> gatewayId, long generation)
        {
            Tag.CopyTo(Buffer[Written..]);
            Written += Tag.Length;
            Buffer[Written] = kind;
            BinaryPrimitives.WriteInt64LittleEndian(Buffer[(Written + 1)..], generation);
            Written += 9;
            WriteField(MemoryMarshal.AsBytes(gatewayId));
        }

        public void WriteLength(int length)
        {
            BinaryPrimitives.WriteInt32LittleEndian(Buffer[Written..], length);
            Written += 4;
        }

        public void WriteField(ReadOnlySpan<byte> field) => WriteField(field, default);

        /// <summary>One field made of two parts: one length prefix, then both.</summary>
        public void WriteField(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
        {
            WriteLength(first.Length + second.Length);
            first.CopyTo(Buffer[Written..]);
            second.CopyTo(Buffer[(Written + first.Length)..]);
            Written += first.Length + second.Length;
        }
    }
}
