using System.Text;
using Gateway.Fast.Accounting;
using Gateway.Fast.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Tests.Accounting;

/// <summary>
/// Bedrock InvokeModel usage: the streamed form's <c>amazon-bedrock-invocationMetrics</c> inside base64 chunks, Nova's
/// plain body, and the token-count headers of the other models, through the real gateway and the simulator.
/// </summary>
public sealed class BedrockInvokeUsageTests : IClassFixture<GatewayWithSimulator>
{
    private readonly GatewayWithSimulator _env;

    public BedrockInvokeUsageTests(GatewayWithSimulator env) => _env = env;

    private async Task<Gateway.Fast.Logging.LogRecord> SendAsync(string path, string body, int tokens)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_env.ProviderUrl("aws-bedrock"), path))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-sim-tokens", tokens.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await _env.Gateway.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode);
        await response.Content.ReadAsByteArrayAsync();
        return await _env.Gateway.WaitForLogRowAsync(response.Headers.GetValues("cf-aig-log-id").Single());
    }

    [Theory]
    [InlineData("bedrock-runtime/us-east-1/model/anthropic.claude-3-5-haiku-20241022-v1:0/invoke-with-response-stream")]
    [InlineData("bedrock-runtime/us-east-1/model/amazon.nova-micro-v1:0/invoke-with-response-stream")]
    public async Task TheInvokeStream_IsCountedFromItsInvocationMetrics(string path)
    {
        var row = await SendAsync(path, """{"messages":[{"role":"user","content":[{"text":"Hi"}]}],"max_tokens":50}""", tokens: 23);

        Assert.Equal(23, row.TokensOut);
        Assert.True(row.TokensIn > 0);
        Assert.False(row.TokensEstimated);
    }

    [Fact]
    public async Task NovasPlainInvoke_IsCountedFromItsBody()
    {
        var row = await SendAsync("bedrock-runtime/us-east-1/model/amazon.nova-micro-v1:0/invoke",
            """{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}""", tokens: 17);

        Assert.Equal(17, row.TokensOut);
        Assert.False(row.TokensEstimated);
    }

    [Fact]
    public void TheTokenCountHeaders_AreRead()
    {
        var headers = new HeaderDictionary
        {
            ["X-Amzn-Bedrock-Input-Token-Count"] = "12",
            ["X-Amzn-Bedrock-Output-Token-Count"] = "34",
        };

        Assert.True(BedrockHeaderUsage.TryRead(headers, out var usage));
        Assert.Equal(12, usage.InputTokens);
        Assert.Equal(34, usage.OutputTokens);
        Assert.False(BedrockHeaderUsage.TryRead(new HeaderDictionary(), out _));
    }
}
