namespace Gateway.Fast.Guardrails;

public static partial class DlpScanner
{
    private const int MinCardDigits = 13;
    private const int MaxCardDigits = 19;

    /// <summary>Finds the first payment card number starting at or after <paramref name="from"/>.</summary>
    /// <remarks>
    /// A candidate is a run of 13–19 digits, single spaces or dashes allowed between digits, not touching a letter or
    /// digit on either side, whose first digit is an issuer's (2 Mastercard, 3 Amex/Diners/JCB, 4 Visa, 5 Mastercard,
    /// 6 Discover/UnionPay) and whose Luhn sum is 0 mod 10. The Luhn check alone lets one random run in ten through;
    /// with the issuer digit about one in twenty, and runs longer than 19 digits never match.
    /// </remarks>
    internal static bool TryFindCard(ReadOnlySpan<byte> text, int from, out DlpMatch match)
    {
        Span<byte> digits = stackalloc byte[MaxCardDigits];
        int search = from;
        while (search < text.Length)
        {
            int rel = text[search..].IndexOfAnyInRange((byte)'0', (byte)'9');
            if (rel < 0)
            {
                break;
            }

            int start = search + rel;
            int count = 0;
            int i = start;
            bool tooLong = false;
            while (true)
            {
                if (count >= MaxCardDigits)
                {
                    tooLong = true;
                }
                else
                {
                    digits[count] = (byte)(text[i] - '0');
                }

                count++;
                i++;
                if (i < text.Length && IsDigit(text[i]))
                {
                    continue;
                }

                if (i + 1 < text.Length && (text[i] == ' ' || text[i] == '-') && IsDigit(text[i + 1]))
                {
                    i++;
                    continue;
                }

                break;
            }

            // The run [start, i) is consumed either way: a later search starts after it.
            search = i;
            bool touchesBefore = start > 0 && IsAlnum(text[start - 1]);
            bool touchesAfter = i < text.Length && IsAlnum(text[i]);
            if (tooLong || touchesBefore || touchesAfter || count < MinCardDigits || digits[0] < 2 || digits[0] > 6)
            {
                continue;
            }

            if (Luhn(digits[..count]))
            {
                match = new DlpMatch(start, i - start, DlpEntries.CreditCard);
                return true;
            }
        }

        match = default;
        return false;
    }

    private static bool Luhn(ReadOnlySpan<byte> digits)
    {
        int sum = 0;
        bool twice = false;
        for (int k = digits.Length - 1; k >= 0; k--)
        {
            int d = digits[k];
            if (twice)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            twice = !twice;
        }

        return sum % 10 == 0;
    }
}
