using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace Gateway.Fast.Guardrails;

/// <summary>A gateway's <c>guardrails</c> setting, compiled once per settings snapshot: an action per category and side, plus custom rules.</summary>
/// <remarks>
/// Shape (docs/gateway-api.md#gateways): <c>{"prompt":{"S1":"BLOCK","P1":"FLAG",…},"response":{…},"custom":[…]}</c>; a category left
/// out is ignored. <c>custom</c> is ours, see <see cref="CustomGuardrail"/>. Built by <see cref="GuardrailPolicyReader"/>.
/// </remarks>
public sealed class GuardrailPolicy
{
    /// <summary>Longest stretch of raw text a stream keeps for custom patterns (see <see cref="CustomGuardrail"/>).</summary>
    internal const int PatternWindow = 256;

    private readonly GuardAction[] _prompt;
    private readonly GuardAction[] _response;

    internal GuardrailPolicy(GuardAction[] prompt, GuardAction[] response, CustomGuardrail[] custom)
    {
        _prompt = prompt;
        _response = response;
        Custom = custom;
        for (int i = 0; i < GuardrailCategoryNames.Count; i++)
        {
            if (prompt[i] != GuardAction.None)
            {
                PromptCategories |= (GuardrailCategories)(1 << i);
            }

            if (response[i] != GuardAction.None)
            {
                ResponseCategories |= (GuardrailCategories)(1 << i);
            }
        }

        var terms = new List<(string, ulong)>();
        for (int i = 0; i < custom.Length; i++)
        {
            foreach (var term in custom[i].Terms)
            {
                terms.Add((term, 1UL << i));
            }

            HasPatterns |= custom[i].Patterns.Length > 0;
        }

        CustomTerms = new PhraseSet(terms);
    }

    /// <summary>Categories with an action on prompts; a classifier need not run when this and the custom rules are empty.</summary>
    public GuardrailCategories PromptCategories { get; }

    public GuardrailCategories ResponseCategories { get; }

    /// <summary>At most 64 rules (one bit each in <see cref="GuardrailVerdict.CustomRules"/>).</summary>
    public CustomGuardrail[] Custom { get; }

    /// <summary>All custom terms, tagged with their rule's bit.</summary>
    internal PhraseSet CustomTerms { get; }

    internal bool HasPatterns { get; }

    /// <summary>True when anything applies to <paramref name="check"/>.</summary>
    public bool Checks(GuardCheck check)
    {
        if ((check == GuardCheck.Request ? PromptCategories : ResponseCategories) != GuardrailCategories.None)
        {
            return true;
        }

        foreach (var rule in Custom)
        {
            if (rule.Checks(check))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Turns what matched into a verdict: the worst configured action, keeping only matches that have one.</summary>
    public GuardrailVerdict Evaluate(GuardCheck check, GuardrailCategories categories, ulong customRules)
    {
        var actions = check == GuardCheck.Request ? _prompt : _response;
        var action = GuardAction.None;
        var kept = GuardrailCategories.None;
        for (int i = 0; i < GuardrailCategoryNames.Count; i++)
        {
            if (((int)categories & (1 << i)) != 0 && actions[i] != GuardAction.None)
            {
                kept |= (GuardrailCategories)(1 << i);
                action = actions[i] > action ? actions[i] : action;
            }
        }

        ulong rules = 0;
        for (int i = 0; i < Custom.Length; i++)
        {
            if ((customRules & (1UL << i)) != 0 && Custom[i].Checks(check))
            {
                rules |= 1UL << i;
                action = Custom[i].Action > action ? Custom[i].Action : action;
            }
        }

        return new GuardrailVerdict(action, kept, rules, check);
    }

    /// <summary>
    /// The custom rules that match: terms over <paramref name="normalized"/>, patterns over <paramref name="raw"/>. Unless
    /// <paramref name="final"/>, a match that touches the end of the text waits for more (as <see cref="PhraseSet.Match"/>).
    /// </summary>
    public ulong MatchCustom(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> normalized, bool final, int normalizedStart = 0)
    {
        ulong found = CustomTerms.Count == 0 ? 0 : CustomTerms.Match(normalized, final, normalizedStart);
        if (!HasPatterns || raw.IsEmpty)
        {
            return found;
        }

        char[] chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(raw.Length));
        try
        {
            int n = Encoding.UTF8.GetChars(raw, chars);
            var text = chars.AsSpan(0, n);
            for (int i = 0; i < Custom.Length; i++)
            {
                if ((found & (1UL << i)) != 0)
                {
                    continue;
                }

                foreach (var pattern in Custom[i].Patterns)
                {
                    if (Matches(pattern, text, final))
                    {
                        found |= 1UL << i;
                        break;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }

        return found;
    }

    private static bool Matches(Regex pattern, ReadOnlySpan<char> text, bool final)
    {
        foreach (var m in pattern.EnumerateMatches(text))
        {
            if (final || m.Index + m.Length < text.Length)
            {
                return true;
            }
        }

        return false;
    }
}
