using System.Runtime.CompilerServices;
using Gateway.Fast.Configuration;

namespace Gateway.Fast.Guardrails;

/// <summary>A gateway's compiled DLP policies and guardrails, cached per <see cref="GatewaySettings"/> snapshot.</summary>
/// <remarks>
/// Settings are replaced whole on every change, so the snapshot's reference is the cache key: the first request after a
/// change compiles once, later requests get the same object, and the old one goes with its snapshot (a
/// <see cref="ConditionalWeakTable{TKey,TValue}"/> holds it no longer than the settings). Usage:
/// <c>var guard = GuardPolicies.For(settings); if (guard.Dlp is { } dlp) …; if (guard.Guardrails is { } g) …</c>
/// </remarks>
public sealed class GuardPolicies
{
    private static readonly ConditionalWeakTable<GatewaySettings, GuardPolicies> Cache = new();

    /// <summary>Shared by every gateway that configures neither.</summary>
    public static GuardPolicies Empty { get; } = new(null, null);

    private GuardPolicies(DlpPolicySet? dlp, GuardrailPolicy? guardrails)
    {
        Dlp = dlp;
        Guardrails = guardrails;
    }

    /// <summary>Null when the gateway has no DLP policy that can match.</summary>
    public DlpPolicySet? Dlp { get; }

    /// <summary>Null when the gateway has no guardrail with an action.</summary>
    public GuardrailPolicy? Guardrails { get; }

    /// <summary>True when the response side needs a <see cref="ResponseScanner"/>.</summary>
    /// <summary>Any DLP or guardrail check runs on requests.</summary>
    public bool ChecksRequest => (Dlp?.RequestEntries ?? DlpEntries.None) != DlpEntries.None || (Guardrails?.Checks(GuardCheck.Request) ?? false);

    public bool ChecksResponse => (Dlp?.ResponseEntries ?? DlpEntries.None) != DlpEntries.None || (Guardrails?.Checks(GuardCheck.Response) ?? false);

    public static GuardPolicies For(GatewaySettings settings)
    {
        if (settings.Dlp is null && settings.Guardrails is null)
        {
            return Empty;
        }

        return Cache.GetValue(settings, static s => Compile(s));
    }

    private static GuardPolicies Compile(GatewaySettings settings)
    {
        var dlp = DlpPolicySet.Parse(settings.Dlp);
        var guardrails = GuardrailPolicyReader.Parse(settings.Guardrails);
        return dlp is null && guardrails is null ? Empty : new GuardPolicies(dlp, guardrails);
    }
}
