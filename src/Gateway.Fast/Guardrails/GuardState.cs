using System.Text;

namespace Gateway.Fast.Guardrails;

/// <summary>
/// One request's guard results (docs/design.md#the-request-path): the gateway's compiled policies, what the prompt checks found, and
/// the response scanner while the answer streams. Null on the context when the gateway configures neither DLP nor
/// guardrails, so the common path pays one null check.
/// </summary>
internal sealed class GuardState : IDisposable
{
    public GuardState(GuardPolicies policies) => Policies = policies;

    public GuardPolicies Policies { get; }

    /// <summary>What DLP found in the request.</summary>
    public DlpVerdict Request { get; set; } = DlpVerdict.None(GuardCheck.Request);

    /// <summary>What DLP found in the response so far.</summary>
    public DlpVerdict Response { get; set; } = DlpVerdict.None(GuardCheck.Response);

    /// <summary>Guardrail categories a FLAG or BLOCK rule matched, prompt then response (<c>prompt:S11,P1 response:S10</c>), or null.</summary>
    public string? Flags { get; private set; }

    /// <summary>The worst DLP action taken (<c>FLAG</c>, <c>MASK</c>, <c>BLOCK</c>), for the log row's <c>dlp_action</c>; null when nothing matched.</summary>
    public string? DlpAction
    {
        get
        {
            // A response is not masked (its text may already be on its way): a MASK policy there only flags.
            var response = Response.Action == GuardAction.Mask ? GuardAction.Flag : Response.Action;
            var worst = Request.Action > response ? Request.Action : response;
            return worst switch
            {
                GuardAction.Block => "BLOCK",
                GuardAction.Mask => "MASK",
                GuardAction.Flag => "FLAG",
                _ => Request.Matched || Response.Matched ? "FLAG" : null,
            };
        }
    }

    /// <summary>The response scanner, when the gateway checks responses; created on first use.</summary>
    public ResponseScanner? Scanner { get; private set; }

    /// <summary>Splits SSE for the scanner.</summary>
    public ResponseTextExtractor? Extractor { get; private set; }

    public bool ChecksResponse => Policies.ChecksResponse;

    public void StartResponse()
    {
        Scanner?.Dispose();
        Extractor?.Dispose();
        _responseRecorded = false;
        Scanner = new ResponseScanner(Policies.Dlp, Policies.Guardrails);
        Extractor = new ResponseTextExtractor();
    }

    /// <summary>Records a guardrail verdict that matched (FLAG or BLOCK) under <paramref name="check"/> (<c>prompt</c>/<c>response</c>).</summary>
    public void RecordGuardrails(in GuardrailVerdict verdict, string check)
    {
        if (verdict.Action == GuardAction.None || Policies.Guardrails is not { } policy)
        {
            return;
        }

        var text = new StringBuilder(Flags);
        if (text.Length > 0)
        {
            text.Append(' ');
        }

        Flags = text.Append(check).Append(':').Append(verdict.Describe(policy)).ToString();
    }

    private bool _responseRecorded;

    /// <summary>Records the response's guardrail verdict once (the relay judges many times as text arrives).</summary>
    public void RecordResponse(in GuardrailVerdict verdict)
    {
        if (!_responseRecorded && verdict.Action != GuardAction.None)
        {
            _responseRecorded = true;
            RecordGuardrails(verdict, "response");
        }
    }

    /// <summary>The <c>cf-aig-dlp</c> header value for what matched so far, or null.</summary>
    public string? DlpHeader() => Policies.Dlp is { } dlp ? DlpFindings.ToHeader(dlp, Request, Response) : null;

    public void Dispose()
    {
        Scanner?.Dispose();
        Extractor?.Dispose();
        Scanner = null;
        Extractor = null;
    }
}
