namespace Gateway.Fast.Guardrails;

/// <summary>The outcome of a guardrail check: the worst action, and the categories and custom rules that earned one.</summary>
/// <remarks>
/// Only matches the gateway acts on are kept: a category the setting leaves out (ignore) is dropped here, so a flagged
/// log record lists exactly what the operator asked about. <see cref="CustomRules"/> has bit i for
/// <c>GuardrailPolicy.Custom[i]</c>.
/// </remarks>
public readonly record struct GuardrailVerdict(GuardAction Action, GuardrailCategories Categories, ulong CustomRules, GuardCheck Check)
{
    public static GuardrailVerdict None(GuardCheck check) => new(GuardAction.None, GuardrailCategories.None, 0, check);

    /// <summary>"S1,P1,custom:project-names" for the log record (cold path; empty when nothing matched).</summary>
    public string Describe(GuardrailPolicy policy)
    {
        string text = GuardrailCategoryNames.Format(Categories);
        for (int i = 0; i < policy.Custom.Length && i < 64; i++)
        {
            if ((CustomRules & (1UL << i)) != 0)
            {
                text = text.Length == 0 ? "custom:" + policy.Custom[i].Name : text + ",custom:" + policy.Custom[i].Name;
            }
        }

        return text;
    }
}
