using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Tests.Access;
using Gateway.Fast.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace Gateway.Fast.Tests.Errors;

/// <summary>Errors the gateway makes itself, end to end: each names what went wrong and what to do, in the caller's own shape.</summary>
public sealed class ErrorMessageTests : IClassFixture<GatewayWithSimulator>
{
    private const string CreateHint = """create it with POST /api/management/gateways {"id":"no-such-gateway"}""";

    private readonly GatewayWithSimulator _env;

    public ErrorMessageTests(GatewayWithSimulator env) => _env = env;

    private async Task<(HttpStatusCode Status, string Text, JsonElement Root)> PostAsync(string path, string body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _env.Gateway.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(text);
        return (response.StatusCode, text, doc.RootElement.Clone());
    }

    private const string Chat = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""";

    /// <summary>The Cloudflare shape's message, checked to agree with its <c>error[0]</c> entry and codes.</summary>
    private static string CloudflareMessage(JsonElement root, int status, int code)
    {
        Assert.False(root.GetProperty("success").GetBoolean());
        Assert.Equal(code, root.GetProperty("error")[0].GetProperty("code").GetInt32());
        Assert.Equal(status, root.GetProperty("httpCode").GetInt32());
        Assert.Equal(code, root.GetProperty("internalCode").GetInt32());
        var message = root.GetProperty("message").GetString()!;
        Assert.Equal(message, root.GetProperty("error")[0].GetProperty("message").GetString());
        return message;
    }

    [Fact]
    public async Task UnknownGateway_ThroughTheOpenAISdk_NamesTheGatewayAndHowToCreateIt()
    {
        var client = new ChatClient("gpt-4o-mini", new ApiKeyCredential("sk-test"),
            new OpenAIClientOptions { Endpoint = _env.ProviderUrl("openai", gateway: "no-such-gateway") });

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(400, ex.Status);
        Assert.Contains("gateway 'no-such-gateway' does not exist", ex.Message);
        Assert.Contains(CreateHint, ex.Message);
        Assert.DoesNotContain("Cloudflare dashboard", ex.Message);
    }

    [Fact]
    public async Task UnknownGateway_OnOpenAI_IsOpenAIShaped_AndReadableInRawOutput()
    {
        var (status, text, root) = await PostAsync("v1/acct/no-such-gateway/openai/chat/completions", Chat, ("Authorization", "Bearer sk-caller-secret-1"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = root.GetProperty("error");
        Assert.Equal(2001, error.GetProperty("code").GetInt32());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(
            "Gateway not found: gateway 'no-such-gateway' does not exist; " + CreateHint + " and Authorization: Bearer $CF_AIG_MANAGEMENT_API_TOKEN",
            error.GetProperty("message").GetString());

        // Escaped JSON, but a person reading curl output sees the body to send, not \u0022 escapes.
        Assert.Contains("""{\"id\":\"no-such-gateway\"}""", text);
        Assert.DoesNotContain("sk-caller-secret-1", text);
    }

    [Theory]
    [InlineData("v1/acct/no-such-gateway/google-ai-studio/v1beta/models/gemini-2.0-flash:generateContent")]
    [InlineData("v1/acct/no-such-gateway/workers-ai/@cf/meta/llama-3.1-8b-instruct")]
    [InlineData("v1/acct/no-such-gateway")]
    public async Task UnknownGateway_ElsewhereIsCloudflareShaped_WithTheSameHint(string path)
    {
        var body = path.EndsWith("no-such-gateway", StringComparison.Ordinal)
            ? """[{"provider":"openai","endpoint":"chat/completions","headers":{},"query":{"model":"m","messages":[]}}]"""
            : Chat;

        var (status, _, root) = await PostAsync(path, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var message = CloudflareMessage(root, 400, 2001);
        Assert.Contains("gateway 'no-such-gateway' does not exist", message);
        Assert.Contains(CreateHint, message);
        Assert.DoesNotContain("dashboard", message);
    }

    [Fact]
    public async Task UnknownGateway_OnAnthropic_IsAnthropicShaped()
    {
        var (status, _, root) = await PostAsync("v1/acct/no-such-gateway/anthropic/v1/messages",
            """{"model":"claude-sonnet-4-5","max_tokens":8,"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("error", root.GetProperty("type").GetString());
        Assert.Contains(CreateHint, root.GetProperty("error").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("Not_A_Valid_Id")]
    [InlineData("a%22%7D%2C%22injected%22%3A%22x")] // a"},"injected":"x once decoded
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task AGatewayIdThatCannotExist_IsNotEchoed_AndTheHintGivesTheIdRules(string id)
    {
        var (status, text, root) = await PostAsync($"v1/acct/{id}/openai/chat/completions", Chat);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = root.GetProperty("error");
        Assert.Equal(2001, error.GetProperty("code").GetInt32());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains("ids are 1-64 characters of a-z, 0-9, '_' and '-'", message);
        Assert.Contains("POST /api/management/gateways", message);
        Assert.DoesNotContain(Uri.UnescapeDataString(id), message);
        Assert.False(root.TryGetProperty("injected", out _));
        Assert.True(text.Length < 1024, $"{text.Length} bytes");
    }

    [Fact]
    public async Task UnknownProvider_NamesTheSlugAndWhereTheListIs()
    {
        var (status, _, root) = await PostAsync("v1/acct/default/no-such-provider/chat/completions", Chat);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var message = CloudflareMessage(root, 400, 2008);
        Assert.StartsWith("Invalid provider: 'no-such-provider' is not a provider this gateway knows", message);
        Assert.Contains("GET /health", message);
    }

    [Fact]
    public async Task MalformedPath_ShowsTheExpectedShape()
    {
        var (status, _, root) = await PostAsync("v1/acct", Chat);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("/v1/{account_id}/{gateway_id}/{provider}/{endpoint}", CloudflareMessage(root, 400, 2000));
    }

    [Fact]
    public async Task Unauthorized_OnAnAuthenticatedGateway_SaysWhichCredentialAndWhere_AndEchoesNoneOfTheCallers()
    {
        await AccessApi.CreateGatewayAsync(_env.Gateway, "locked-messages", authentication: true);

        var (status, text, root) = await PostAsync("v1/acct/locked-messages/openai/chat/completions", Chat,
            ("Authorization", "Bearer sk-caller-secret-2"), ("cf-aig-authorization", "Bearer wrong-gateway-token-3"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        var error = root.GetProperty("error");
        Assert.Equal(2009, error.GetProperty("code").GetInt32());
        var message = error.GetProperty("message").GetString()!;
        Assert.StartsWith("Unauthorized: this gateway has authentication on", message);
        Assert.Contains("cf-aig-authorization: Bearer {token}", message);
        Assert.Contains("POST /api/management/gateways/{gateway_id}/tokens", message);
        Assert.DoesNotContain("sk-caller-secret-2", text);
        Assert.DoesNotContain("wrong-gateway-token-3", text);
    }

    [Fact]
    public async Task Unauthorized_OnATeamBasePath_AsksForATeamKey()
    {
        var (status, text, root) = await PostAsync("openai/v1/chat/completions", Chat, ("Authorization", "Bearer sk_not-a-team-key-4"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        var message = root.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("team key as Authorization: Bearer sk_", message);
        Assert.Contains("POST /tokens", message);
        Assert.DoesNotContain("sk_not-a-team-key-4", text);
    }
}
