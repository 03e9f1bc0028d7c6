using System.Buffers;

namespace Gateway.Fast.Guardrails;

public static partial class DlpScanner
{
    // Every secret prefix contains one of these bytes at a fixed offset; see each check below for which.
    private static readonly SearchValues<byte> SecretAnchors = SearchValues.Create("-_ABb"u8);

    private static readonly SearchValues<byte> UpperAlnum = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"u8);

    private static readonly SearchValues<byte> Alnum =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"u8);

    private static readonly SearchValues<byte> AlnumUnderscore =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"u8);

    // RFC 6750 b64token: ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" then "="*.
    private static readonly SearchValues<byte> BearerBytes =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/="u8);

    /// <summary>Shortest token after a prefix that counts as a secret: real keys are far longer, prose words are shorter.</summary>
    private const int MinSecretBody = 20;

    /// <summary>Finds the first key or secret of <paramref name="enabled"/> starting at or after <paramref name="from"/>.</summary>
    internal static bool TryFindSecret(ReadOnlySpan<byte> text, int from, DlpEntries enabled, out DlpMatch match)
    {
        int search = from;
        while (search < text.Length)
        {
            int rel = text[search..].IndexOfAny(SecretAnchors);
            if (rel < 0)
            {
                break;
            }

            int p = search + rel;
            search = p + 1;
            bool found = text[p] switch
            {
                (byte)'-' => TryDash(text, from, p, enabled, out match),
                (byte)'_' => TryUnderscore(text, from, p, enabled, out match),
                (byte)'A' => TryCapitalA(text, p, enabled, out match),
                _ => TryBearer(text, p, enabled, out match),
            };
            if (found)
            {
                return true;
            }
        }

        match = default;
        return false;
    }

    /// <summary><c>sk-</c>, <c>sk-proj-</c>, <c>sk-ant-</c> (anchor: the dash after "sk"), <c>xox?-</c>, and PEM headers.</summary>
    private static bool TryDash(ReadOnlySpan<byte> text, int from, int p, DlpEntries enabled, out DlpMatch match)
    {
        if (p - 2 >= from && text[(p - 2)..p].SequenceEqual("sk"u8) && StartsToken(text, p - 2))
        {
            var kind = text[(p + 1)..].StartsWith("ant-"u8) ? DlpEntries.AnthropicKey : DlpEntries.OpenAIKey;
            if ((enabled & kind) != 0 && TokenAfter(text, p - 2, p + 1, TokenBytes, out match, kind))
            {
                return true;
            }
        }
        else if (p - 4 >= from && text[(p - 4)..(p - 1)].SequenceEqual("xox"u8) && "abpr"u8.Contains(text[p - 1])
            && StartsToken(text, p - 4) && (enabled & DlpEntries.SlackToken) != 0)
        {
            if (TokenAfter(text, p - 4, p + 1, TokenBytes, out match, DlpEntries.SlackToken, minBody: 10))
            {
                return true;
            }
        }
        else if ((enabled & DlpEntries.PrivateKey) != 0 && text[p..].StartsWith("-----BEGIN "u8))
        {
            return TryPem(text, p, out match);
        }

        match = default;
        return false;
    }

    /// <summary><c>gh[pousr]_</c>, <c>github_pat_</c> (anchor: its second '_'), <c>sk_live_</c>/<c>rk_live_</c> (anchor: the first '_').</summary>
    private static bool TryUnderscore(ReadOnlySpan<byte> text, int from, int p, DlpEntries enabled, out DlpMatch match)
    {
        if ((enabled & DlpEntries.GitHubToken) != 0)
        {
            if (p - 3 >= from && text[(p - 3)..(p - 1)].SequenceEqual("gh"u8) && "pousr"u8.Contains(text[p - 1]) && StartsToken(text, p - 3)
                && TokenAfter(text, p - 3, p + 1, Alnum, out match, DlpEntries.GitHubToken))
            {
                return true;
            }

            if (p - 10 >= from && text[(p - 10)..(p + 1)].SequenceEqual("github_pat_"u8) && StartsToken(text, p - 10)
                && TokenAfter(text, p - 10, p + 1, AlnumUnderscore, out match, DlpEntries.GitHubToken))
            {
                return true;
            }
        }

        if ((enabled & DlpEntries.StripeKey) != 0 && p - 2 >= from && text[(p - 1)..].StartsWith("k_live_"u8)
            && (text[p - 2] == 's' || text[p - 2] == 'r') && StartsToken(text, p - 2)
            && TokenAfter(text, p - 2, p + "_live_".Length, Alnum, out match, DlpEntries.StripeKey, minBody: 16))
        {
            return true;
        }

        match = default;
        return false;
    }

    /// <summary><c>AKIA</c>/<c>ASIA</c> + exactly 16 of <c>[0-9A-Z]</c>; <c>AIza</c> + exactly 35 of <c>[0-9A-Za-z_-]</c>.</summary>
    private static bool TryCapitalA(ReadOnlySpan<byte> text, int p, DlpEntries enabled, out DlpMatch match)
    {
        match = default;
        if (!StartsToken(text, p) || p + 4 > text.Length)
        {
            return false;
        }

        var prefix = text.Slice(p, 4);
        if ((enabled & DlpEntries.AwsAccessKey) != 0 && (prefix.SequenceEqual("AKIA"u8) || prefix.SequenceEqual("ASIA"u8)))
        {
            return ExactToken(text, p, 4, 16, UpperAlnum, TokenBytes, DlpEntries.AwsAccessKey, out match);
        }

        if ((enabled & DlpEntries.GoogleApiKey) != 0 && prefix.SequenceEqual("AIza"u8))
        {
            return ExactToken(text, p, 4, 35, TokenBytes, TokenBytes, DlpEntries.GoogleApiKey, out match);
        }

        return false;
    }

    /// <summary><c>Bearer</c> (any case), one or more spaces, then a b64token of 20 or more bytes.</summary>
    private static bool TryBearer(ReadOnlySpan<byte> text, int p, DlpEntries enabled, out DlpMatch match)
    {
        match = default;
        if ((enabled & DlpEntries.BearerToken) == 0 || p + 7 > text.Length || !StartsToken(text, p)
            || !System.Text.Ascii.EqualsIgnoreCase(text.Slice(p, 6), "bearer"u8) || text[p + 6] != ' ')
        {
            return false;
        }

        int tokenStart = p + 7;
        while (tokenStart < text.Length && text[tokenStart] == ' ')
        {
            tokenStart++;
        }

        return TokenAfter(text, p, tokenStart, BearerBytes, out match, DlpEntries.BearerToken);
    }

    /// <summary>From <c>-----BEGIN … PRIVATE KEY-----</c> through its <c>-----END … -----</c> line, or to the end of the text.</summary>
    /// <remarks>Without an END line the rest of the text is taken: masking too much is safer than leaving key material behind.</remarks>
    private static bool TryPem(ReadOnlySpan<byte> text, int p, out DlpMatch match)
    {
        match = default;
        var header = text[(p + "-----BEGIN ".Length)..];
        int close = header.IndexOf("-----"u8);
        if (close < 0 || close > 40 || !header[..close].EndsWith("PRIVATE KEY"u8))
        {
            return false;
        }

        int bodyStart = p + "-----BEGIN ".Length + close + 5;
        int end = text.Length;
        int endLine = text[bodyStart..].IndexOf("-----END "u8);
        if (endLine >= 0)
        {
            int afterEnd = bodyStart + endLine + "-----END ".Length;
            int endClose = text[afterEnd..].IndexOf("-----"u8);
            end = endClose < 0 ? text.Length : afterEnd + endClose + 5;
        }

        match = new DlpMatch(p, end - p, DlpEntries.PrivateKey);
        return true;
    }

    /// <summary>A prefix at <paramref name="start"/> followed by a body of <paramref name="allowed"/> bytes, at least <paramref name="minBody"/> long.</summary>
    private static bool TokenAfter(ReadOnlySpan<byte> text, int start, int bodyStart, SearchValues<byte> allowed, out DlpMatch match,
        DlpEntries kind, int minBody = MinSecretBody)
    {
        int body = bodyStart < text.Length ? RunLength(text, bodyStart, allowed) : 0;
        if (body < minBody)
        {
            match = default;
            return false;
        }

        match = new DlpMatch(start, bodyStart + body - start, kind);
        return true;
    }

    /// <summary>A fixed-length id: prefix, exactly <paramref name="bodyLength"/> of <paramref name="allowed"/>, then no token byte.</summary>
    private static bool ExactToken(ReadOnlySpan<byte> text, int start, int prefixLength, int bodyLength, SearchValues<byte> allowed,
        SearchValues<byte> continuation, DlpEntries kind, out DlpMatch match)
    {
        int bodyStart = start + prefixLength;
        int end = bodyStart + bodyLength;
        match = default;
        if (end > text.Length || text[bodyStart..end].ContainsAnyExcept(allowed) || (end < text.Length && continuation.Contains(text[end])))
        {
            return false;
        }

        match = new DlpMatch(start, end - start, kind);
        return true;
    }

    /// <summary>The byte before <paramref name="start"/> is not part of a token, so the prefix begins a word.</summary>
    private static bool StartsToken(ReadOnlySpan<byte> text, int start) => start == 0 || !TokenBytes.Contains(text[start - 1]);
}
