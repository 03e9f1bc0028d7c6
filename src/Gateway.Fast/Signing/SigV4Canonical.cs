using System.Runtime.CompilerServices;
using Gateway.Fast.Utilities;

namespace Gateway.Fast.Signing;

/// <summary>Writes SigV4's canonical request (task 1 of the AWS signing process) as UTF-8.</summary>
/// <remarks>
/// <code>
/// METHOD \n CanonicalURI \n CanonicalQuery \n (name:value \n)* \n SignedHeaders \n HexPayloadHash
/// </code>
/// <list type="bullet">
/// <item>URI: the path as sent on the wire, normalised (RFC 3986 dot segments removed, empty segments dropped) and
/// percent-encoded once more, so Bedrock's <c>/model/amazon.nova-pro-v1%3A0/converse</c> signs as
/// <c>/model/amazon.nova-pro-v1%253A0/converse</c>, which is what botocore computes. S3 is the one service that signs
/// its wire path unchanged (<c>s3Path</c> on <see cref="WriteCanonicalRequest"/>).</item>
/// <item>Query: each key and value decoded, then encoded again, sorted by key then value (byte order).</item>
/// <item>Headers: names lower-cased and sorted, values trimmed with inner whitespace runs (line folds too) made one
/// space, a repeated name joined by <c>,</c> in arrival order.</item>
/// </list>
/// </remarks>
internal static class SigV4Canonical
{
    public static void WriteCanonicalRequest(ref ByteBuilder b, ReadOnlySpan<char> method, ReadOnlySpan<char> path,
        ReadOnlySpan<char> query, Span<SigV4Header> headers, ReadOnlySpan<char> payloadHashHex, ref ByteBuilder signedHeaders,
        bool s3Path = false)
    {
        b.AppendUtf8(method);
        b.Append((byte)'\n');
        if (s3Path)
        {
            b.AppendUtf8(path.IsEmpty ? "/" : path);
        }
        else
        {
            WriteUri(ref b, path);
        }

        b.Append((byte)'\n');
        WriteQuery(ref b, query);
        b.Append((byte)'\n');
        SortByLowerName(headers);
        WriteHeaders(ref b, headers, ref signedHeaders);
        b.Append((byte)'\n');
        b.Append(signedHeaders.Written);
        b.Append((byte)'\n');
        b.AppendUtf8(payloadHashHex);
    }

    /// <summary>The canonical URI of a non-S3 request: dot segments resolved, <c>//</c> collapsed, each segment encoded.</summary>
    public static void WriteUri(ref ByteBuilder b, ReadOnlySpan<char> path)
    {
        int parts = path.Count('/') + 1;
        Span<int> stack = parts <= 32 ? stackalloc int[64] : new int[parts * 2];
        int depth = 0;
        bool trailing = false;
        int start = 0;
        while (start <= path.Length)
        {
            int slash = path[start..].IndexOf('/');
            int end = slash < 0 ? path.Length : start + slash;
            var segment = path[start..end];
            trailing = segment.IsEmpty || segment is "." || segment is "..";
            if (segment is "..")
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (!segment.IsEmpty && segment is not ".")
            {
                stack[2 * depth] = start;
                stack[(2 * depth) + 1] = end - start;
                depth++;
            }

            start = end + 1;
        }

        b.Append((byte)'/');
        for (int i = 0; i < depth; i++)
        {
            if (i > 0)
            {
                b.Append((byte)'/');
            }

            SigV4Encoding.AppendEncoded(ref b, path.Slice(stack[2 * i], stack[(2 * i) + 1]));
        }

        if (trailing && depth > 0)
        {
            b.Append((byte)'/');
        }
    }

    /// <summary>The canonical query string: parameters re-encoded, sorted by key then value, <c>key=</c> for a bare key.</summary>
    public static void WriteQuery(ref ByteBuilder b, ReadOnlySpan<char> query)
    {
        if (!query.IsEmpty && query[0] == '?')
        {
            query = query[1..];
        }

        if (query.IsEmpty)
        {
            return;
        }

        int parts = query.Count('&') + 1;
        // Per parameter: offset of "key=value" in scratch, length of the key, total length.
        Span<int> spans = parts <= 16 ? stackalloc int[48] : new int[parts * 3];
        var scratch = new ByteBuilder(query.Length * 3 + 16);
        try
        {
            int count = 0;
            foreach (var range in query.Split('&'))
            {
                var pair = query[range];
                if (pair.IsEmpty)
                {
                    continue;
                }

                int eq = pair.IndexOf('=');
                int offset = scratch.Length;
                SigV4Encoding.AppendReencoded(ref scratch, eq < 0 ? pair : pair[..eq]);
                int keyLength = scratch.Length - offset;
                scratch.Append((byte)'=');
                if (eq >= 0)
                {
                    SigV4Encoding.AppendReencoded(ref scratch, pair[(eq + 1)..]);
                }

                spans[3 * count] = offset;
                spans[(3 * count) + 1] = keyLength;
                spans[(3 * count) + 2] = scratch.Length - offset;
                count++;
            }

            var bytes = scratch.Written;
            // Insertion sort: a query has a handful of parameters, and the sort must not allocate.
            for (int i = 1; i < count; i++)
            {
                int o = spans[3 * i], k = spans[(3 * i) + 1], t = spans[(3 * i) + 2];
                int j = i - 1;
                while (j >= 0 && Compare(bytes, spans[3 * j], spans[(3 * j) + 1], spans[(3 * j) + 2], o, k, t) > 0)
                {
                    spans.Slice(3 * j, 3).CopyTo(spans.Slice(3 * (j + 1), 3));
                    j--;
                }

                spans[3 * (j + 1)] = o;
                spans[(3 * (j + 1)) + 1] = k;
                spans[(3 * (j + 1)) + 2] = t;
            }

            for (int i = 0; i < count; i++)
            {
                if (i > 0)
                {
                    b.Append((byte)'&');
                }

                b.Append(bytes.Slice(spans[3 * i], spans[(3 * i) + 2]));
            }
        }
        finally
        {
            scratch.Dispose();
        }
    }

    private static int Compare(ReadOnlySpan<byte> bytes, int o1, int k1, int t1, int o2, int k2, int t2)
    {
        int byKey = bytes.Slice(o1, k1).SequenceCompareTo(bytes.Slice(o2, k2));
        return byKey != 0 ? byKey : bytes.Slice(o1 + k1, t1 - k1).SequenceCompareTo(bytes.Slice(o2 + k2, t2 - k2));
    }

    /// <summary>Stable insertion sort by lower-cased name, so a repeated header keeps its values' order.</summary>
    public static void SortByLowerName(Span<SigV4Header> headers)
    {
        for (int i = 1; i < headers.Length; i++)
        {
            var item = headers[i];
            int j = i - 1;
            while (j >= 0 && CompareLower(headers[j].Name, item.Name) > 0)
            {
                headers[j + 1] = headers[j];
                j--;
            }

            headers[j + 1] = item;
        }
    }

    private static void WriteHeaders(ref ByteBuilder b, ReadOnlySpan<SigV4Header> sorted, ref ByteBuilder signedHeaders)
    {
        for (int i = 0; i < sorted.Length; i++)
        {
            bool continues = i > 0 && CompareLower(sorted[i - 1].Name, sorted[i].Name) == 0;
            if (continues)
            {
                b.Append((byte)',');
            }
            else
            {
                if (i > 0)
                {
                    b.Append((byte)'\n');
                    signedHeaders.Append((byte)';');
                }

                int at = b.Length;
                AppendLower(ref b, sorted[i].Name);
                signedHeaders.Append(b.Written[at..]);
                b.Append((byte)':');
            }

            WriteValue(ref b, sorted[i].Value);
        }

        if (sorted.Length > 0)
        {
            b.Append((byte)'\n');
        }
    }

    /// <summary>A header value trimmed, with each run of spaces, tabs and line breaks inside it made one space.</summary>
    private static void WriteValue(ref ByteBuilder b, ReadOnlySpan<char> value)
    {
        bool wrote = false;
        while (!value.IsEmpty)
        {
            int word = value.IndexOfAnyExcept(" \t\r\n");
            if (word < 0)
            {
                return;
            }

            value = value[word..];
            int end = value.IndexOfAny(" \t\r\n");
            if (wrote)
            {
                b.Append((byte)' ');
            }

            b.AppendUtf8(end < 0 ? value : value[..end]);
            wrote = true;
            value = end < 0 ? default : value[end..];
        }
    }

    private static void AppendLower(ref ByteBuilder b, ReadOnlySpan<char> name)
    {
        foreach (char c in name)
        {
            b.Append((byte)Lower(c));
        }
    }

    private static int CompareLower(ReadOnlySpan<char> x, ReadOnlySpan<char> y)
    {
        int n = Math.Min(x.Length, y.Length);
        for (int i = 0; i < n; i++)
        {
            int d = Lower(x[i]) - Lower(y[i]);
            if (d != 0)
            {
                return d;
            }
        }

        return x.Length - y.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static char Lower(char c) => c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c;
}
