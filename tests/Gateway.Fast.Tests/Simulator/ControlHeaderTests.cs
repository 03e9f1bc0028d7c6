using System.Net.Http;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Gateway.Fast.Tests.Simulator;

public sealed class ControlHeaderTests : IClassFixture<SimulatorFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly SimulatorFixture _sim;

    public ControlHeaderTests(SimulatorFixture sim) => _sim = sim;

    [Fact]
    public async Task ResetAfter_CutsStreamMidwayWithIOException()
    {
        using var request = _sim.Post("/v1/chat/completions", "{\"stream\":true}", ("x-sim-tokens", "10"), ("x-sim-reset-after", "3"));
        using var response = await _sim.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        await using Stream stream = await response.Content.ReadAsStreamAsync();
        var received = new MemoryStream();

        var error = await Assert.ThrowsAnyAsync<IOException>(() => stream.CopyToAsync(received).WaitAsync(Timeout));

        Assert.NotNull(error);
        var events = SseText.Parse(Encoding.UTF8.GetString(received.ToArray()));
        Assert.Equal(1 + 3, events.Count);
        Assert.DoesNotContain(events, static e => e.Data == "[DONE]");
    }

    [Fact]
    public async Task ResetAfter_OnPlainResponseDropsConnectionBeforeHeaders()
    {
        using var request = _sim.Post("/v1/chat/completions", "{}", ("x-sim-reset-after", "0"));

        await Assert.ThrowsAsync<HttpRequestException>(() => _sim.Client.SendAsync(request).WaitAsync(Timeout));
    }

    [Fact]
    public async Task FailFirst_AppliesTheFaultOnlyToTheFirstRequestsOfAKey()
    {
        string key = Guid.NewGuid().ToString("N");
        var statuses = new List<int>();
        for (int i = 0; i < 4; i++)
        {
            var (response, _) = await _sim.SendAsync(_sim.Post("/v1/chat/completions", "{}",
                ("x-sim-status", "503"), ("x-sim-fail-first", "2"), ("x-sim-fail-key", key)));
            statuses.Add((int)response.StatusCode);
            response.Dispose();
        }

        Assert.Equal([503, 503, 200, 200], statuses);
    }

    [Fact]
    public async Task Tokens_SetsOutputLengthAndUsage()
    {
        var (_, body) = await _sim.SendAsync(_sim.Post("/v1/messages", "{\"stream\":true}", ("x-sim-tokens", "25")));

        var events = SseText.Parse(Encoding.UTF8.GetString(body));
        Assert.Equal(25, events.Count(static e => e.Name == "content_block_delta"));
        using var delta = JsonDocument.Parse(events.Single(static e => e.Name == "message_delta").Data);
        Assert.Equal(25, delta.RootElement.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task TokensPerSecond_DeliversTokenEventsInSeparateReads()
    {
        using var request = _sim.Post("/v1/chat/completions", "{\"stream\":true}", ("x-sim-tokens", "5"),
            ("x-sim-tokens-per-second", "20"), ("x-sim-ttft-ms", "10"));
        using var response = await _sim.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using Stream stream = await response.Content.ReadAsStreamAsync();

        var reads = new List<string>();
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await stream.ReadAsync(buffer).AsTask().WaitAsync(Timeout)) > 0)
        {
            reads.Add(Encoding.UTF8.GetString(buffer, 0, n));
        }

        // Prelude may share a read with token 0, and the tail with token 4; every other token arrives alone.
        Assert.True(reads.Count >= 5, $"expected at least 5 reads, got {reads.Count}");
        var events = SseText.Parse(string.Concat(reads));
        Assert.Equal(1 + 5 + 1 + 1, events.Count);
        Assert.Equal("[DONE]", events[^1].Data);
    }

    [Fact]
    public async Task TtftMs_SendsHeadersBeforeTheFirstEvent()
    {
        using var request = _sim.Post("/v1/messages", "{\"stream\":true}", ("x-sim-ttft-ms", "60000"));
        using var response = await _sim.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(Timeout);

        Assert.Equal(200, (int)response.StatusCode);
        await using Stream stream = await response.Content.ReadAsStreamAsync();
        using var cts = new CancellationTokenSource();
        Task<int> read = stream.ReadAsync(new byte[1024], cts.Token).AsTask();
        Assert.False(read.IsCompleted, "no event may arrive before the time to first token");
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(Timeout));
    }

    [Fact]
    public async Task StallAfter_KeepsConnectionOpenAfterTokens()
    {
        using var request = _sim.Post("/model/amazon.nova-micro-v1%3A0/converse-stream", "{}", ("x-sim-tokens", "6"),
            ("x-sim-stall-after", "2"));
        using var response = await _sim.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(Timeout);
        await using Stream stream = await response.Content.ReadAsStreamAsync();

        var received = new MemoryStream();
        var buffer = new byte[4096];
        List<EventStreamDecoder.Frame> frames = [];
        while (frames.Count < 3)
        {
            int n = await stream.ReadAsync(buffer).AsTask().WaitAsync(Timeout);
            Assert.True(n > 0, "stream ended instead of stalling");
            received.Write(buffer, 0, n);
            frames = TryDecode(received.ToArray());
        }

        Assert.Equal(["messageStart", "contentBlockDelta", "contentBlockDelta"], frames.Select(static f => f.EventType).ToArray());
        using var cts = new CancellationTokenSource();
        Task<int> next = stream.ReadAsync(buffer, cts.Token).AsTask();
        Assert.False(next.IsCompleted, "a stalled stream sends nothing more");
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Status_AppliesToWorkersAiWithCloudflareEnvelope()
    {
        var (response, body) = await _sim.SendAsync(_sim.Post("/client/v4/accounts/acct/ai/run/@cf/meta/llama-3.1-8b-instruct", "{}",
            ("x-sim-status", "500")));

        Assert.Equal(500, (int)response.StatusCode);
        using var doc = JsonDocument.Parse(body);
        Assert.False(doc.RootElement.GetProperty("success").GetBoolean());
        Assert.Equal(1, doc.RootElement.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public async Task RequestCount_CountsEveryRequest()
    {
        long before = _sim.Host.RequestCount;
        await _sim.SendAsync(_sim.Post("/v1/chat/completions", "{}"));
        await _sim.SendAsync(_sim.Post("/echo", "{}"));

        Assert.True(_sim.Host.RequestCount >= before + 2);
    }

    private static List<EventStreamDecoder.Frame> TryDecode(byte[] data)
    {
        // Decode only whole frames received so far.
        int complete = 0;
        while (complete + 4 <= data.Length)
        {
            int total = (data[complete] << 24) | (data[complete + 1] << 16) | (data[complete + 2] << 8) | data[complete + 3];
            if (complete + total > data.Length)
            {
                break;
            }

            complete += total;
        }

        return EventStreamDecoder.Decode(data.AsSpan(0, complete));
    }
}
