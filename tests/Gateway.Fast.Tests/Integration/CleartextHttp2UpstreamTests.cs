using System.Net;
using System.Text;
using Gateway.Fast.Simulator;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Integration;

/// <summary>
/// <c>Gateway:UpstreamCleartextHttp2</c>: calls to an <c>http://</c> upstream go as HTTP/2 with prior knowledge, so
/// concurrent streams share connections; against an upstream that speaks only HTTP/2 every answer still arrives whole,
/// streams event by event to <c>[DONE]</c>, and leaves its log row with the body. (An HTTP/1.1 call would fail there:
/// the endpoint takes only HTTP/2.)
/// </summary>
public sealed class CleartextHttp2UpstreamTests : IAsyncLifetime
{
    private const string Logs = "client/v4/accounts/acct/ai-gateway/gateways/default/logs";

    private readonly TempDirectory _data = new();
    private SimulatorHost _simulator = null!;
    private GatewayServer _gateway = null!;

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorHost.StartAsync("http://127.0.0.1:0", http2Only: true);
        _gateway = await GatewayServer.StartAsync(_simulator, _data.Path,
            new Dictionary<string, string?> { ["Gateway:UpstreamCleartextHttp2"] = "true" });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _simulator.DisposeAsync();
        _data.Dispose();
    }

    private HttpRequestMessage ChatRequest(bool stream, int tokens) =>
        new(HttpMethod.Post, new Uri(new Uri(_gateway.Address, "v1/test-account/default/openai/"), "chat/completions"))
        {
            Content = new StringContent(
                $$"""{"model":"gpt-4o-mini","stream":{{(stream ? "true" : "false")}},"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hi"}]}""",
                Encoding.UTF8, "application/json"),
            Headers = { { "x-sim-tokens", tokens.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
        };

    [Fact]
    public async Task Streams_OverAnHttp2OnlyUpstream_ArriveWhole_AndAreLoggedWithTheirBody()
    {
        // Several at once: over HTTP/2 they are streams of one upstream connection, not a connection each.
        var sends = Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await _gateway.Client.SendAsync(ChatRequest(stream: true, tokens: 30), HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            string text = await response.Content.ReadAsStringAsync();
            return (Id: response.Headers.GetValues("cf-aig-log-id").Single(), Text: text);
        }).ToList();

        using var management = _gateway.ManagementClient();
        foreach (var (id, text) in await Task.WhenAll(sends))
        {
            Assert.EndsWith("data: [DONE]\n\n", text.Replace("\r\n", "\n"));
            var row = await _gateway.WaitForLogRowAsync(id);
            Assert.True(row.Success);
            Assert.Equal(30, row.TokensOut);
            Assert.Equal(text, await management.GetStringAsync($"{Logs}/{id}/response"));
        }
    }

    [Fact]
    public async Task PlainAnswers_OverAnHttp2OnlyUpstream_AreRelayedAsTheUpstreamSentThem()
    {
        using var response = await _gateway.Client.SendAsync(ChatRequest(stream: false, tokens: 5));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"chat.completion\"", body);
        var row = await _gateway.WaitForLogRowAsync(response.Headers.GetValues("cf-aig-log-id").Single());
        Assert.Equal(5, row.TokensOut);
    }
}
