// A closed-loop HTTP load client for the load tests (design.md §8): C requests in flight, each timed on its own, printing one
// JSON line. Streaming mode POSTs a "stream":true chat body and times headers, first SSE byte and last byte; --plain times whole
// non-streaming requests, which at concurrency 1 gives exact per-request latency (wrk's histogram is too coarse for that).
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using StreamClient;

if (!ClientOptions.TryParse(args, out var options, out var error))
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(ClientOptions.Usage);
    return 2;
}

byte[] body = options.BodyFile is { } file
    ? File.ReadAllBytes(file)
    : Encoding.UTF8.GetBytes(options.Plain ? DefaultBodies.Plain : DefaultBodies.Stream);

using var handler = new SocketsHttpHandler
{
    UseProxy = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    MaxConnectionsPerServer = 100_000,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    ActivityHeadersPropagator = null,
    ConnectTimeout = TimeSpan.FromSeconds(15),
};
using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds) };
var runner = new LoadRunner(client, options, body);

if (options.WarmupRequests > 0 || options.WarmupSeconds > 0)
{
    var warmup = await runner.RunPhaseAsync(options.WarmupRequests, options.WarmupSeconds);
    if (warmup.LastByte.Length == 0)
    {
        Console.Error.WriteLine($"warm-up: every request failed; first error: {runner.FirstError}");
        return 1;
    }
}

var result = await runner.RunPhaseAsync(options.Requests, options.DurationSeconds);
if (runner.FirstError is { } firstError)
{
    Console.Error.WriteLine($"first error: {firstError}");
}

if (options.GapsFile is { } gapsFile)
{
    using var gaps = new StreamWriter(gapsFile);
    gaps.WriteLine("end_unix_ms,gap_ms");
    foreach (var gap in result.Gaps)
    {
        gaps.WriteLine(FormattableString.Invariant($"{gap.EndUnixMs},{gap.Ms:F1}"));
    }
}

double seconds = (double)result.ElapsedTicks / Stopwatch.Frequency;
using (var json = new Utf8JsonWriter(Console.OpenStandardOutput()))
{
    json.WriteStartObject();
    json.WriteString("label", options.Label);
    json.WriteString("mode", options.Plain ? "plain" : "stream");
    json.WriteNumber("concurrency", options.Concurrency);
    json.WriteNumber("ok", result.LastByte.Length);
    json.WriteNumber("errors", result.Errors);
    json.WriteNumber("events", result.Events);
    json.WriteNumber("max_event_gap_ms", Math.Round(result.MaxEventGapTicks * 1000.0 / Stopwatch.Frequency, 1));
    json.WriteNumber("gaps_over_threshold", result.Gaps.Length);
    // The client's own GC pauses stop its reads too: a gap no longer than these may be the client's.
    json.WriteNumber("client_gc_pause_total_ms", Math.Round(GC.GetTotalPauseDuration().TotalMilliseconds, 1));
    json.WriteNumber("seconds", Math.Round(seconds, 3));
    json.WriteNumber("rps", Math.Round(result.LastByte.Length / seconds, 1));
    WriteTimings(json, "headers", result.Headers);
    WriteTimings(json, "ttfb", result.FirstByte);
    WriteTimings(json, "ttlb", result.LastByte);
    json.WriteEndObject();
}

Console.WriteLine();
return result.LastByte.Length > 0 ? 0 : 1;

static void WriteTimings(Utf8JsonWriter json, string name, long[] sorted)
{
    foreach (var (suffix, p) in new[] { ("p50", 0.50), ("p90", 0.90), ("p99", 0.99), ("p999", 0.999) })
    {
        double ms = Percentiles.Ms(sorted, p);
        if (double.IsNaN(ms))
        {
            json.WriteNull($"{name}_{suffix}");
        }
        else
        {
            json.WriteNumber($"{name}_{suffix}", Math.Round(ms, 3));
        }
    }
}
