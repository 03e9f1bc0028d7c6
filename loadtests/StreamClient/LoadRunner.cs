using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace StreamClient;

/// <summary>
/// Runs C workers that share one request budget (a count or a deadline). Each worker sends one request at a time and records
/// when the response headers arrived, when the first body byte arrived (the first SSE event when streaming) and when the body
/// ended, all from <see cref="Stopwatch.GetTimestamp"/> taken just before the send.
/// </summary>
internal sealed class LoadRunner
{
    private const int TailLength = 32;

    private readonly HttpClient _client;
    private readonly ClientOptions _options;
    private readonly byte[] _body;
    private readonly byte[] _endMarker;
    private readonly long _gapThresholdTicks;
    private long _issued;
    private long _limit;
    private long _stopAt;
    private string? _firstError;

    public LoadRunner(HttpClient client, ClientOptions options, byte[] body)
    {
        _client = client;
        _options = options;
        _body = body;
        _endMarker = System.Text.Encoding.UTF8.GetBytes(options.EndMarker);
        _gapThresholdTicks = (long)(options.GapThresholdMs * Stopwatch.Frequency / 1000);
    }

    public string? FirstError => _firstError;

    /// <summary>Runs one phase: <paramref name="requests"/> requests (0 = unbounded) or until <paramref name="seconds"/> pass.</summary>
    public async Task<PhaseResult> RunPhaseAsync(long requests, double seconds)
    {
        _issued = 0;
        _limit = requests > 0 ? requests : long.MaxValue;
        long start = Stopwatch.GetTimestamp();
        _stopAt = seconds > 0 ? start + (long)(seconds * Stopwatch.Frequency) : long.MaxValue;

        var workers = new Task<WorkerResult>[_options.Concurrency];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(RunWorkerAsync);
        }

        var results = await Task.WhenAll(workers);
        long elapsed = Stopwatch.GetTimestamp() - start;
        return PhaseResult.Merge(results, elapsed);
    }

    private async Task<WorkerResult> RunWorkerAsync()
    {
        var result = new WorkerResult();
        var buffer = new byte[16 * 1024];
        var tail = new byte[TailLength];
        while (Interlocked.Increment(ref _issued) <= _limit && Stopwatch.GetTimestamp() < _stopAt)
        {
            try
            {
                if (await SendOneAsync(buffer, tail, result) is { } error)
                {
                    result.Errors++;
                    Interlocked.CompareExchange(ref _firstError, error, null);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
            {
                result.Errors++;
                Interlocked.CompareExchange(ref _firstError, $"{ex.GetType().Name}: {ex.Message}", null);
            }
        }

        return result;
    }

    /// <summary>Sends one request and reads its body to the end; returns an error text, or null on success.</summary>
    private async Task<string?> SendOneAsync(byte[] buffer, byte[] tail, WorkerResult result)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.Url)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(_body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in _options.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        long t0 = Stopwatch.GetTimestamp();
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        long headers = Stopwatch.GetTimestamp() - t0;

        await using var body = await response.Content.ReadAsStreamAsync();
        long firstByte = 0;
        int tailFill = 0;
        long events = 0;
        long lastEventAt = 0;
        long maxGap = 0;
        byte previous = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            long now = Stopwatch.GetTimestamp();
            if (firstByte == 0)
            {
                firstByte = now - t0;
                lastEventAt = now;
            }

            var chunk = buffer.AsSpan(0, read);
            long ended = CountEventEnds(chunk, ref previous);
            if (ended > 0)
            {
                // The largest silence between two reads that completed events: a stall anywhere in the gateway shows here.
                long gap = now - lastEventAt;
                maxGap = Math.Max(maxGap, gap);
                if (gap >= _gapThresholdTicks)
                {
                    result.Gaps.Add(new EventGap(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), gap * 1000.0 / Stopwatch.Frequency));
                }

                lastEventAt = now;
            }

            events += ended;
            tailFill = AppendTail(tail, tailFill, chunk);
        }

        long lastByte = Stopwatch.GetTimestamp() - t0;

        if (!response.IsSuccessStatusCode)
        {
            return $"HTTP {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(tail, 0, tailFill)}";
        }

        if (!_options.Plain && tail.AsSpan(0, tailFill).IndexOf(_endMarker) < 0)
        {
            return "stream ended without " + _options.EndMarker;
        }

        if (firstByte == 0)
        {
            return "empty body";
        }

        result.Samples.Add(new Sample(headers, firstByte, lastByte));
        result.Events += events;
        result.MaxEventGapTicks = Math.Max(result.MaxEventGapTicks, maxGap);
        return null;
    }

    /// <summary>Counts SSE event terminators, a blank line: "\n\n", or "\n\r\n" inside "\r\n\r\n". Carries one byte across reads.</summary>
    private static long CountEventEnds(ReadOnlySpan<byte> chunk, ref byte previous)
    {
        long count = 0;
        byte last = previous;
        byte beforeLast = 0;
        foreach (byte b in chunk)
        {
            if (b == (byte)'\n' && (last == (byte)'\n' || (last == (byte)'\r' && beforeLast == (byte)'\n')))
            {
                count++;
            }

            beforeLast = last;
            last = b;
        }

        previous = last;
        return count;
    }

    private static int AppendTail(byte[] tail, int fill, ReadOnlySpan<byte> chunk)
    {
        if (chunk.Length >= tail.Length)
        {
            chunk[^tail.Length..].CopyTo(tail);
            return tail.Length;
        }

        int keep = Math.Min(fill, tail.Length - chunk.Length);
        tail.AsSpan(fill - keep, keep).CopyTo(tail);
        chunk.CopyTo(tail.AsSpan(keep));
        return keep + chunk.Length;
    }
}
