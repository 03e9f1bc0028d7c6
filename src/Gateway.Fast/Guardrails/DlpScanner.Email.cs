using System.Buffers;

namespace Gateway.Fast.Guardrails;

public static partial class DlpScanner
{
    // RFC 5321's practical subset: dot-atom local parts and LDH domains. Quoted local parts are not worth the cost.
    private static readonly SearchValues<byte> LocalPartBytes =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.!#$%&'*+/=?^_`{|}~-"u8);

    private static readonly SearchValues<byte> DomainBytes =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-"u8);

    /// <summary>Finds the first e-mail address whose local part starts at or after <paramref name="from"/>.</summary>
    internal static bool TryFindEmail(ReadOnlySpan<byte> text, int from, out DlpMatch match)
    {
        int search = from;
        while (search < text.Length)
        {
            int rel = text[search..].IndexOf((byte)'@');
            if (rel < 0)
            {
                break;
            }

            int at = search + rel;
            search = at + 1;

            // Local part: walk left, at most 64 bytes (RFC 5321 §4.5.3.1.1), never before `from`.
            int start = at;
            while (start > from && at - start < 64 && LocalPartBytes.Contains(text[start - 1]))
            {
                start--;
            }

            while (start < at && text[start] == '.')
            {
                start++; // "see.foo@x" in prose: a leading dot is sentence punctuation
            }

            if (start == at)
            {
                continue;
            }

            int end = at + 1 + (at + 1 < text.Length ? RunLength(text, at + 1, DomainBytes) : 0);
            while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-'))
            {
                end--; // "write to a@b.com." — the sentence's full stop is not the domain's
            }

            if (IsDomain(text[(at + 1)..end]))
            {
                match = new DlpMatch(start, end - start, DlpEntries.Email);
                return true;
            }
        }

        match = default;
        return false;
    }

    /// <summary>At least two non-empty labels, none starting with '-', a final label of two or more letters.</summary>
    private static bool IsDomain(ReadOnlySpan<byte> domain)
    {
        int lastDot = domain.LastIndexOf((byte)'.');
        if (lastDot <= 0 || domain.Length - lastDot - 1 < 2 || domain.IndexOf(".."u8) >= 0 || domain[0] == '-')
        {
            return false;
        }

        foreach (byte b in domain[(lastDot + 1)..])
        {
            if ((uint)((b | 0x20) - 'a') > 'z' - 'a')
            {
                return false;
            }
        }

        return true;
    }
}
