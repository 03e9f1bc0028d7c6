using System.Buffers;
using System.IO.Pipelines;
using Gateway.Fast.Compat;
using Gateway.Fast.Errors;
using Gateway.Fast.Guardrails;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Forwarding;

/// <summary>
/// A provider's whole answer (unified API) read bounded and translated once, sent with its length: a 2xx in OpenAI's
/// shape (judged by the response guardrails when the gateway checks them), any other status as OpenAI's error shape.
/// </summary>
internal struct TranslatedWholeBodyFilter : IBodyFilter
{
    private readonly ICompatResponseTranslator _translator;
    private readonly CompatResponseInfo _info;
    private readonly HttpResponseMessage _upstream;
    private readonly HttpResponse _response;
    private readonly GuardState? _guard;
    private readonly Accounting.UsageReader _usage;
    private BoundedBody _body;
    private ArrayBufferWriter<byte>? _output;

    public TranslatedWholeBodyFilter(ICompatResponseTranslator translator, CompatResponseInfo info, HttpResponseMessage upstream,
        HttpResponse response, GuardState? guard, Accounting.UsageReader usage)
    {
        _usage = usage;
        _translator = translator;
        _info = info;
        _upstream = upstream;
        _response = response;
        _guard = guard;
        _body = new BoundedBody(upstream.Content.Headers.ContentLength);
    }

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

    public GatewayError OnEnd(out ReadOnlySpan<byte> output)
    {
        output = default;
        int status = (int)_upstream.StatusCode;
        bool success = status is >= 200 and < 300;
        var written = _output = new ArrayBufferWriter<byte>(success ? _body.Span.Length + 256 : 256);
        if (!success)
        {
            ProxyForwarder.WriteOpenAIError(written, status, _translator.ReadErrorMessage(_body.Span) ?? _upstream.ReasonPhrase ?? "Provider error");
        }
        else
        {
            _usage.Report(_translator.WriteResponse(_body.Span, _info, written));
            if (_guard is { } guard)
            {
                // The caller's words are judged, whatever the provider's shape was.
                guard.StartResponse();
                ResponseTextExtractor.FeedJson(written.WrittenSpan, guard.Scanner!);
                var blocked = ProxyForwarder.Judge(guard, guard.Scanner!.Complete());
                if (blocked != GatewayError.None)
                {
                    return blocked;
                }

                if (guard.DlpHeader() is { } dlpHeader)
                {
                    _response.Headers["cf-aig-dlp"] = dlpHeader;
                }
            }
        }

        _response.ContentLength = written.WrittenCount;
        output = written.WrittenSpan;
        return GatewayError.None;
    }

    public void Dispose() => _body.Return();
}
