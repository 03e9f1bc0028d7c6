using System.Runtime.CompilerServices;
using System.Text;

namespace Gateway.Fast.Guardrails;

/// <summary>A compiled list of phrases, each tagged with a bit, matched on whole words over <see cref="TextNormalizer"/> output.</summary>
/// <remarks>
/// Phrases are stored normalised and bucketed by first byte; matching visits each word start once and compares only the
/// phrases of that byte's bucket, so a 2 KiB prompt costs a few thousand byte compares and no allocation.
/// A phrase ending in <c>*</c> matches as a prefix (<c>behead*</c> matches "beheading"); otherwise the byte after it
/// must end the word. Words are ASCII letters and digits; any other byte (space, punctuation, UTF-8) separates.
/// </remarks>
public sealed class PhraseSet
{
    private readonly byte[][] _phrases;
    private readonly ulong[] _tags;
    private readonly bool[] _prefix;
    private readonly int[][] _buckets;

    public PhraseSet(IEnumerable<(string Phrase, ulong Tag)> phrases)
    {
        var list = new List<(byte[] Bytes, ulong Tag, bool Prefix)>();
        foreach (var (phrase, tag) in phrases)
        {
            bool prefix = phrase.EndsWith('*');
            var raw = Encoding.UTF8.GetBytes(prefix ? phrase[..^1] : phrase);
            var normal = new byte[raw.Length];
            bool space = true; // trims leading whitespace
            int n = TextNormalizer.Normalize(raw, normal, ref space);
            if (n > 0 && normal[n - 1] == ' ')
            {
                n--;
            }

            if (n > 0)
            {
                list.Add((normal[..n], tag, prefix));
                MaxLength = Math.Max(MaxLength, n);
            }
        }

        _phrases = new byte[list.Count][];
        _tags = new ulong[list.Count];
        _prefix = new bool[list.Count];
        var buckets = new List<int>[256];
        for (int i = 0; i < list.Count; i++)
        {
            (_phrases[i], _tags[i], _prefix[i]) = list[i];
            (buckets[_phrases[i][0]] ??= []).Add(i);
        }

        _buckets = new int[256][];
        for (int b = 0; b < 256; b++)
        {
            _buckets[b] = buckets[b]?.ToArray() ?? [];
        }
    }

    /// <summary>Longest phrase in bytes: the tail a stream keeps between chunks.</summary>
    public int MaxLength { get; }

    public int Count => _phrases.Length;

    /// <summary>
    /// ORs the tags of every phrase found in <paramref name="normalized"/>. Unless <paramref name="final"/>, a match that
    /// ends exactly at the end of the text is skipped: the next chunk might extend its last word ("kill" + "er"), and the
    /// stream keeps that tail to look again.
    /// </summary>
    /// <param name="normalized">Folded text.</param>
    /// <param name="final">False while a stream may still extend the text.</param>
    /// <param name="start">First byte a phrase may start at; earlier bytes are context (a stream's kept tail).</param>
    public ulong Match(ReadOnlySpan<byte> normalized, bool final = true, int start = 0)
    {
        ulong found = 0;
        for (int i = start; i < normalized.Length; i++)
        {
            if (i > 0 && IsWord(normalized[i - 1]))
            {
                continue; // not a word start
            }

            foreach (int p in _buckets[normalized[i]])
            {
                var phrase = _phrases[p];
                if (!normalized[i..].StartsWith(phrase))
                {
                    continue;
                }

                int end = i + phrase.Length;
                if (end == normalized.Length ? (final || _prefix[p]) : (_prefix[p] || !IsWord(normalized[end])))
                {
                    found |= _tags[p];
                }
            }
        }

        return found;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsWord(byte b) => (uint)(b - '0') <= 9 || (uint)(b - 'a') <= 'z' - 'a';
}
