namespace Gateway.Fast.Guardrails;

/// <summary>What a guardrail or DLP rule does when it matches, ordered by severity so the worst of several is <c>Max</c>.</summary>
public enum GuardAction : byte
{
    /// <summary>Nothing matched, or the matching rule is absent (the spec's "ignore").</summary>
    None,
    /// <summary>Let the request through and record the match in the log (and, for DLP, in <c>cf-aig-dlp</c>).</summary>
    Flag,
    /// <summary>[ours, DLP only] Replace each match in the request body with <c>[REDACTED:&lt;profile&gt;]</c> before it goes upstream.</summary>
    Mask,
    /// <summary>Refuse: 424 with code 2016/2017 (guardrails) or 2029/2030 (DLP).</summary>
    Block,
}
