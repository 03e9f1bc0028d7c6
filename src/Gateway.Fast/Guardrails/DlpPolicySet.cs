using System.Text.Json;

namespace Gateway.Fast.Guardrails;

/// <summary>A gateway's <c>dlp</c> setting, compiled once per settings snapshot into the detectors each side must run.</summary>
/// <remarks>
/// Two shapes (docs/gateway-api.md#gateways and §4):
/// <code>
///   {"enabled":true,"action":"BLOCK","profiles":["email","secrets"]}                      one policy "default", both sides
///   {"enabled":true,"policies":[{"id":"p1","action":"FLAG","check":["REQUEST","RESPONSE"],
///                               "enabled":true,"profiles":["credit_card"]}]}
/// </code>
/// <c>action</c> is <c>FLAG</c>, <c>BLOCK</c> or (our choice) <c>MASK</c>; a profile is an id string or an object with an
/// <c>id</c>. The settings validator only checks that <c>dlp</c> is an object, so anything malformed or unknown here is
/// skipped rather than failing the request: an unknown action or profile makes its policy inert.
/// </remarks>
public sealed class DlpPolicySet
{
    private DlpPolicySet(DlpPolicy[] policies)
    {
        Policies = policies;
        foreach (var p in policies)
        {
            if (p.ChecksRequest)
            {
                RequestEntries |= p.Entries;
                if (p.Action == GuardAction.Mask)
                {
                    MaskEntries |= p.Entries;
                }
            }

            if (p.ChecksResponse)
            {
                ResponseEntries |= p.Entries;
            }
        }
    }

    public DlpPolicy[] Policies { get; }

    /// <summary>The detectors to run over request bodies; <see cref="DlpEntries.None"/> skips the scan.</summary>
    public DlpEntries RequestEntries { get; }

    /// <summary>The detectors to run over response text.</summary>
    public DlpEntries ResponseEntries { get; }

    /// <summary>The detectors whose matches a request MASK policy replaces.</summary>
    public DlpEntries MaskEntries { get; }

    /// <summary>The detectors one side runs.</summary>
    public DlpEntries EntriesFor(GuardCheck check) => check == GuardCheck.Request ? RequestEntries : ResponseEntries;

    /// <summary>The worst action of the enabled policies of <paramref name="check"/> that <paramref name="matched"/> fires.</summary>
    public GuardAction ActionFor(GuardCheck check, DlpEntries matched)
    {
        var action = GuardAction.None;
        if (matched == DlpEntries.None)
        {
            return action;
        }

        foreach (var p in Policies)
        {
            if (p.Checks(check) && (p.Entries & matched) != 0 && p.Action > action)
            {
                action = p.Action;
            }
        }

        return action;
    }

    /// <summary>Compiles the raw setting; null when DLP is absent, disabled or names nothing this build can detect.</summary>
    public static DlpPolicySet? Parse(JsonElement? dlp)
    {
        if (dlp is not { ValueKind: JsonValueKind.Object } root || IsFalse(root, "enabled"))
        {
            return null;
        }

        var policies = new List<DlpPolicy>();
        if (root.TryGetProperty("policies", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            int n = 0;
            foreach (var item in list.EnumerateArray())
            {
                n++;
                if (item.ValueKind != JsonValueKind.Object || IsFalse(item, "enabled"))
                {
                    continue;
                }

                string id = item.TryGetProperty("id", out var idValue) && idValue.ValueKind == JsonValueKind.String
                    ? idValue.GetString()! : $"policy-{n}";
                var (request, response) = ReadChecks(item);
                Add(policies, id, item, request, response);
            }
        }
        else
        {
            Add(policies, "default", root, request: true, response: true);
        }

        return policies.Count == 0 ? null : new DlpPolicySet(policies.ToArray());
    }

    private static void Add(List<DlpPolicy> policies, string id, JsonElement item, bool request, bool response)
    {
        var action = ReadAction(item);
        if (action == GuardAction.None || !(request || response)
            || !item.TryGetProperty("profiles", out var profiles) || profiles.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var resolved = new List<DlpProfile>();
        foreach (var p in profiles.EnumerateArray())
        {
            string? profileId = p.ValueKind switch
            {
                JsonValueKind.String => p.GetString(),
                JsonValueKind.Object when p.TryGetProperty("id", out var pid) && pid.ValueKind == JsonValueKind.String => pid.GetString(),
                _ => null,
            };
            var entries = DlpProfiles.Resolve(profileId);
            if (entries != DlpEntries.None)
            {
                resolved.Add(new DlpProfile(profileId!, entries));
            }
        }

        if (resolved.Count > 0)
        {
            policies.Add(new DlpPolicy(id, action, request, response, resolved.ToArray()));
        }
    }

    private static GuardAction ReadAction(JsonElement item)
    {
        if (!item.TryGetProperty("action", out var a) || a.ValueKind != JsonValueKind.String)
        {
            return GuardAction.None;
        }

        return a.GetString()?.ToUpperInvariant() switch
        {
            "FLAG" => GuardAction.Flag,
            "BLOCK" => GuardAction.Block,
            "MASK" => GuardAction.Mask,
            _ => GuardAction.None,
        };
    }

    /// <summary><c>check</c> absent means both sides, as in the single-policy shape.</summary>
    private static (bool Request, bool Response) ReadChecks(JsonElement item)
    {
        if (!item.TryGetProperty("check", out var check) || check.ValueKind != JsonValueKind.Array)
        {
            return (true, true);
        }

        bool request = false, response = false;
        foreach (var c in check.EnumerateArray())
        {
            if (c.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            request |= string.Equals(c.GetString(), "REQUEST", StringComparison.OrdinalIgnoreCase);
            response |= string.Equals(c.GetString(), "RESPONSE", StringComparison.OrdinalIgnoreCase);
        }

        return (request, response);
    }

    private static bool IsFalse(JsonElement obj, string name)
        => obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.False;
}
