using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Gateway.Fast.Utilities;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Logging;

/// <summary>The response headers the gateway sent, kept for the log row in pooled memory: credentials and cookies left out.</summary>
/// <remarks>
/// <code>
/// headers = pair*      to the end of the section
/// pair    = i32 name-length name-UTF-8  i32 value-length value-UTF-8     (a header with two values is two pairs)
/// </code>
/// Stored beside the bodies, not in the row's record: a provider sends 10–25 headers (~0.5–1 KiB), which would double
/// the record the metadata store keeps in memory for every row, and only the request drawer reads them. Reused with its
/// request context, so a logged request writes them with no allocation of its own.
/// </remarks>
public sealed class ResponseHeaderCapture
{
    /// <summary>More than any real response's headers (Kestrel's own limit on a request's is 32 KiB); later ones are left out.</summary>
    public const int MaxBytes = 16 * 1024;

    private byte[] _buffer = [];
    private int _length;

    /// <summary>The encoded pairs of the last <see cref="Capture"/>.</summary>
    public ReadOnlySpan<byte> Encoded => _buffer.AsSpan(0, _length);

    /// <summary>Encodes the headers <see cref="ShouldKeep"/> allows, in the order the response holds them.</summary>
    public void Capture(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        _length = 0;
        foreach (var header in headers)
        {
            if (!ShouldKeep(header.Key))
            {
                continue;
            }

            foreach (var value in header.Value)
            {
                if (!TryAppend(header.Key, value ?? ""))
                {
                    return; // past MaxBytes: the headers so far stay
                }
            }
        }
    }

    public void Reset()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        _length = 0;
    }

    /// <summary>False for headers that carry a credential or a session: authorization, keys, tokens, cookies.</summary>
    /// <remarks>A response rarely carries any of these, but a provider or a proxy in front of it may echo one, and a log
    /// row is read by everyone with the management token: the names are refused whatever their value. Rate-limit
    /// headers that count tokens (<c>x-ratelimit-remaining-tokens</c>) are kept: they end in "tokens", not "token".</remarks>
    public static bool ShouldKeep(string name) => Verdicts.Get(name);

    // A response's header names come from a small set, and each of them took seven case-insensitive searches per
    // logged request (2 % of a cache HIT's CPU in a profile); the verdict is kept per name.
    private static readonly StringMemo<bool> Verdicts = new(Decide);

    private static bool Decide(string name)
        => name.Length > 0
            && !name.Contains("cookie", StringComparison.OrdinalIgnoreCase) // Set-Cookie, Cookie
            && !name.Contains("auth", StringComparison.OrdinalIgnoreCase) // Authorization, Proxy-Authorization, cf-aig-authorization
            && !name.Contains("api-key", StringComparison.OrdinalIgnoreCase) // api-key, x-api-key, x-goog-api-key
            && !name.Contains("apikey", StringComparison.OrdinalIgnoreCase)
            && !name.Contains("secret", StringComparison.OrdinalIgnoreCase)
            && !name.EndsWith("key", StringComparison.OrdinalIgnoreCase) // Ocp-Apim-Subscription-Key
            && !name.EndsWith("token", StringComparison.OrdinalIgnoreCase); // x-amz-security-token, x-csrf-token

    /// <summary>Decodes stored pairs (cold path: the logs API); a header with several values is one entry, joined with ", ".</summary>
    /// <returns>Names lower-cased, as HTTP/2 sends them, in stored order; null when the bytes are malformed.</returns>
    public static List<KeyValuePair<string, string>>? Read(ReadOnlySpan<byte> encoded)
    {
        var headers = new List<KeyValuePair<string, string>>();
        while (!encoded.IsEmpty)
        {
            if (!TryReadString(ref encoded, out var name) || !TryReadString(ref encoded, out var value))
            {
                return null;
            }

            name = name.ToLowerInvariant();
            int same = headers.FindIndex(h => h.Key == name);
            if (same >= 0)
            {
                headers[same] = new(name, headers[same].Value + ", " + value);
            }
            else
            {
                headers.Add(new(name, value));
            }
        }

        return headers;
    }

    private static bool TryReadString(ref ReadOnlySpan<byte> encoded, out string value)
    {
        value = "";
        if (encoded.Length < 4)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(encoded);
        if ((uint)length > (uint)(encoded.Length - 4))
        {
            return false;
        }

        value = Encoding.UTF8.GetString(encoded.Slice(4, length));
        encoded = encoded[(4 + length)..];
        return true;
    }

    private bool TryAppend(string name, string value)
    {
        // Header names and values are ASCII in practice, so the UTF-8 upper bound (3 bytes a char) nearly always fits the
        // buffer as it is: then the pair is written without first counting its bytes (two more passes over each string).
        long bound = 8 + (3L * name.Length) + (3L * value.Length);
        if (_length + bound <= Math.Min(_buffer.Length, MaxBytes))
        {
            Write(name);
            Write(value);
            return true;
        }

        int needed = 8 + Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(value);
        if (_length + needed > MaxBytes)
        {
            return false;
        }

        if (_length + needed > _buffer.Length)
        {
            Grow(_length + needed);
        }

        Write(name);
        Write(value);
        return true;
    }

    private void Write(string text)
    {
        var span = _buffer.AsSpan(_length);
        int written = Encoding.UTF8.GetBytes(text, span[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(span, written);
        _length += 4 + written;
    }

    private void Grow(int needed)
    {
        // 1 KiB holds a typical provider's headers in one rent; the pool's buckets double from there.
        var next = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(1024, _buffer.Length * 2)));
        _buffer.AsSpan(0, _length).CopyTo(next);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = next;
    }
}
