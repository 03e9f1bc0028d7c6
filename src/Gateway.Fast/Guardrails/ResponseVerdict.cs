using Gateway.Fast.Errors;

namespace Gateway.Fast.Guardrails;

/// <summary>What the response checks have found so far: DLP and guardrails side by side.</summary>
public readonly record struct ResponseVerdict(DlpVerdict Dlp, GuardrailVerdict Guardrails)
{
    /// <summary>The worst of both actions.</summary>
    public GuardAction Action => Dlp.Action > Guardrails.Action ? Dlp.Action : Guardrails.Action;

    /// <summary>The error to answer with when something blocks (DLP first: its code names the cause more precisely), else None.</summary>
    public GatewayError Error => Dlp.Action == GuardAction.Block ? GatewayError.DlpResponseBlocked
        : Guardrails.Action == GuardAction.Block ? GatewayError.ResponseBlocked
        : GatewayError.None;
}
