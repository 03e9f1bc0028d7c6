namespace Gateway.Fast.Guardrails;

/// <summary>The outcome of a DLP scan of one side: the detectors that matched and the worst action their policies take.</summary>
/// <remarks>
/// A plain value, so a scan that finds nothing allocates nothing. <see cref="DlpFindings.ToHeader"/> turns the request's
/// and the response's verdicts into the <c>cf-aig-dlp</c> header only when something matched.
/// </remarks>
public readonly record struct DlpVerdict(GuardAction Action, DlpEntries Matches, GuardCheck Check)
{
    public bool Matched => Matches != DlpEntries.None;

    public static DlpVerdict None(GuardCheck check) => new(GuardAction.None, DlpEntries.None, check);

    /// <summary>This verdict and <paramref name="other"/> (same side) together: every detector either found, the worse action.</summary>
    public DlpVerdict Merge(in DlpVerdict other) =>
        new(other.Action > Action ? other.Action : Action, Matches | other.Matches, Check);
}
