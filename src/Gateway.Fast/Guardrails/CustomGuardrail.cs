using System.Text.RegularExpressions;

namespace Gateway.Fast.Guardrails;

/// <summary>Our choice: one gateway-specific deny rule: terms and regular expressions with their own action and sides.</summary>
/// <remarks>
/// Setting shape, inside <c>guardrails</c>:
/// <code>
///   "custom": [{"name":"project-names","terms":["project falcon","codename*"],"patterns":["\\bPRJ-\\d{4}\\b"],
///               "action":"BLOCK","check":["prompt","response"]}]
/// </code>
/// <c>terms</c> match like the built-in lists (case-insensitive whole words, <c>*</c> for a prefix); <c>patterns</c> are
/// .NET regular expressions run case-insensitively with <see cref="RegexOptions.NonBacktracking"/>, so an operator's
/// pattern runs in linear time and cannot stall a request. <c>check</c> defaults to both sides; <c>action</c> is
/// <c>FLAG</c> or <c>BLOCK</c>. A pattern that does not compile is dropped (the settings validator does not look inside
/// <c>guardrails</c>). A stream looks for patterns within a 256-byte window: a pattern match longer than that, split
/// across chunks, is missed.
/// </remarks>
public sealed class CustomGuardrail
{
    public CustomGuardrail(string name, GuardAction action, bool checksPrompt, bool checksResponse, string[] terms, Regex[] patterns)
    {
        Name = name;
        Action = action;
        ChecksPrompt = checksPrompt;
        ChecksResponse = checksResponse;
        Terms = terms;
        Patterns = patterns;
    }

    public string Name { get; }

    public GuardAction Action { get; }

    public bool ChecksPrompt { get; }

    public bool ChecksResponse { get; }

    public string[] Terms { get; }

    public Regex[] Patterns { get; }

    public bool Checks(GuardCheck check) => check == GuardCheck.Request ? ChecksPrompt : ChecksResponse;
}
