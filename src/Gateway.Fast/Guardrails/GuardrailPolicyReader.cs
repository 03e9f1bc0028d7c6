using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gateway.Fast.Guardrails;

/// <summary>Compiles the raw <c>guardrails</c> setting into a <see cref="GuardrailPolicy"/>; tolerant, since only its being an object was validated.</summary>
public static class GuardrailPolicyReader
{
    private const int MaxCustomRules = 64;
    private const int MaxPatternLength = 1000;

    /// <summary>Null when the setting is absent or configures nothing (every category ignored, no custom rule).</summary>
    public static GuardrailPolicy? Parse(JsonElement? guardrails)
    {
        if (guardrails is not { ValueKind: JsonValueKind.Object } root)
        {
            return null;
        }

        var prompt = ReadSide(root, "prompt");
        var response = ReadSide(root, "response");
        var custom = new List<CustomGuardrail>();
        if (root.TryGetProperty("custom", out var rules) && rules.ValueKind == JsonValueKind.Array)
        {
            foreach (var rule in rules.EnumerateArray())
            {
                if (custom.Count < MaxCustomRules && ReadCustom(rule, custom.Count) is { } compiled)
                {
                    custom.Add(compiled);
                }
            }
        }

        var policy = new GuardrailPolicy(prompt, response, custom.ToArray());
        return policy.Checks(GuardCheck.Request) || policy.Checks(GuardCheck.Response) ? policy : null;
    }

    private static GuardAction[] ReadSide(JsonElement root, string side)
    {
        var actions = new GuardAction[GuardrailCategoryNames.Count];
        if (!root.TryGetProperty(side, out var map) || map.ValueKind != JsonValueKind.Object)
        {
            return actions;
        }

        foreach (var entry in map.EnumerateObject())
        {
            int index = GuardrailCategoryNames.IndexOf(entry.Name);
            if (index >= 0)
            {
                actions[index] = ReadAction(entry.Value);
            }
        }

        return actions;
    }

    private static CustomGuardrail? ReadCustom(JsonElement rule, int index)
    {
        if (rule.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var action = rule.TryGetProperty("action", out var a) ? ReadAction(a) : GuardAction.None;
        if (action == GuardAction.None)
        {
            return null;
        }

        string name = rule.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : $"rule-{index + 1}";
        bool prompt = true, response = true;
        if (rule.TryGetProperty("check", out var check) && check.ValueKind == JsonValueKind.Array)
        {
            prompt = response = false;
            foreach (var c in check.EnumerateArray())
            {
                string? s = c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                prompt |= string.Equals(s, "prompt", StringComparison.OrdinalIgnoreCase) || string.Equals(s, "REQUEST", StringComparison.OrdinalIgnoreCase);
                response |= string.Equals(s, "response", StringComparison.OrdinalIgnoreCase) || string.Equals(s, "RESPONSE", StringComparison.OrdinalIgnoreCase);
            }
        }

        var terms = new List<string>();
        if (rule.TryGetProperty("terms", out var t) && t.ValueKind == JsonValueKind.Array)
        {
            foreach (var term in t.EnumerateArray())
            {
                if (term.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(term.GetString()))
                {
                    terms.Add(term.GetString()!);
                }
            }
        }

        var patterns = new List<Regex>();
        if (rule.TryGetProperty("patterns", out var p) && p.ValueKind == JsonValueKind.Array)
        {
            foreach (var pattern in p.EnumerateArray())
            {
                if (pattern.ValueKind == JsonValueKind.String && Compile(pattern.GetString()) is { } regex)
                {
                    patterns.Add(regex);
                }
            }
        }

        return (prompt || response) && (terms.Count > 0 || patterns.Count > 0)
            ? new CustomGuardrail(name, action, prompt, response, terms.ToArray(), patterns.ToArray())
            : null;
    }

    private static Regex? Compile(string? pattern)
    {
        if (string.IsNullOrEmpty(pattern) || pattern.Length > MaxPatternLength)
        {
            return null;
        }

        try
        {
            return new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (ArgumentException)
        {
            return null; // invalid syntax, or a construct NonBacktracking refuses (backreferences, lookarounds)
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    private static GuardAction ReadAction(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return GuardAction.None;
        }

        return value.GetString()?.ToUpperInvariant() switch
        {
            "FLAG" => GuardAction.Flag,
            "BLOCK" => GuardAction.Block,
            _ => GuardAction.None, // "IGNORE", or anything unknown
        };
    }
}
