using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Gateway.Fast.Utilities;

namespace Gateway.Fast.Signing;

/// <summary>Signs an outgoing request with AWS Signature Version 4 (<c>AWS4-HMAC-SHA256</c>, header form).</summary>
/// <remarks>
/// <code>
/// 1. CanonicalRequest = METHOD \n URI \n Query \n Headers \n SignedHeaders \n hex(SHA256(body))   (SigV4Canonical)
/// 2. StringToSign     = "AWS4-HMAC-SHA256" \n yyyyMMddTHHmmssZ \n date/region/service/aws4_request \n hex(SHA256(1))
/// 3. Signature        = hex(HMAC(kSigning, 2)), kSigning derived from the secret per day (SigV4KeyCache)
/// 4. Authorization    = AWS4-HMAC-SHA256 Credential=AKID/scope, SignedHeaders=…, Signature=…
/// </code>
/// Signed headers: <c>host</c>, <c>content-type</c> when the body has one, and every <c>x-amz-*</c> header (the date,
/// the session token, the optional <c>x-amz-content-sha256</c>). Other headers are left out on purpose: a proxy or
/// the HTTP stack may still add or change them (<c>user-agent</c>, <c>content-length</c>, <c>traceparent</c>), and
/// a signed header that changes in flight fails the signature.
/// </remarks>
public static class SigV4Signer
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    private const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";
    private const int MaxStackHeaders = 16;

    /// <summary>
    /// Signs <paramref name="request"/> whose final body is <paramref name="body"/>: sets <c>x-amz-date</c>,
    /// <c>x-amz-security-token</c> (session credentials), optionally <c>x-amz-content-sha256</c>, then <c>Authorization</c>,
    /// replacing any earlier ones (a retried attempt is signed again with a fresh date).
    /// </summary>
    public static void Sign(HttpRequestMessage request, ReadOnlySpan<byte> body, AwsCredentials credentials, string service,
        DateTimeOffset now, bool addContentSha256 = false)
    {
        var uri = request.RequestUri;
        if (uri is null || !uri.IsAbsoluteUri)
        {
            throw new ArgumentException("A signed request needs an absolute URI.", nameof(request));
        }

        Span<char> amzDate = stackalloc char[16];
        FormatAmzDate(now, amzDate);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(body, hash);
        Span<char> payloadHex = stackalloc char[64];
        SigV4Encoding.WriteLowerHex(hash, payloadHex);

        var headers = request.Headers;
        headers.Remove("Authorization");
        headers.Remove("X-Amz-Date");
        headers.Remove("X-Amz-Security-Token");
        headers.Remove("X-Amz-Content-Sha256");
        headers.TryAddWithoutValidation("X-Amz-Date", amzDate.ToString());
        if (!string.IsNullOrEmpty(credentials.SessionToken))
        {
            headers.TryAddWithoutValidation("X-Amz-Security-Token", credentials.SessionToken);
        }

        if (addContentSha256)
        {
            headers.TryAddWithoutValidation("X-Amz-Content-Sha256", payloadHex.ToString());
        }

        var rented = ArrayPool<SigV4Header>.Shared.Rent(MaxStackHeaders);
        try
        {
            int count = CollectSignedHeaders(request, uri, ref rented);
            string authorization = Authorize(request.Method.Method, uri.AbsolutePath, uri.Query, rented.AsSpan(0, count),
                payloadHex, amzDate, credentials, service);
            headers.TryAddWithoutValidation("Authorization", authorization);
        }
        finally
        {
            rented.AsSpan().Clear();
            ArrayPool<SigV4Header>.Shared.Return(rented);
        }
    }

    /// <summary><see cref="Sign(HttpRequestMessage, ReadOnlySpan{byte}, AwsCredentials, string, DateTimeOffset, bool)"/> at <paramref name="clock"/>'s now.</summary>
    public static void Sign(HttpRequestMessage request, ReadOnlySpan<byte> body, AwsCredentials credentials, string service,
        TimeProvider clock, bool addContentSha256 = false)
        => Sign(request, body, credentials, service, clock.GetUtcNow(), addContentSha256);

    /// <summary>Steps 1 to 4 over headers already chosen; returns the <c>Authorization</c> value.</summary>
    internal static string Authorize(ReadOnlySpan<char> method, ReadOnlySpan<char> path, ReadOnlySpan<char> query,
        Span<SigV4Header> headers, ReadOnlySpan<char> payloadHex, ReadOnlySpan<char> amzDate, AwsCredentials credentials,
        string service)
    {
        var canonical = new ByteBuilder(512);
        var signedHeaders = new ByteBuilder(128);
        var stringToSign = new ByteBuilder(256);
        try
        {
            SigV4Canonical.WriteCanonicalRequest(ref canonical, method, path, query, headers, payloadHex, ref signedHeaders);
            WriteStringToSign(ref stringToSign, amzDate, credentials.Region, service, canonical.Written);
            Span<char> signature = stackalloc char[64];
            ComputeSignature(SigV4KeyCache.Get(credentials.SecretAccessKey, amzDate[..8], credentials.Region, service),
                stringToSign.Written, signature);
            return FormatAuthorization(credentials.AccessKeyId, amzDate[..8], credentials.Region, service,
                signedHeaders.Written, signature);
        }
        finally
        {
            canonical.Dispose();
            signedHeaders.Dispose();
            stringToSign.Dispose();
        }
    }

    /// <summary>Step 2: the string to sign for a canonical request.</summary>
    internal static void WriteStringToSign(ref ByteBuilder b, ReadOnlySpan<char> amzDate, string region, string service,
        ReadOnlySpan<byte> canonicalRequest)
    {
        b.AppendUtf8(Algorithm);
        b.Append((byte)'\n');
        b.AppendUtf8(amzDate);
        b.Append((byte)'\n');
        WriteScope(ref b, amzDate[..8], region, service);
        b.Append((byte)'\n');
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(canonicalRequest, hash);
        SigV4Encoding.WriteLowerHex(hash, b.AppendSpan(hash.Length * 2));
    }

    /// <summary>Step 3: <c>hex(HMAC-SHA256(signingKey, stringToSign))</c> into 64 chars.</summary>
    internal static void ComputeSignature(ReadOnlySpan<byte> signingKey, ReadOnlySpan<byte> stringToSign, Span<char> hex)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(signingKey, stringToSign, mac);
        SigV4Encoding.WriteLowerHex(mac, hex);
    }

    internal static void FormatAmzDate(DateTimeOffset now, Span<char> destination)
        => now.UtcDateTime.TryFormat(destination, out _, AmzDateFormat, CultureInfo.InvariantCulture);

    private static void WriteScope(ref ByteBuilder b, ReadOnlySpan<char> date, string region, string service)
    {
        b.AppendUtf8(date);
        b.Append((byte)'/');
        b.AppendUtf8(region);
        b.Append((byte)'/');
        b.AppendUtf8(service);
        b.Append("/aws4_request"u8);
    }

    private static string FormatAuthorization(string accessKeyId, ReadOnlySpan<char> date, string region, string service,
        ReadOnlySpan<byte> signedHeaders, ReadOnlySpan<char> signature)
    {
        var b = new ByteBuilder(256);
        try
        {
            b.AppendUtf8(Algorithm);
            b.Append(" Credential="u8);
            b.AppendUtf8(accessKeyId);
            b.Append((byte)'/');
            WriteScope(ref b, date, region, service);
            b.Append(", SignedHeaders="u8);
            b.Append(signedHeaders);
            b.Append(", Signature="u8);
            b.AppendUtf8(signature);
            return b.ToString();
        }
        finally
        {
            b.Dispose();
        }
    }

    /// <summary>host, content-type and every x-amz-* header of <paramref name="request"/>, one entry per value.</summary>
    private static int CollectSignedHeaders(HttpRequestMessage request, Uri uri, ref SigV4Header[] buffer)
    {
        int count = 0;
        string host = request.Headers.Host ?? (uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port.ToString(CultureInfo.InvariantCulture)}");
        Add(ref buffer, ref count, new SigV4Header("host", host));
        if (request.Content is { } content && content.Headers.NonValidated.TryGetValues("Content-Type", out var contentType))
        {
            foreach (string value in contentType)
            {
                Add(ref buffer, ref count, new SigV4Header("content-type", value));
            }
        }

        foreach (var header in request.Headers.NonValidated)
        {
            if (header.Key.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase))
            {
                foreach (string value in header.Value)
                {
                    Add(ref buffer, ref count, new SigV4Header(header.Key, value));
                }
            }
        }

        return count;
    }

    private static void Add(ref SigV4Header[] buffer, ref int count, SigV4Header header)
    {
        if (count == buffer.Length)
        {
            var bigger = ArrayPool<SigV4Header>.Shared.Rent(buffer.Length * 2);
            buffer.AsSpan().CopyTo(bigger);
            buffer.AsSpan().Clear();
            ArrayPool<SigV4Header>.Shared.Return(buffer);
            buffer = bigger;
        }

        buffer[count++] = header;
    }
}
