using System.Diagnostics;
using System.Globalization;
using Capacity.Model;

namespace Capacity.Load;

/// <summary>
/// Stream time to first byte: C clients, each opening its next stream when the last one ended, for a fixed time; each
/// stream's time from its send to the first body byte (the first event) and to its end. The simulator is unpaced, so the
/// first byte's wait is what the path adds, not the model's.
/// </summary>
internal sealed class StreamTtfbRunner(Target target, int maxConnections) : IDisposable
{
    /// <summary>Events per stream: a short answer, so the steps open many streams.</summary>
    private const int Tokens = 16;

    private static readonly byte[] DoneMarker = "data: [DONE]"u8.ToArray();

    private readonly HttpMessageInvoker _invoker = new(RequestSender.CreateHandler(maxConnections));
    private readonly byte[] _body = File.ReadAllBytes(target.StreamBody ?? target.Body);
    private string? _firstError;

    /// <summary>The first failure seen, for the run's notes.</summary>
    public string? FirstError => _firstError;

    public async Task<TtfbStep> RunAsync(int concurrency, double seconds)
    {
        long start = Stopwatch.GetTimestamp();
        long stopAt = start + (long)(seconds * Stopwatch.Frequency);
        var workers = new Task<Client>[concurrency];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(() => RunClientAsync(stopAt));
        }

        var clients = await Task.WhenAll(workers);
        double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var first = clients.SelectMany(static c => c.First).ToArray();
        var last = clients.SelectMany(static c => c.Last).ToArray();
        return new TtfbStep
        {
            Concurrency = concurrency,
            Seconds = Math.Round(elapsed, 3),
            Ok = first.Length,
            Errors = clients.Sum(static c => c.Errors),
            Ttfb = LatencySamples.Summarise(first, first.Length),
            Ttlb = LatencySamples.Summarise(last, last.Length),
        };
    }

    private async Task<Client> RunClientAsync(long stopAt)
    {
        var client = new Client();
        byte[] buffer = new byte[16 * 1024];
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            long sent = Stopwatch.GetTimestamp();
            long firstByte = 0;
            try
            {
                using var request = RequestSender.CreateRequest(target, _body);
                request.Headers.TryAddWithoutValidation("x-sim-tokens", Tokens.ToString(CultureInfo.InvariantCulture));
                using var response = await _invoker.SendAsync(request, CancellationToken.None); // an invoker returns at the headers
                await using var body = await response.Content.ReadAsStreamAsync();
                var counter = new SseEventCounter();
                int read;
                while ((read = await body.ReadAsync(buffer)) > 0)
                {
                    if (firstByte == 0)
                    {
                        firstByte = Stopwatch.GetTimestamp();
                    }

                    counter.Add(buffer.AsSpan(0, read));
                }

                if (!response.IsSuccessStatusCode || !counter.EndsWith(DoneMarker))
                {
                    Fail(client, response.IsSuccessStatusCode ? "stream ended without data: [DONE]" : $"HTTP {(int)response.StatusCode}");
                    continue;
                }

                client.First.Add(firstByte - sent);
                client.Last.Add(Stopwatch.GetTimestamp() - sent);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
            {
                Fail(client, $"{ex.GetType().Name}: {ex.Message}");
            }
        }

        return client;
    }

    private void Fail(Client client, string error)
    {
        client.Errors++;
        Interlocked.CompareExchange(ref _firstError, error, null);
    }

    public void Dispose() => _invoker.Dispose();

    private sealed class Client
    {
        public List<long> First { get; } = new(1024);

        public List<long> Last { get; } = new(1024);

        public long Errors { get; set; }
    }
}
