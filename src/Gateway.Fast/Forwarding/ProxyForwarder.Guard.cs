using Gateway.Fast.Guardrails;
using Gateway.Fast.Errors;

namespace Gateway.Fast.Forwarding;

/// <summary>The verdicts of response guardrails or DLP on a 2xx answer (docs/design.md#the-request-path, "response guardrails").</summary>
/// <remarks>
/// <code>
/// stream      each chunk is judged before it is written (<see cref="GuardedStreamFilter"/>): a BLOCK withholds that chunk
///             and ends the stream with the error event (424, code 2017 or 2030, in the caller's shape); text already sent stays sent
/// whole body  read (bounded), judged, then written, or replaced by the 424 error (<see cref="GuardedWholeBodyFilter"/>):
///             nothing of it reaches the caller
/// </code>
/// FLAG verdicts are recorded for the log row and, for a whole body, in <c>cf-aig-dlp</c>. The spec's own gateway
/// buffers streams and answers them non-streamed; this one keeps them streaming, at the cost that a block can only cut.
/// </remarks>
internal sealed partial class ProxyForwarder
{
    /// <summary>Records <paramref name="verdict"/> on the request's guard state; the error to answer when it blocks.</summary>
    internal static GatewayError Judge(GuardState guard, in ResponseVerdict verdict)
    {
        guard.Response = verdict.Dlp;
        if (verdict.Action == GuardAction.Block || verdict.Dlp.Matched || verdict.Guardrails.Action != GuardAction.None)
        {
            guard.RecordResponse(verdict.Guardrails);
        }

        return verdict.Action == GuardAction.Block ? verdict.Error : GatewayError.None;
    }
}
