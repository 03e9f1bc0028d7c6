using System.Runtime.CompilerServices;

namespace Gateway.Fast.Guardrails;

/// <summary>Folds text for phrase matching: ASCII lower case, every run of whitespace to one space, other bytes kept.</summary>
/// <remarks>
/// "Ignore   ALL\nprevious instructions" and "ignore all previous instructions" then compare equal byte for byte, so a phrase
/// list needs one spelling per phrase. The output is never longer than the input.
/// </remarks>
public static class TextNormalizer
{
    /// <summary>Writes the folded <paramref name="source"/> to <paramref name="destination"/>; returns the bytes written.</summary>
    /// <param name="source">Text as UTF-8.</param>
    /// <param name="destination">At least as long as <paramref name="source"/>.</param>
    /// <param name="lastWasSpace">Carried across calls, so a stream folds the same as the whole text would; start with true to trim leading space.</param>
    public static int Normalize(ReadOnlySpan<byte> source, Span<byte> destination, ref bool lastWasSpace)
    {
        int n = 0;
        foreach (byte b in source)
        {
            if (IsSpace(b))
            {
                if (!lastWasSpace)
                {
                    destination[n++] = (byte)' ';
                    lastWasSpace = true;
                }

                continue;
            }

            destination[n++] = (uint)(b - 'A') <= 'Z' - 'A' ? (byte)(b | 0x20) : b;
            lastWasSpace = false;
        }

        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f' or (byte)'\v' or 0;
}
