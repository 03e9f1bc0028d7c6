using System.IO.Pipelines;
using Gateway.Fast.Errors;
using Gateway.Fast.Guardrails;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Forwarding;

/// <summary>
/// A JSON answer that response guardrails or DLP judge: read whole (bounded), judged, then sent, or replaced by the 424
/// error, so nothing of a blocked answer reaches the caller. A FLAG is named in <c>cf-aig-dlp</c>.
/// </summary>
internal struct GuardedWholeBodyFilter(GuardState guard, HttpResponse response, long? contentLength) : IBodyFilter
{
    private BoundedBody _body = new(contentLength);

    public readonly bool InPlace => false;

    public readonly bool UpstreamFailed => false;

    public Memory<byte> ReadBuffer(PipeWriter client) => _body.ReadBuffer();

    /// <summary>Nothing to give back: a whole body is gathered in one buffer until the end (these filters never see an event stream).</summary>
    public readonly void ReleaseReadBuffer()
    {
    }

    public GatewayError OnChunk(ReadOnlySpan<byte> input, out ReadOnlySpan<byte> output)
    {
        _body.Advance(input.Length);
        output = default;
        return GatewayError.None;
    }

    public readonly GatewayError OnEnd(out ReadOnlySpan<byte> output)
    {
        output = default;
        ResponseTextExtractor.FeedJson(_body.Span, guard.Scanner!);
        var verdict = ProxyForwarder.Judge(guard, guard.Scanner!.Complete());
        if (verdict != GatewayError.None)
        {
            return verdict; // nothing was written: the caller gets the 424 in its shape
        }

        if (guard.DlpHeader() is { } header)
        {
            response.Headers["cf-aig-dlp"] = header;
        }

        output = _body.Span;
        return GatewayError.None;
    }

    public void Dispose() => _body.Return();
}
