using System.Buffers;
using System.Runtime.CompilerServices;

namespace Gateway.Fast.Guardrails;

/// <summary>The DLP detectors: hand-written scanners over UTF-8 text that allocate nothing and never backtrack.</summary>
/// <remarks>
/// Three families, each anchored on a byte that vectorised <c>IndexOf</c> finds quickly: e-mail on <c>'@'</c>, cards on
/// the first digit of a run, secrets on the separator or capital their prefixes carry (<c>-</c>, <c>_</c>, <c>A</c>, <c>B</c>/<c>b</c>).
/// <see cref="DlpMatchEnumerator"/> merges the families into one ordered, non-overlapping sequence.
/// A scanner never reaches before <c>from</c>, so matches after an earlier match cannot overlap it.
/// </remarks>
public static partial class DlpScanner
{
    /// <summary>Bytes a secret token is made of (base64url plus '.'): a neighbour in this set means we are inside a longer token.</summary>
    private static readonly SearchValues<byte> TokenBytes =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"u8);

    /// <summary>True when <paramref name="text"/> holds at least one match of <paramref name="enabled"/>; returns the detectors seen.</summary>
    public static DlpEntries Detect(ReadOnlySpan<byte> text, DlpEntries enabled)
    {
        var found = DlpEntries.None;
        var e = new DlpMatchEnumerator(text, enabled);
        while (e.MoveNext())
        {
            found |= e.Current.Entry;
        }

        return found;
    }

    /// <summary>
    /// The detectors seen in <paramref name="text"/> from <paramref name="start"/> on. Unless <paramref name="final"/>, a card or a
    /// fixed-length key id that ends exactly at the end of the text is left out: the next chunk may extend it into something
    /// that is not one ("AKIA…" + one more character), and a stream's kept tail lets it be judged then.
    /// </summary>
    public static DlpEntries Detect(ReadOnlySpan<byte> text, DlpEntries enabled, int start, bool final)
    {
        var found = DlpEntries.None;
        var e = new DlpMatchEnumerator(text, enabled, start);
        while (e.MoveNext())
        {
            var m = e.Current;
            if (final || m.End < text.Length || (m.Entry & Extendable) == 0)
            {
                found |= m.Entry;
            }
        }

        return found;
    }

    /// <summary>Detectors whose match can stop being one when more text follows it.</summary>
    private const DlpEntries Extendable = DlpEntries.CreditCard | DlpEntries.AwsAccessKey | DlpEntries.GoogleApiKey;

    /// <summary>Enumerates the matches of <paramref name="enabled"/> in <paramref name="text"/> from left to right.</summary>
    public static DlpMatchEnumerator EnumerateMatches(ReadOnlySpan<byte> text, DlpEntries enabled) => new(text, enabled);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsAlnum(byte b) => (uint)(b - '0') <= 9 || (uint)((b | 0x20) - 'a') <= 'z' - 'a';

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    /// <summary>Length of the run of <paramref name="allowed"/> bytes starting at <paramref name="start"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RunLength(ReadOnlySpan<byte> text, int start, SearchValues<byte> allowed)
    {
        int n = text[start..].IndexOfAnyExcept(allowed);
        return n < 0 ? text.Length - start : n;
    }
}
