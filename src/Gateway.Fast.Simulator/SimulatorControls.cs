using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Simulator;

/// <summary>Per-request behaviour switches read from <c>x-sim-*</c> request headers.</summary>
/// <remarks>
/// Every header is optional and read on every route; a missing or unparsable value means "off".
/// <list type="table">
/// <item><term><c>x-sim-status: N</c></term><description>answer status N with the route's provider error body
///   (OpenAI <c>{"error":{…}}</c>, Anthropic <c>{"type":"error",…}</c>, Google <c>{"error":{"code","message","status"}}</c>,
///   Bedrock <c>{"message"}</c> + <c>x-amzn-ErrorType</c>, Cohere <c>{"id","message"}</c>, Workers AI v4 envelope);
///   429 adds <c>retry-after: 1</c>. On <c>/echo</c> the status is applied to the echo body instead.</description></item>
/// <item><term><c>x-sim-delay-ms: N</c></term><description>wait N ms before sending response headers.</description></item>
/// <item><term><c>x-sim-ttft-ms: N</c></term><description>(streams) wait N ms between the headers and the first event.</description></item>
/// <item><term><c>x-sim-tokens-per-second: N</c></term><description>(streams) pace token events N per second, each written
///   and flushed on its own; absent or 0 = the whole precomputed body in one write.</description></item>
/// <item><term><c>x-sim-tokens: N</c></term><description>number of output tokens (default 16, at most 100,000); usage reflects it.
///   Prompt tokens are always max(1, request body bytes / 4).</description></item>
/// <item><term><c>x-sim-reset-after: N</c></term><description>(streams) abort the connection after N token events, before the
///   final events. On a non-streamed response the connection is aborted before any header is sent.</description></item>
/// <item><term><c>x-sim-stall-after: N</c></term><description>(streams) stop after N token events and hold the connection open
///   until the client goes away.</description></item>
/// <item><term><c>x-sim-fail-first: N</c> with <c>x-sim-fail-key: K</c></term><description>the faults above (status, delay,
///   reset, stall) apply only to the first N requests carrying key K; later ones are answered normally. Lets a test
///   see a retry succeed: keys are counted per simulator process.</description></item>
/// <item><term><c>x-sim-reflect: a,b</c></term><description>request headers <c>a</c>, <c>b</c> come back as <c>x-sim-reflected-a</c>…,
/// the raw request target as <c>x-sim-reflected-target</c>.</description></item>
/// <item><term><c>x-sim-echo-response-header-{name}: v</c></term><description>(<c>/echo</c> only) sent back as response header
///   <c>{name}: v</c>.</description></item>
/// </list>
/// </remarks>
public readonly struct SimulatorControls
{
    /// <summary>Output tokens when <c>x-sim-tokens</c> is absent.</summary>
    public const int DefaultTokens = 16;

    /// <summary>Upper bound on <c>x-sim-tokens</c>, so one header cannot make the cache hold gigabytes.</summary>
    public const int MaxTokens = 100_000;

    public int Status { get; init; }
    public int DelayMs { get; init; }
    public int TtftMs { get; init; }
    public int TokensPerSecond { get; init; }
    public int Tokens { get; init; }
    /// <summary>-1 when absent.</summary>
    public int ResetAfter { get; init; }
    /// <summary>-1 when absent.</summary>
    public int StallAfter { get; init; }

    /// <summary>The same controls with every fault removed (status, delay, reset, stall): a healthy answer.</summary>
    public SimulatorControls WithoutFaults() => this with { Status = 0, DelayMs = 0, ResetAfter = -1, StallAfter = -1 };

    /// <summary>True when a stream must be written event by event rather than as one precomputed write.</summary>
    public bool NeedsEventWrites => TtftMs > 0 || TokensPerSecond > 0 || ResetAfter >= 0 || StallAfter >= 0;

    public static SimulatorControls Parse(IHeaderDictionary headers)
    {
        int tokens = Read(headers, "x-sim-tokens", DefaultTokens);
        if (tokens < 0)
        {
            tokens = DefaultTokens;
        }

        return new SimulatorControls
        {
            Status = Read(headers, "x-sim-status", 0),
            DelayMs = Math.Max(0, Read(headers, "x-sim-delay-ms", 0)),
            TtftMs = Math.Max(0, Read(headers, "x-sim-ttft-ms", 0)),
            TokensPerSecond = Math.Max(0, Read(headers, "x-sim-tokens-per-second", 0)),
            Tokens = Math.Min(tokens, MaxTokens),
            ResetAfter = Read(headers, "x-sim-reset-after", -1),
            StallAfter = Read(headers, "x-sim-stall-after", -1),
        };
    }

    private static int Read(IHeaderDictionary headers, string name, int fallback)
    {
        // StringValues is a struct and int.TryParse takes a span: no allocation when the header is absent or present.
        if (headers.TryGetValue(name, out var values) && values.Count > 0 &&
            int.TryParse(values[0].AsSpan().Trim(), out int value))
        {
            return value;
        }

        return fallback;
    }
}
