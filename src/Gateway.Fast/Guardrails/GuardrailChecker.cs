using System.Buffers;

namespace Gateway.Fast.Guardrails;

/// <summary>Runs a gateway's guardrails over a whole text with the built-in classifier, synchronously.</summary>
/// <remarks>
/// Usage on the request path: <c>var v = GuardrailChecker.CheckPrompt(policy, body);</c> then
/// <c>Block</c> → <c>GatewayError.PromptBlocked</c>, <c>Flag</c> → record <c>v.Describe(policy)</c> in the log.
/// With a model-backed <see cref="IContentClassifier"/>, collect the text with <see cref="PromptText.Collect(ReadOnlySpan{byte}, IBufferWriter{byte})"/>, await its
/// categories, and call <see cref="Evaluate"/> with them instead.
/// </remarks>
public static class GuardrailChecker
{
    /// <summary>Checks the prose of a JSON request body (see <see cref="PromptText"/>) against the prompt side.</summary>
    public static GuardrailVerdict CheckPrompt(GuardrailPolicy policy, ReadOnlySpan<byte> body, RuleContentClassifier? classifier = null)
    {
        if (!policy.Checks(GuardCheck.Request) || body.IsEmpty)
        {
            return GuardrailVerdict.None(GuardCheck.Request);
        }

        // The prose is never longer than the body (see PromptText.Collect), so one pooled array holds it.
        byte[] text = ArrayPool<byte>.Shared.Rent(body.Length);
        try
        {
            int n = PromptText.Collect(body, text);
            return CheckText(policy, text.AsSpan(0, n), GuardCheck.Request, classifier);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(text);
        }
    }

    /// <summary>Checks one text (a prompt's prose, or a whole response's text) against one side.</summary>
    public static GuardrailVerdict CheckText(GuardrailPolicy policy, ReadOnlySpan<byte> textUtf8, GuardCheck check,
        RuleContentClassifier? classifier = null)
    {
        if (!policy.Checks(check))
        {
            return GuardrailVerdict.None(check);
        }

        byte[] normalized = ArrayPool<byte>.Shared.Rent(Math.Max(textUtf8.Length, 16));
        try
        {
            bool space = true;
            int n = TextNormalizer.Normalize(textUtf8, normalized, ref space);
            var folded = normalized.AsSpan(0, n);
            var categories = (classifier ?? RuleContentClassifier.Default).ClassifyNormalized(folded, final: true);
            ulong custom = policy.Custom.Length == 0 ? 0 : policy.MatchCustom(textUtf8, folded, final: true);
            return policy.Evaluate(check, categories, custom);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(normalized);
        }
    }

    /// <summary>The verdict for categories an external classifier found, plus the gateway's custom rules over the same text.</summary>
    public static GuardrailVerdict Evaluate(GuardrailPolicy policy, GuardrailCategories categories, ReadOnlySpan<byte> textUtf8, GuardCheck check)
    {
        ulong custom = 0;
        if (policy.Custom.Length > 0)
        {
            byte[] normalized = ArrayPool<byte>.Shared.Rent(Math.Max(textUtf8.Length, 16));
            try
            {
                bool space = true;
                int n = TextNormalizer.Normalize(textUtf8, normalized, ref space);
                custom = policy.MatchCustom(textUtf8, normalized.AsSpan(0, n), final: true);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(normalized);
            }
        }

        return policy.Evaluate(check, categories, custom);
    }
}
