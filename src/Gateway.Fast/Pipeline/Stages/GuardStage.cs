using System.Buffers;
using Gateway.Fast.Errors;
using Gateway.Fast.Guardrails;

namespace Gateway.Fast.Pipeline.Stages;

/// <summary>
/// Stage 4, guard: DLP and guardrails on the prompt before anything is sent or served from the cache; the response side
/// runs in the relay (<c>ProxyForwarder.Guard.cs</c>).
/// </summary>
/// <remarks>
/// It runs before the cache lookup: a prompt a rule blocks must not get a cached answer either. A gateway with neither
/// DLP nor guardrails pays one cached lookup (<see cref="GuardPolicies.For"/>) and a null check. A gateway that checks
/// prompts buffers every body (<see cref="BodyStage"/>); bodies that are not JSON are scanned raw.
/// </remarks>
internal static class GuardStage
{
    /// <summary>Checks <paramref name="body"/>; <paramref name="masked"/> is the body to send instead when a MASK policy matched.</summary>
    public static GatewayError CheckPrompt(RequestContext ctx, ReadOnlySpan<byte> body, out byte[]? masked)
    {
        masked = null;
        var policies = GuardPolicies.For(ctx.Gateway!);
        if (policies.Dlp is null && policies.Guardrails is null)
        {
            return GatewayError.None;
        }

        var guard = ctx.Guard ??= new GuardState(policies);
        if (policies.Dlp is { } dlp)
        {
            var verdict = DlpRequestScanner.Check(dlp, body);
            guard.Request = guard.Request.Merge(verdict); // a Universal chain checks every step: the row keeps all they found
            if (verdict.Matched && guard.DlpHeader() is { } header)
            {
                ctx.Http.Response.Headers["cf-aig-dlp"] = header;
            }

            if (verdict.Action == GuardAction.Block)
            {
                ctx.Log.RequestBody = default; // what DLP refused to send is not kept in the log either
                return GatewayError.DlpRequestBlocked;
            }

            if (verdict.Action == GuardAction.Mask)
            {
                var output = new ArrayBufferWriter<byte>(body.Length + 64);
                if (DlpRequestScanner.Mask(dlp, body, output) < 0)
                {
                    ctx.Log.RequestBody = default;
                    return GatewayError.DlpRequestBlocked; // not JSON after all: what cannot be masked is not sent
                }

                masked = output.WrittenSpan.ToArray();
            }
        }

        if (policies.Guardrails is { } rails)
        {
            var verdict = GuardrailChecker.CheckPrompt(rails, masked ?? body);
            guard.RecordGuardrails(verdict, "prompt");
            if (verdict.Action == GuardAction.Block)
            {
                return GatewayError.PromptBlocked;
            }
        }

        return GatewayError.None;
    }

    /// <summary>The request's own body, checked; a masked body replaces it (what is sent, cached on and logged).</summary>
    public static GatewayError CheckRequestBody(RequestContext ctx)
    {
        if (!ctx.BodyBuffered)
        {
            return CheckPrompt(ctx, default, out _);
        }

        var error = CheckPrompt(ctx, ctx.Body.Span, out var masked);
        if (masked is not null)
        {
            ctx.Body.ReplaceWith(masked);
            ctx.Log.RequestBody = ctx.Body.Memory;
            ctx.Auth.SigningBody = ctx.Body.Memory;
            RequestBodyPeek.TryPeek(ctx.Body.Span, out var model, out bool stream);
            ctx.Model = model;
            ctx.IsStream = stream;
        }

        return error;
    }
}
