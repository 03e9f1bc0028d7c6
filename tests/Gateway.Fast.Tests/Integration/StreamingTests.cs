using System.Net;
using System.Text;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Integration;

/// <summary>Streams pass event by event, and a broken stream never looks complete.</summary>
public sealed class StreamingTests : IClassFixture<GatewayWithSimulator>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly GatewayWithSimulator _env;

    public StreamingTests(GatewayWithSimulator env) => _env = env;

    private HttpRequestMessage StreamRequest(params (string, string)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_env.ProviderUrl("openai"), "chat/completions"))
        {
            Content = new StringContent("""{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Hi"}]}""",
                Encoding.UTF8, "application/json"),
        };
        foreach (var (k, v) in headers)
        {
            request.Headers.Add(k, v);
        }

        return request;
    }

    /// <summary>Reads SSE data lines until <paramref name="wanted"/> have arrived.</summary>
    private static async Task<List<string>> ReadDataLinesAsync(Stream body, int wanted)
    {
        var lines = new List<string>();
        using var reader = new StreamReader(body);
        while (lines.Count < wanted && await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                lines.Add(line);
            }
        }

        return lines;
    }

    [Fact]
    public async Task StreamedEvents_ReachTheClientBeforeTheUpstreamFinishes()
    {
        // The simulator sends 3 token events and then holds the stream open without ending it.
        // A gateway that buffered to the end would never deliver them.
        using var response = await _env.Gateway.Client.SendAsync(
            StreamRequest(("x-sim-tokens", "50"), ("x-sim-stall-after", "3")), HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var body = await response.Content.ReadAsStreamAsync();
        var lines = await ReadDataLinesAsync(body, 3).WaitAsync(Patience);

        Assert.Equal(3, lines.Count);
        Assert.All(lines, l => Assert.Contains("chat.completion.chunk", l));
    }

    [Fact]
    public async Task CompleteStream_EndsWithDone()
    {
        using var response = await _env.Gateway.Client.SendAsync(StreamRequest(("x-sim-tokens", "20")), HttpCompletionOption.ResponseHeadersRead);

        var text = await response.Content.ReadAsStringAsync();

        Assert.EndsWith("data: [DONE]\n\n", text.Replace("\r\n", "\n"));
        Assert.True(text.Split("chat.completion.chunk").Length - 1 >= 20, "every token chunk arrives");
    }

    [Fact]
    public async Task UpstreamCutMidStream_EndsWithAnErrorEventInTheCallersShape()
    {
        using var response = await _env.Gateway.Client.SendAsync(
            StreamRequest(("x-sim-tokens", "50"), ("x-sim-tokens-per-second", "1000"), ("x-sim-reset-after", "5")),
            HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var text = (await response.Content.ReadAsStringAsync().WaitAsync(Patience)).Replace("\r\n", "\n");

        Assert.DoesNotContain("[DONE]", text);
        Assert.Contains("\n\nevent: error\ndata: {\"error\":{", text);
        Assert.Contains("\"code\":2005", text);
        Assert.EndsWith("}}\n\n", text);
    }

    [Fact]
    public async Task UpstreamCutMidBody_OfANonStream_AbortsTheClientConnection()
    {
        var request = new HttpRequestMessage(HttpMethod.Post,
            new Uri(_env.ProviderUrl("aws-bedrock"), "bedrock-runtime/us-east-1/model/amazon.nova-pro-v1:0/converse-stream"))
        {
            Content = new StringContent("""{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-sim-tokens", "50");
        request.Headers.Add("x-sim-tokens-per-second", "1000");
        request.Headers.Add("x-sim-reset-after", "5");
        using var response = await _env.Gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var ex = await Record.ExceptionAsync(() => response.Content.CopyToAsync(Stream.Null).WaitAsync(Patience));

        Assert.NotNull(ex);
        Assert.True(ex is IOException or HttpRequestException, ex.ToString());
    }

    [Fact]
    public async Task HeadersOfAStream_ArriveBeforeItsFirstEvent()
    {
        // Stall before any token: only the response start can reach the client.
        using var response = await _env.Gateway.Client.SendAsync(
            StreamRequest(("x-sim-stall-after", "0")), HttpCompletionOption.ResponseHeadersRead).WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.Contains("cf-aig-log-id"));
    }
}

/// <summary>A caller that goes away cancels the provider call (its own simulator, so no other test's disconnect counts).</summary>
public sealed class ClientDisconnectTests : IAsyncLifetime
{
    private readonly GatewayWithSimulator _env = new();

    public Task InitializeAsync() => _env.InitializeAsync();

    public Task DisposeAsync() => _env.DisposeAsync();

    [Fact]
    public async Task ClientDisconnect_CancelsTheUpstreamCall()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_env.ProviderUrl("openai"), "chat/completions"))
        {
            Content = new StringContent("""{"model":"m","stream":true,"messages":[]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-sim-stall-after", "2");
        var response = await _env.Gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStreamAsync();
        var first = new byte[1];
        Assert.Equal(1, await body.ReadAsync(first).AsTask().WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(0, _env.Simulator.ClientAbortCount);

        response.Dispose(); // the caller leaves mid-stream

        await _env.Simulator.WaitForClientAbortAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(1, _env.Simulator.ClientAbortCount);
    }

    [Fact]
    public async Task ClientDisconnect_WhileWaitingForHeaders_CancelsTheUpstreamCall()
    {
        using var cts = new CancellationTokenSource();
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_env.ProviderUrl("anthropic"), "v1/messages"))
        {
            Content = new StringContent("""{"model":"m","max_tokens":5,"messages":[]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-sim-delay-ms", "60000");
        var pending = _env.Gateway.Client.SendAsync(request, cts.Token);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (_env.Simulator.RequestCount == 0)
        {
            // The request has to reach the simulator before the caller gives up; bounded, never a fixed sleep.
            Assert.True(DateTime.UtcNow < deadline, "the request never reached the simulator");
            await Task.Yield();
        }

        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        await _env.Simulator.WaitForClientAbortAsync().WaitAsync(TimeSpan.FromSeconds(20));
    }
}
