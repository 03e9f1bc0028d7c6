using System.Buffers;

namespace Gateway.Fast.Guardrails;

/// <summary>Checks response text as it streams, for DLP and guardrails at once, finding matches split across chunks.</summary>
/// <remarks>
/// <code>
///   raw window:    [ kept tail (≤ 256 B) | new text ]  → DLP detectors, custom patterns
///   folded window: [ kept tail (longest phrase + 1) | folded new text ] → built-in phrases, custom terms
/// </code>
/// Each <see cref="Feed"/> scans the window, ORs what it finds into the verdict, then keeps only the tail, so a key or a
/// phrase cut in two by a chunk boundary is whole in the next window. The tail's first byte is context only (matches
/// start after it), so a trimmed word is not mistaken for a word start. A match that touches the end of the window and
/// could still change with more text waits for the next chunk, or for <see cref="Complete"/>.
/// Bounds: a DLP match longer than 256 bytes split across chunks is judged on its first 256 (enough for every
/// detector's prefix and minimum length); a custom pattern match longer than 256 bytes split across chunks is missed.
/// One scanner per response; not thread-safe. Dispose returns the pooled windows.
/// Usage: <c>using var s = new ResponseScanner(guard.Dlp, guard.Guardrails); … var v = s.Feed(text); if (v.Error != None) …; s.Complete();</c>
/// </remarks>
public sealed class ResponseScanner : IDisposable
{
    private const int RawTail = 256;

    /// <summary>Chunks are scanned in pieces of at most this size, so the windows stay small whatever the caller feeds.</summary>
    private const int MaxPiece = 16 * 1024;

    private readonly DlpPolicySet? _dlp;
    private readonly DlpEntries _dlpEntries;
    private readonly GuardrailPolicy? _guardrails;
    private readonly RuleContentClassifier _classifier;
    private readonly bool _needsRaw;
    private readonly bool _needsFolded;
    private readonly int _foldedTail;

    private byte[] _raw = [];
    private int _rawLength;
    private int _rawStart;
    private byte[] _folded = [];
    private int _foldedLength;
    private int _foldedStart;
    private bool _lastWasSpace = true;

    private DlpEntries _dlpFound;
    private GuardrailCategories _categories;
    private ulong _custom;

    public ResponseScanner(DlpPolicySet? dlp, GuardrailPolicy? guardrails, RuleContentClassifier? classifier = null)
    {
        _dlp = dlp;
        _dlpEntries = dlp?.ResponseEntries ?? DlpEntries.None;
        _guardrails = guardrails is not null && guardrails.Checks(GuardCheck.Response) ? guardrails : null;
        _classifier = classifier ?? RuleContentClassifier.Default;
        _needsRaw = _dlpEntries != DlpEntries.None || (_guardrails?.HasPatterns ?? false);
        _needsFolded = _guardrails is not null;
        _foldedTail = Math.Max(_classifier.Phrases.MaxLength, _guardrails?.CustomTerms.MaxLength ?? 0) + 1;
        if (_needsRaw)
        {
            _raw = ArrayPool<byte>.Shared.Rent(RawTail + 1024);
        }

        if (_needsFolded)
        {
            _folded = ArrayPool<byte>.Shared.Rent(_foldedTail + 1024);
        }
    }

    /// <summary>The verdict over everything fed so far.</summary>
    public ResponseVerdict Verdict => new(
        _dlp is null ? DlpVerdict.None(GuardCheck.Response) : new DlpVerdict(_dlp.ActionFor(GuardCheck.Response, _dlpFound), _dlpFound, GuardCheck.Response),
        _guardrails is null ? GuardrailVerdict.None(GuardCheck.Response) : _guardrails.Evaluate(GuardCheck.Response, _categories, _custom));

    /// <summary>Scans the next piece of response text (UTF-8; a chunk may end inside a character).</summary>
    public ResponseVerdict Feed(ReadOnlySpan<byte> textUtf8)
    {
        while (!textUtf8.IsEmpty)
        {
            var piece = textUtf8.Length > MaxPiece ? textUtf8[..MaxPiece] : textUtf8;
            Scan(piece, final: false);
            textUtf8 = textUtf8[piece.Length..];
        }

        return Verdict;
    }

    /// <summary>Judges what waited at the end of the text; call once the response is complete.</summary>
    public ResponseVerdict Complete()
    {
        Scan(default, final: true);
        return Verdict;
    }

    private void Scan(ReadOnlySpan<byte> piece, bool final)
    {
        if (_needsRaw)
        {
            piece.CopyTo(Append(ref _raw, ref _rawLength, piece.Length));
            _rawLength += piece.Length;
            var window = _raw.AsSpan(0, _rawLength);
            if (_dlpEntries != DlpEntries.None)
            {
                _dlpFound |= DlpScanner.Detect(window, _dlpEntries, _rawStart, final);
            }
        }

        if (_needsFolded)
        {
            var into = Append(ref _folded, ref _foldedLength, piece.Length);
            _foldedLength += TextNormalizer.Normalize(piece, into, ref _lastWasSpace);
            var window = _folded.AsSpan(0, _foldedLength);
            _categories |= _classifier.ClassifyNormalized(window, final, _foldedStart);
            if (_guardrails!.Custom.Length > 0)
            {
                _custom |= _guardrails.MatchCustom(_needsRaw ? _raw.AsSpan(0, _rawLength) : default, window, final, _foldedStart);
            }

            Trim(_folded, ref _foldedLength, ref _foldedStart, _foldedTail);
        }

        if (_needsRaw)
        {
            Trim(_raw, ref _rawLength, ref _rawStart, RawTail);
        }
    }

    /// <summary>Makes room for <paramref name="count"/> more bytes after the window and returns that space.</summary>
    private static Span<byte> Append(ref byte[] buffer, ref int length, int count)
    {
        if (buffer.Length - length < count)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(length + count);
            buffer.AsSpan(0, length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = bigger;
        }

        return buffer.AsSpan(length, count);
    }

    /// <summary>Keeps the last <paramref name="tail"/> bytes; once anything was dropped, the first kept byte is context.</summary>
    private static void Trim(byte[] buffer, ref int length, ref int start, int tail)
    {
        if (length <= tail)
        {
            return;
        }

        buffer.AsSpan(length - tail, tail).CopyTo(buffer);
        length = tail;
        start = 1;
    }

    public void Dispose()
    {
        if (_raw.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_raw);
            _raw = [];
        }

        if (_folded.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_folded);
            _folded = [];
        }
    }
}
