using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Simulator;

/// <summary>The terminal request delegate: route, peek the body, pick the precomputed response, write it.</summary>
internal sealed class SimulatorHandler
{
    private readonly ResponseCache _cache;
    private readonly SimulatorStats _stats;

    public SimulatorHandler(ResponseCache cache, SimulatorStats stats)
    {
        _cache = cache;
        _stats = stats;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        _stats.CountRequest();
        try
        {
            await HandleAsync(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away during a delay, a paced stream or a stall: nothing left to do but count it,
            // so tests can see that a caller's disconnect reached the upstream.
            _stats.CountClientAbort();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        SimulatorControls controls = SimulatorControls.Parse(request.Headers);
        if (request.Headers.TryGetValue("x-sim-fail-key", out var failKey) && failKey.Count == 1
            && int.TryParse(request.Headers["x-sim-fail-first"], out int failFirst)
            && _stats.CountFailKey(failKey[0]!) > failFirst)
        {
            controls = controls.WithoutFaults();
        }
        SimRoute route = SimRouter.Parse(request.Path.Value, request.QueryString.Value);

        if (route.Endpoint == SimEndpoint.Echo)
        {
            await EchoHandler.HandleAsync(context, controls);
            return;
        }

        RequestPeek peek = await ReadBodyAsync(request.BodyReader, context.RequestAborted);
        Reflect(context);
        ResponseKey key = CreateKey(route, peek, controls);
        await ResponseWriter.WriteAsync(context, _cache.Get(key), controls);
    }

    /// <summary>
    /// <c>x-sim-reflect: name1,name2</c>: each named request header comes back as response header
    /// <c>x-sim-reflected-{name}</c>, and the raw request target as <c>x-sim-reflected-target</c>, so a test can see what a
    /// proxy in between sent (a signature, a rewritten path) while the provider answer stays real.
    /// </summary>
    private static void Reflect(HttpContext context)
    {
        var request = context.Request;
        if (request.Headers["x-sim-reflect"] is not { Count: 1 } names)
        {
            return;
        }

        var response = context.Response.Headers;
        response["x-sim-reflected-target"] = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        foreach (var name in names[0]!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (request.Headers.TryGetValue(name, out var value))
            {
                response["x-sim-reflected-" + name] = value;
            }
        }
    }

    internal static ResponseKey CreateKey(in SimRoute route, in RequestPeek peek, in SimulatorControls controls)
    {
        SimEndpoint endpoint = route.Endpoint;
        if (endpoint == SimEndpoint.NotFound)
        {
            return new ResponseKey(endpoint, null, 0, 0, false, false, 0, 0, 404);
        }

        if (controls.Status is >= 400 and <= 599)
        {
            return new ResponseKey(endpoint, null, 0, 0, false, false, 0, 0, controls.Status);
        }

        bool stream = endpoint switch
        {
            SimEndpoint.GeminiStream or SimEndpoint.BedrockConverseStream or SimEndpoint.BedrockInvokeStream => true,
            SimEndpoint.OpenAIEmbeddings or SimEndpoint.OpenAIModels or SimEndpoint.GeminiGenerate or SimEndpoint.GeminiCountTokens
                or SimEndpoint.GeminiBatchEmbed or SimEndpoint.CohereV2Embed
                or SimEndpoint.BedrockConverse or SimEndpoint.BedrockInvoke => false,
            _ => peek.Stream,
        };

        return endpoint switch
        {
            SimEndpoint.OpenAIModels => new ResponseKey(endpoint, null, 0, 0, false, false, 0, 0, 0),
            SimEndpoint.GeminiCountTokens => new ResponseKey(endpoint, null, 0, peek.PromptTokens, false, false, 0, 0, 0),
            SimEndpoint.OpenAIEmbeddings or SimEndpoint.GeminiBatchEmbed or SimEndpoint.CohereV2Embed => new ResponseKey(endpoint, peek.Model, 0, peek.PromptTokens, false, false,
                peek.Base64 ? (byte)1 : (byte)0, (peek.Dimensions * 4096) + Math.Min(peek.InputCount, 4095), 0),
            _ => new ResponseKey(endpoint, route.PathModel ?? peek.Model, controls.Tokens, peek.PromptTokens, stream,
                stream && peek.IncludeUsage, route.AltSse || (peek.HasTools && endpoint is SimEndpoint.BedrockConverse or SimEndpoint.BedrockConverseStream) ? (byte)1 : (byte)0, 0, 0,
                peek.ToolName),
        };
    }

    private static async ValueTask<RequestPeek> ReadBodyAsync(PipeReader reader, CancellationToken aborted)
    {
        // Buffer the whole body without consuming it, then peek it once as a ReadOnlySequence.
        while (true)
        {
            ReadResult read = await reader.ReadAsync(aborted);
            if (read.IsCompleted)
            {
                RequestPeek peek = RequestPeek.Parse(read.Buffer);
                reader.AdvanceTo(read.Buffer.End);
                return peek;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }
}
