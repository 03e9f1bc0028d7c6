using System.Buffers;

namespace Gateway.Fast.Guardrails;

/// <summary>The built-in classifier: short phrase lists per category, matched on whole words after <see cref="TextNormalizer"/>.</summary>
/// <remarks>
/// A baseline, not a moderation model. It catches the blunt, common phrasings ("ignore all previous instructions",
/// "how to build a bomb", "I want to kill myself") and nothing subtle: no paraphrase, no other language, no context,
/// so it both misses and over-flags. Categories without a list here (S2–S8, S13) are never reported by it. Swap in an
/// <see cref="IContentClassifier"/> backed by a model where that matters; gateway-specific deny lists go in the
/// setting's <c>custom</c> rules instead of here.
/// </remarks>
public sealed partial class RuleContentClassifier : IContentClassifier
{
    /// <summary>Texts up to this size are normalised on the stack.</summary>
    private const int StackLimit = 1024;

    public RuleContentClassifier()
        : this(DefaultPhrases())
    {
    }

    /// <summary>A classifier over other lists (tests, or an operator's own baseline). Tags are <see cref="GuardrailCategories"/> bits.</summary>
    public RuleContentClassifier(IEnumerable<(string Phrase, ulong Tag)> phrases)
    {
        Phrases = new PhraseSet(phrases);
    }

    /// <summary>The shared instance over the built-in lists.</summary>
    public static RuleContentClassifier Default => DefaultInstance.Value;

    public PhraseSet Phrases { get; }

    public GuardrailCategories Classify(ReadOnlySpan<byte> textUtf8)
    {
        byte[]? rented = null;
        Span<byte> normalized = textUtf8.Length <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(textUtf8.Length));
        try
        {
            bool space = true;
            int n = TextNormalizer.Normalize(textUtf8, normalized, ref space);
            return ClassifyNormalized(normalized[..n], final: true);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Classifies text already passed through <see cref="TextNormalizer"/>; see <see cref="PhraseSet.Match"/> for <paramref name="final"/>.</summary>
    public GuardrailCategories ClassifyNormalized(ReadOnlySpan<byte> normalized, bool final, int start = 0)
        => (GuardrailCategories)Phrases.Match(normalized, final, start);

    public ValueTask<GuardrailCategories> ClassifyAsync(ReadOnlyMemory<byte> textUtf8, GuardCheck check, CancellationToken cancellationToken)
        => new(Classify(textUtf8.Span));

    // A holder, so the lists (a static field of the other partial file) exist before the instance is built:
    // field initialisers of a partial class run in an order the language leaves open.
    private static class DefaultInstance
    {
        public static readonly RuleContentClassifier Value = new();
    }
}
