namespace Gateway.Fast.Guardrails;

/// <summary>Which side of the exchange a check reads: the caller's prompt or the upstream's answer.</summary>
public enum GuardCheck : byte
{
    /// <summary>The request body (DLP <c>REQUEST</c>, guardrails <c>prompt</c>).</summary>
    Request,
    /// <summary>The response text (DLP <c>RESPONSE</c>, guardrails <c>response</c>).</summary>
    Response,
}
