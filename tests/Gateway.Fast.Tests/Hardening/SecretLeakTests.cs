using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Logging;
using Gateway.Fast.Simulator;
using Gateway.Fast.Tests.Access;
using Gateway.Fast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Gateway.Fast.Tests.Hardening;

/// <summary>
/// Issue 7 part 6: unique secrets sent through every surface of a real gateway (passthrough, the unified API, the default
/// routes, the Universal Endpoint, the management API; streamed and not; failing upstreams, timeouts, bad credentials,
/// malformed bodies) are found in no log line, no log record or body, no metric, no response, no management listing and
/// no byte of the data folder.
/// </summary>
/// <remarks>
/// Secrets travel where credentials travel (headers, <c>?key=</c>, <c>?auth_token=</c>, Universal step headers, stored
/// keys) and never in request bodies, which the log keeps by design. The simulator's echo and reflect features are not
/// used: they hand the upstream's view back on purpose.
/// </remarks>
public sealed class SecretLeakTests : IAsyncLifetime
{
    private const string Open = "leak-open";
    private const string Locked = "leak-locked";
    private const string ChatJson = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""";
    private const string ChatStreamJson = """{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Hi"}]}""";
    private const string AnthropicJson = """{"model":"claude-sonnet-4-5","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}""";
    private const string AnthropicStreamJson = """{"model":"claude-sonnet-4-5","max_tokens":16,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""";
    private const string GeminiJson = """{"contents":[{"role":"user","parts":[{"text":"Hi"}]}]}""";
    private const string ConverseJson = """{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}""";
    /// <summary>Any status will do: the case is here for what the gateway writes about it, not for its outcome.</summary>
    private const HttpStatusCode AnyStatus = 0;
    private const string Bedrock = "aws-bedrock/bedrock-runtime/us-east-1/model/amazon.nova-pro-v1:0/";

    private readonly LeakSecrets _secrets = new();
    private readonly TempDirectory _data = new();
    private readonly CapturingLoggerProvider _logLines = new();
    private readonly List<(string Surface, string Text)> _answers = [];
    private readonly Dictionary<string, int> _requestsBySurface = [];
    private readonly List<(string Surface, string Id, int Status)> _logIds = [];
    private SimulatorHost _simulator = null!;
    private GatewayServer _gateway = null!; // started by the test, with its logging levels
    private HttpClient _management = null!;
    private readonly ITestOutputHelper _output;
    private bool _gatewayStopped;

    // Provider keys sent by callers, one per header the catalog knows, and two in query strings.
    private string _openAiKey = "", _anthropicKey = "", _googleHeaderKey = "", _googleQueryKey = "", _azureKey = "", _bedrockApiKey = "";
    private string _unreachableQueryKey = "", _universalKey0 = "", _universalKey1 = "", _universalLockedKey = "";

    // Keys the gateway holds, its own credentials, and wrong ones.
    private string _managementToken = "", _authToken = "", _storedOpenAi = "", _storedAnthropic = "", _storedAwsSecret = "", _storedAlias = "";
    private string _wrongGatewayToken = "", _wrongManagementToken = "", _wrongAuthToken = "", _gatewayToken = "";

    // Keys the process was started with (ANTHROPIC_API_KEY, AWS_SECRET_ACCESS_KEY): the default routes' last resort.
    private string _environmentAnthropic = "", _environmentAwsSecret = "";

    public SecretLeakTests(ITestOutputHelper output) => _output = output;

    public async Task InitializeAsync()
    {
        _openAiKey = _secrets.New("openai key (Authorization: Bearer)");
        _anthropicKey = _secrets.New("anthropic key (x-api-key)", "sk-ant-");
        _googleHeaderKey = _secrets.New("google key (x-goog-api-key)", "AIza");
        _googleQueryKey = _secrets.New("google key (?key=)", "AIza", inUrl: true);
        _azureKey = _secrets.New("azure key (api-key)", "az-");
        _bedrockApiKey = _secrets.New("bedrock API key (Authorization: Bearer)", "ABSK");
        _unreachableQueryKey = _secrets.New("?key= to an unreachable upstream", "AIza", inUrl: true);
        _universalKey0 = _secrets.New("universal step 0 headers.Authorization");
        _universalKey1 = _secrets.New("universal step 1 headers.Authorization");
        _universalLockedKey = _secrets.New("universal step on the locked gateway headers.Authorization");
        _managementToken = _secrets.New("management token", "mgmt-");
        _authToken = _secrets.New("AUTH_TOKEN", "auth-", inUrl: true);
        _storedOpenAi = _secrets.New("stored openai key");
        _storedAnthropic = _secrets.New("stored anthropic key", "sk-ant-");
        _storedAwsSecret = _secrets.New("stored AWS secretAccessKey", "aws/");
        _storedAlias = _secrets.New("stored openai key, alias team-b");
        _wrongGatewayToken = _secrets.New("wrong gateway token", "gw-");
        _wrongManagementToken = _secrets.New("wrong management token", "mgmt-");
        _wrongAuthToken = _secrets.New("wrong AUTH_TOKEN", "auth-", inUrl: true);
        _environmentAnthropic = _secrets.New("ANTHROPIC_API_KEY from the environment", "sk-ant-");
        _environmentAwsSecret = _secrets.New("AWS_SECRET_ACCESS_KEY from the environment", "aws/");

        // One provider (mistral) points at a port nothing listens on.
        _simulator = await SimulatorHost.StartAsync();
    }

    /// <summary>The gateway, with one provider (mistral) pointed at a port nothing listens on.</summary>
    /// <param name="everyLevel">
    /// False: the logging levels the gateway ships with (<c>appsettings.json</c>, on the content root here too). True: every
    /// level of every category, the framework's Debug and Trace included, through a rule for this provider alone, which
    /// wins over the file's category rules.
    /// </param>
    private async Task StartGatewayAsync(bool everyLevel)
    {
        int closedPort;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
        }

        _gateway = await GatewayServer.StartAsync(_simulator, _data.Path, new Dictionary<string, string?>
        {
            ["CF_AIG_MANAGEMENT_API_TOKEN"] = _managementToken,
            ["AUTH_TOKEN"] = _authToken,
            ["Gateway:Providers:mistral:BaseUrl"] = $"http://127.0.0.1:{closedPort}",
            ["ANTHROPIC_API_KEY"] = _environmentAnthropic,
            ["AWS_ACCESS_KEY_ID"] = "AKIDLEAKTESTENV",
            ["AWS_SECRET_ACCESS_KEY"] = _environmentAwsSecret,
            ["AWS_REGION"] = "us-east-1",
        }, builder =>
        {
            if (everyLevel)
            {
                builder.Logging.AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace);
            }

            builder.Logging.AddProvider(_logLines);
        });
        _management = new HttpClient { BaseAddress = _gateway.Address };
        _management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _managementToken);
    }

    public async Task DisposeAsync()
    {
        _management?.Dispose();
        if (_gateway is not null && !_gatewayStopped)
        {
            await _gateway.DisposeAsync();
        }

        await _simulator.DisposeAsync();
        _data.Dispose();
    }

    /// <remarks>
    /// At every level too: the gateway keeps ASP.NET Core's own URL logging (hosting diagnostics and its RequestPath scope,
    /// routing's Debug lines) off whatever the configuration says, since some documented URLs carry secrets
    /// (<c>?key=</c>, <c>?auth_token=</c>, a team key in a management path).
    /// </remarks>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UniqueSecrets_ReachNoLogLine_LogRecord_Metric_Response_Listing_OrDataFile(bool everyLevel)
    {
        await StartGatewayAsync(everyLevel);
        await SetUpGatewaysAsync();
        await DriveOpenGatewayAsync();
        await DriveLockedGatewayAsync();
        await DriveDefaultRoutesAsync();
        await DriveManagementAsync();

        var findings = new List<string>();
        await CheckLogRecordsAsync(findings);
        using (var metrics = await _gateway.Client.GetAsync("metrics"))
        {
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
            string text = await metrics.Content.ReadAsStringAsync();
            Assert.Contains("# TYPE", text);
            Report(findings, "GET /metrics", _secrets.FoundIn(text));
        }

        await CheckManagementListingsAsync(findings);
        foreach (var (surface, text) in _answers)
        {
            Report(findings, "response " + surface, _secrets.FoundIn(text));
        }

        // Stop the gateway (checkpoints, log flushes and shutdown lines included) before reading its files and lines.
        await _gateway.DisposeAsync();
        _gatewayStopped = true;
        int files = 0;
        foreach (string file in Directory.EnumerateFiles(_data.Path, "*", SearchOption.AllDirectories))
        {
            files++;
            Report(findings, "data file " + Path.GetRelativePath(_data.Path, file), _secrets.FoundIn(ReadAll(file)));
        }

        foreach (string line in _logLines.Lines)
        {
            foreach (string name in _secrets.FoundIn(line))
            {
                findings.Add($"{name} in log line: {line[..Math.Min(line.Length, 300)]}");
            }
        }

        int requests = _requestsBySurface.Values.Sum();
        foreach (var (surface, count) in _requestsBySurface)
        {
            _output.WriteLine($"{count,3} {surface}");
        }

        _output.WriteLine($"{requests} requests, {_secrets.Count} secrets, {_logLines.Lines.Count} log lines ), {files} data files searched");
        Assert.True(findings.Count == 0,
            $"{findings.Count} leak(s) of {_secrets.Count} secrets after {requests} requests:\n" + string.Join("\n", findings));

        // The run really drove the surfaces it claims, and really inspected something.
        Assert.True(requests >= 60, $"{requests} requests");
        Assert.True(files > 0);
        Assert.NotEmpty(_logLines.Lines);
    }

    private static void Report(List<string> findings, string where, IEnumerable<string> names)
    {
        foreach (string name in names)
        {
            findings.Add($"{name} in {where}");
        }
    }

    private async Task SetUpGatewaysAsync()
    {
        await CreateGatewayAsync(Open, authentication: false);
        await CreateGatewayAsync(Locked, authentication: true);
        using (var created = await _management.PostAsJsonAsync($"api/management/gateways/{Locked}/tokens", new { name = "ci" }))
        {
            _gatewayToken = _secrets.Add("gateway token", (await ResultAsync(created)).GetProperty("token").GetString()!); // shown once by design
        }

        await StoreKeyAsync(new { provider_slug = "openai", secret = _storedOpenAi });
        await StoreKeyAsync(new { provider_slug = "openai", alias = "team-b", secret = _storedAlias });
        await StoreKeyAsync(new { provider_slug = "anthropic", secret = _storedAnthropic });
        await StoreKeyAsync(new
        {
            provider_slug = "aws-bedrock",
            secret = $$"""{"accessKeyId":"AKIDLEAKTEST","secretAccessKey":"{{_storedAwsSecret}}","region":"us-east-1"}""",
        });
    }

    private async Task CreateGatewayAsync(string id, bool authentication)
    {
        using var response = await _management.PostAsJsonAsync("client/v4/accounts/a/ai-gateway/gateways", new
        {
            id,
            cache_invalidate_on_update = false,
            cache_ttl = 0,
            collect_logs = true,
            rate_limiting_interval = 0,
            rate_limiting_limit = 0,
            authentication,
        });
        Record("management: create gateway", response, await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task StoreKeyAsync(object body)
    {
        using var response = await _management.PostAsJsonAsync($"client/v4/accounts/a/ai-gateway/gateways/{Locked}/provider_configs", body);
        string text = await response.Content.ReadAsStringAsync();
        Record("management: store provider key", response, text);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
    }

    private async Task DriveOpenGatewayAsync()
    {
        string p = $"v1/a/{Open}/";
        (string, string) openAi = ("Authorization", "Bearer " + _openAiKey);

        // Passthrough with the caller's own key, in each provider's own header, streamed and not.
        await ProxyAsync("passthrough openai", p + "openai/chat/completions", ChatJson, HttpStatusCode.OK, openAi);
        await ProxyAsync("passthrough openai stream", p + "openai/chat/completions", ChatStreamJson, HttpStatusCode.OK, openAi);
        (string, string)[] anthropic = [("x-api-key", _anthropicKey), ("anthropic-version", "2023-06-01")];
        await ProxyAsync("passthrough anthropic", p + "anthropic/v1/messages", AnthropicJson, HttpStatusCode.OK, anthropic);
        await ProxyAsync("passthrough anthropic stream", p + "anthropic/v1/messages", AnthropicStreamJson, HttpStatusCode.OK, anthropic);
        await ProxyAsync("passthrough google ?key=", p + "google-ai-studio/v1beta/models/gemini-2.5-flash:generateContent?key=" + _googleQueryKey,
            GeminiJson, HttpStatusCode.OK);
        await ProxyAsync("passthrough google ?key= stream",
            p + "google-ai-studio/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=" + _googleQueryKey, GeminiJson, HttpStatusCode.OK);
        await ProxyAsync("passthrough google x-goog-api-key", p + "google-ai-studio/v1beta/models/gemini-2.5-flash:generateContent", GeminiJson,
            HttpStatusCode.OK, ("x-goog-api-key", _googleHeaderKey));
        await ProxyAsync("passthrough azure-openai api-key", p + "azure-openai/my-resource/my-deployment/chat/completions?api-version=2024-10-21",
            ChatJson, HttpStatusCode.OK, ("api-key", _azureKey));
        await ProxyAsync("passthrough azure-openai api-key stream",
            p + "azure-openai/my-resource/my-deployment/chat/completions?api-version=2024-10-21", ChatStreamJson, HttpStatusCode.OK, ("api-key", _azureKey));
        await ProxyAsync("passthrough aws-bedrock API key", p + Bedrock + "converse", ConverseJson, HttpStatusCode.OK,
            ("Authorization", "Bearer " + _bedrockApiKey));
        await ProxyAsync("passthrough aws-bedrock API key stream", p + Bedrock + "converse-stream", ConverseJson, HttpStatusCode.OK,
            ("Authorization", "Bearer " + _bedrockApiKey));

        // The unified API with the caller's keys.
        await ProxyAsync("compat openai/ caller key", p + "compat/chat/completions",
            """{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""", HttpStatusCode.OK, openAi);
        await ProxyAsync("compat anthropic/ caller key stream", p + "compat/chat/completions",
            """{"model":"anthropic/claude-sonnet-4-5","stream":true,"messages":[{"role":"user","content":"Hi"}]}""", HttpStatusCode.OK,
            ("Authorization", "Bearer " + _anthropicKey));

        // The Universal Endpoint: credentials in each step's headers; the first step fails, the second answers.
        await ProxyAsync("universal (fallback)", $"v1/a/{Open}", $$$"""
            [{"provider":"workers-ai","endpoint":"@cf/meta/llama-3.1-8b-instruct",
              "headers":{"Authorization":"Bearer {{{_universalKey0}}}","x-sim-status":"500"},
              "query":{"messages":[{"role":"user","content":"Hi"}]}},
             {"provider":"openai","endpoint":"chat/completions","headers":{"Authorization":"Bearer {{{_universalKey1}}}"},
              "query":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}}]
            """, HttpStatusCode.OK);
        await ProxyAsync("universal stream", $"v1/a/{Open}", $$$"""
            [{"provider":"openai","endpoint":"chat/completions","headers":{"Authorization":"Bearer {{{_universalKey1}}}"},
              "query":{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Hi"}]}}]
            """, HttpStatusCode.OK);
        await ProxyAsync("universal all steps fail", $"v1/a/{Open}", $$$"""
            [{"provider":"openai","endpoint":"chat/completions","headers":{"Authorization":"Bearer {{{_universalKey0}}}","x-sim-status":"500"},
              "query":{"model":"gpt-4o-mini","messages":[]}},
             {"provider":"anthropic","endpoint":"v1/messages","headers":{"x-api-key":"{{{_universalKey1}}}","x-sim-status":"429"},
              "query":{"model":"claude-sonnet-4-5","max_tokens":8,"messages":[]}}]
            """, null);

        // Failures: upstream errors, an unreachable upstream, timeouts, malformed bodies.
        await ProxyAsync("upstream 500", p + "openai/chat/completions", ChatJson, HttpStatusCode.InternalServerError, openAi, ("x-sim-status", "500"));
        await ProxyAsync("upstream 429", p + "openai/chat/completions", ChatJson, HttpStatusCode.TooManyRequests, openAi, ("x-sim-status", "429"));
        await ProxyAsync("upstream 401 anthropic", p + "anthropic/v1/messages", AnthropicJson, HttpStatusCode.Unauthorized,
            [.. anthropic, ("x-sim-status", "401")]);
        await ProxyAsync("upstream 500 google ?key=", p + "google-ai-studio/v1beta/models/gemini-2.5-flash:generateContent?key=" + _googleQueryKey,
            GeminiJson, HttpStatusCode.InternalServerError, ("x-sim-status", "500"));
        await ProxyAsync("upstream unreachable", p + "mistral/v1/chat/completions?key=" + _unreachableQueryKey, ChatJson, null, openAi);
        await ProxyAsync("upstream unreachable stream", p + "mistral/v1/chat/completions", ChatStreamJson, null, openAi);
        await ProxyAsync("compat unreachable", p + "compat/chat/completions",
            """{"model":"mistral/mistral-large-latest","messages":[{"role":"user","content":"Hi"}]}""", null, openAi);
        await ProxyAsync("timeout", p + "openai/chat/completions", ChatJson, null, openAi, ("cf-aig-request-timeout", "50"), ("x-sim-delay-ms", "5000"));
        await ProxyAsync("timeout google ?key=", p + "google-ai-studio/v1beta/models/gemini-2.5-flash:generateContent?key=" + _googleQueryKey,
            GeminiJson, null, ("cf-aig-request-timeout", "50"), ("x-sim-delay-ms", "5000"));
        await ProxyAsync("timeout with retries", p + "anthropic/v1/messages", AnthropicJson, null,
            [.. anthropic, ("cf-aig-request-timeout", "50"), ("cf-aig-max-attempts", "2"), ("cf-aig-retry-delay", "1"), ("x-sim-delay-ms", "5000")]);
        await ProxyAsync("malformed passthrough body", p + "openai/chat/completions", """{"model":"gpt-4o-mini","messages":[""", AnyStatus, openAi);
        await ProxyAsync("malformed compat body", p + "compat/chat/completions", """{"model":"openai/gpt""", HttpStatusCode.BadRequest, openAi);
        await ProxyAsync("malformed universal body", $"v1/a/{Open}", """[{"provider":"openai","endpoint":""", HttpStatusCode.BadRequest, openAi);
        await ProxyAsync("unknown provider", p + "no-such-provider/chat/completions", ChatJson, null, openAi);
        await ProxyAsync("unknown gateway", "v1/a/no-such-gateway-xyz/openai/chat/completions", ChatJson, null, openAi);
        await ProxyAsync("bad metadata", p + "openai/chat/completions", ChatJson, AnyStatus, openAi, ("cf-aig-metadata", "{not json"));
        await ProxyAsync("bad control header", p + "openai/chat/completions", ChatJson, AnyStatus, openAi, ("cf-aig-cache-ttl", "forever"));
    }

    private async Task DriveLockedGatewayAsync()
    {
        string p = $"v1/a/{Locked}/";
        (string, string) token = ("cf-aig-authorization", "Bearer " + _gatewayToken);

        // Passthrough with the stored keys (the caller sends only its gateway token).
        await ProxyAsync("locked passthrough openai (stored key)", p + "openai/chat/completions", ChatJson, HttpStatusCode.OK, token);
        await ProxyAsync("locked passthrough openai stream (stored key)", p + "openai/chat/completions", ChatStreamJson, HttpStatusCode.OK, token);
        await ProxyAsync("locked passthrough openai alias team-b", p + "openai/chat/completions", ChatJson, HttpStatusCode.OK, token,
            ("cf-aig-byok-alias", "team-b"));
        await ProxyAsync("locked passthrough anthropic (stored key)", p + "anthropic/v1/messages", AnthropicJson, HttpStatusCode.OK, token,
            ("anthropic-version", "2023-06-01"));
        await ProxyAsync("locked passthrough aws-bedrock (stored AWS keys, SigV4)", p + Bedrock + "converse", ConverseJson, HttpStatusCode.OK, token);
        await ProxyAsync("locked passthrough aws-bedrock stream (SigV4)", p + Bedrock + "converse-stream", ConverseJson, HttpStatusCode.OK, token);
        await ProxyAsync("locked passthrough, gateway token as the SDK key", p + "openai/chat/completions", ChatJson, HttpStatusCode.OK,
            ("Authorization", "Bearer " + _gatewayToken));
        await ProxyAsync("locked passthrough, management token as credential", p + "openai/chat/completions", ChatJson, HttpStatusCode.OK,
            ("cf-aig-authorization", "Bearer " + _managementToken));
        await ProxyAsync("locked passthrough, caller key wins", p + "openai/chat/completions", ChatJson, HttpStatusCode.OK, token,
            ("Authorization", "Bearer " + _openAiKey));

        // The unified API with the stored keys.
        foreach (string model in new[] { "openai/gpt-4o-mini", "anthropic/claude-sonnet-4-5", "aws-bedrock/nova-pro" })
        {
            await ProxyAsync("locked compat " + model, p + "compat/chat/completions",
                $$"""{"model":"{{model}}","messages":[{"role":"user","content":"Hi"}]}""", HttpStatusCode.OK, token);
            await ProxyAsync("locked compat stream " + model, p + "compat/chat/completions",
                $$"""{"model":"{{model}}","stream":true,"messages":[{"role":"user","content":"Hi"}]}""", HttpStatusCode.OK, token);
            await ProxyAsync("locked compat upstream 500 " + model, p + "compat/chat/completions",
                $$"""{"model":"{{model}}","messages":[{"role":"user","content":"Hi"}]}""", null, token, ("x-sim-status", "500"));
        }

        await ProxyAsync("locked universal", $"v1/a/{Locked}", $$$"""
            [{"provider":"openai","endpoint":"chat/completions","headers":{"Authorization":"Bearer {{{_universalLockedKey}}}"},
              "query":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}}]
            """, HttpStatusCode.OK, token);
        await ProxyAsync("locked universal (stored key)", $"v1/a/{Locked}", """
            [{"provider":"anthropic","endpoint":"v1/messages","headers":{"anthropic-version":"2023-06-01"},
              "query":{"model":"claude-sonnet-4-5","max_tokens":8,"messages":[{"role":"user","content":"Hi"}]}}]
            """, HttpStatusCode.OK, token);

        // Refusals: wrong or missing gateway credentials, an unknown alias, upstream errors and timeouts with stored keys.
        await ProxyAsync("wrong gateway token", p + "openai/chat/completions", ChatJson, HttpStatusCode.Unauthorized,
            ("cf-aig-authorization", "Bearer " + _wrongGatewayToken));
        await ProxyAsync("wrong gateway token as the SDK key", p + "openai/chat/completions", ChatJson, HttpStatusCode.Unauthorized,
            ("Authorization", "Bearer " + _wrongGatewayToken));
        await ProxyAsync("wrong gateway token, compat", p + "compat/chat/completions",
            """{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""", HttpStatusCode.Unauthorized,
            ("cf-aig-authorization", "Bearer " + _wrongGatewayToken));
        await ProxyAsync("wrong gateway token, universal", $"v1/a/{Locked}", $$$"""
            [{"provider":"openai","endpoint":"chat/completions","headers":{"Authorization":"Bearer {{{_universalLockedKey}}}"},
              "query":{"model":"gpt-4o-mini","messages":[]}}]
            """, HttpStatusCode.Unauthorized, ("cf-aig-authorization", "Bearer " + _wrongGatewayToken));
        await ProxyAsync("no gateway token, caller key", p + "openai/chat/completions", ChatJson, HttpStatusCode.Unauthorized,
            ("Authorization", "Bearer " + _openAiKey));
        await ProxyAsync("byok alias not found", p + "openai/chat/completions", ChatJson, HttpStatusCode.BadRequest, token,
            ("cf-aig-byok-alias", "nope"));
        await ProxyAsync("byok alias not found, compat", p + "compat/chat/completions",
            """{"model":"anthropic/claude-sonnet-4-5","messages":[{"role":"user","content":"Hi"}]}""", HttpStatusCode.BadRequest, token,
            ("cf-aig-byok-alias", "nope"));
        await ProxyAsync("locked upstream 500 (stored key)", p + "openai/chat/completions", ChatJson, HttpStatusCode.InternalServerError, token,
            ("x-sim-status", "500"));
        await ProxyAsync("locked upstream 429 (stored key)", p + "anthropic/v1/messages", AnthropicJson, HttpStatusCode.TooManyRequests, token,
            ("x-sim-status", "429"));
        await ProxyAsync("locked timeout (SigV4)", p + Bedrock + "converse", ConverseJson, null, token, ("cf-aig-request-timeout", "50"),
            ("x-sim-delay-ms", "5000"));
        await ProxyAsync("locked unreachable (stored key)", p + "mistral/v1/chat/completions", ChatJson, null, token);
        await ProxyAsync("locked malformed compat body", p + "compat/chat/completions", """{"model":""", HttpStatusCode.BadRequest, token);
    }

    private async Task DriveDefaultRoutesAsync()
    {
        (string, string) openAi = ("Authorization", "Bearer " + _openAiKey);
        await ProxyAsync("default route X-AUTH-TOKEN", "v1/chat/completions", ChatJson, HttpStatusCode.OK, ("X-AUTH-TOKEN", _authToken), openAi);
        await ProxyAsync("default route X-AUTH-TOKEN stream", "v1/chat/completions", ChatStreamJson, HttpStatusCode.OK, ("X-AUTH-TOKEN", _authToken),
            openAi);
        await ProxyAsync("default route ?auth_token=", "v1/chat/completions?auth_token=" + _authToken, ChatJson, HttpStatusCode.OK, openAi);
        await ProxyAsync("default route anthropic model", "v1/chat/completions",
            """{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Hi"}]}""", HttpStatusCode.OK, ("X-AUTH-TOKEN", _authToken),
            ("Authorization", "Bearer " + _anthropicKey));
        await ProxyAsync("default route embeddings", "v1/embeddings", """{"model":"text-embedding-3-small","input":"Hi"}""", HttpStatusCode.OK,
            ("X-AUTH-TOKEN", _authToken), openAi);
        await ProxyAsync("default route upstream 500", "v1/chat/completions", ChatJson, null, ("X-AUTH-TOKEN", _authToken), openAi,
            ("x-sim-status", "500"));
        await ProxyAsync("default route wrong X-AUTH-TOKEN", "v1/chat/completions", ChatJson, HttpStatusCode.Unauthorized,
            ("X-AUTH-TOKEN", _wrongAuthToken), openAi);
        await ProxyAsync("default route wrong ?auth_token=", "v1/chat/completions?auth_token=" + _wrongAuthToken, ChatJson, HttpStatusCode.Unauthorized,
            openAi);
        await ProxyAsync("default route no token", "v1/chat/completions", ChatJson, HttpStatusCode.Unauthorized, openAi);
        await ProxyAsync("default route malformed body", "v1/chat/completions", """{"model":""", HttpStatusCode.BadRequest,
            ("X-AUTH-TOKEN", _authToken), openAi);

        // No key sent: the environment's keys go upstream (Anthropic's header, Bedrock's SigV4 signature).
        const string claude = """{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Hi"}]}""";
        await ProxyAsync("default route environment key", "v1/chat/completions", claude, HttpStatusCode.OK, ("X-AUTH-TOKEN", _authToken));
        await ProxyAsync("default route environment key stream", "v1/chat/completions",
            """{"model":"claude-sonnet-4-5","stream":true,"messages":[{"role":"user","content":"Hi"}]}""", HttpStatusCode.OK,
            ("X-AUTH-TOKEN", _authToken));
        await ProxyAsync("default route environment key upstream 401", "v1/chat/completions", claude, null, ("X-AUTH-TOKEN", _authToken),
            ("x-sim-status", "401"));
        await ProxyAsync("default route environment AWS keys", "v1/chat/completions",
            """{"model":"nova-pro","messages":[{"role":"user","content":"Hi"}]}""", HttpStatusCode.OK, ("X-AUTH-TOKEN", _authToken));
        string health = await GetTextAsync("health");
        Assert.Contains("\"key_from_environment\":true", health);
        _answers.Add(("GET /health", health));
    }

    private async Task DriveManagementAsync()
    {
        // Team keys: created (the key is shown once, by design), listed, patched, rotated, revoked.
        string first, second;
        using (var created = await _management.PostAsJsonAsync("tokens", new { teamId = "leak-team", name = "backend", limited = true }))
        {
            first = _secrets.Add("team key", (await AccessApi.BareAsync(created)).GetProperty("apiKey").GetString()!, inUrl: true);
        }

        using (var created = await _management.PostAsJsonAsync("api/management/tokens", new { teamId = "leak-team", name = "frontend", limited = false }))
        {
            second = _secrets.Add("team key 2", (await ResultAsync(created)).GetProperty("apiKey").GetString()!, inUrl: true);
        }

        using (var refreshed = await _management.PostAsync($"tokens/{first}/refresh", null))
        {
            _secrets.Add("team key after refresh", (await AccessApi.BareAsync(refreshed)).GetProperty("apiKey").GetString()!);
        }

        await ManagementAsync("team key refresh of a rotated key", HttpMethod.Post, $"tokens/{first}/refresh", null, HttpStatusCode.NotFound);
        await ManagementAsync("team key patch", HttpMethod.Patch, $"api/management/tokens/{second}",
            """{"rate_limit":10,"rate_limit_period":60,"allowed_models":["gpt-4o-mini"]}""", HttpStatusCode.OK);
        await ManagementAsync("team key patch, bad values", HttpMethod.Patch, $"api/management/tokens/{second}",
            """{"rate_limit":-1}""", HttpStatusCode.BadRequest);
        await ManagementAsync("team key revoke", HttpMethod.Delete, $"api/management/tokens/{second}", null, HttpStatusCode.OK);
        await ManagementAsync("team key revoke again", HttpMethod.Delete, $"api/management/tokens/{second}", null, HttpStatusCode.NotFound);

        // A team key presented where a provider key goes is forwarded like any caller key, never logged.
        await ProxyAsync("team key as a caller key", $"v1/a/{Open}/openai/chat/completions", ChatJson, HttpStatusCode.OK,
            ("Authorization", "Bearer " + first));

        // Provider keys that are refused must not be echoed either.
        await ManagementAsync("store key, bad provider", HttpMethod.Post, $"api/management/gateways/{Locked}/provider_configs",
            $$"""{"provider_slug":"no-such","secret":"{{_storedOpenAi}}"}""", HttpStatusCode.BadRequest);
        await ManagementAsync("store key, duplicate alias", HttpMethod.Post, $"api/management/gateways/{Locked}/provider_configs",
            $$"""{"provider_slug":"openai","secret":"{{_storedAlias}}"}""", HttpStatusCode.BadRequest);
        await ManagementAsync("store key, bad aws json", HttpMethod.Post, $"api/management/gateways/{Locked}/provider_configs",
            $$"""{"provider_slug":"aws-bedrock","secret":"{\"accessKeyId\":\"AKID\",\"secretAccessKey\":\"{{_storedAwsSecret}}\"}"}""",
            HttpStatusCode.BadRequest);
        await ManagementAsync("store key, open gateway", HttpMethod.Post, $"api/management/gateways/{Open}/provider_configs",
            $$"""{"provider_slug":"openai","secret":"{{_storedOpenAi}}"}""", HttpStatusCode.BadRequest);

        // The management API with a wrong token, on every kind of resource.
        using var wrong = new HttpClient { BaseAddress = _gateway.Address };
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _wrongManagementToken);
        foreach (string path in new[]
                 {
                     "api/management/gateways", "client/v4/accounts/a/ai-gateway/gateways", $"api/management/gateways/{Locked}/tokens",
                     $"client/v4/accounts/a/ai-gateway/gateways/{Locked}/provider_configs", $"client/v4/accounts/a/ai-gateway/gateways/{Locked}/logs",
                     "tokens?teamId=leak-team",
                 })
        {
            using var response = await wrong.GetAsync(path);
            Record("management wrong token GET " + path, response, await response.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using (var response = await wrong.PostAsJsonAsync($"api/management/gateways/{Locked}/provider_configs",
                   new { provider_slug = "openai", secret = _storedOpenAi }))
        {
            Record("management wrong token POST provider_configs", response, await response.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using (var response = await wrong.PostAsync($"tokens/{first}/refresh", null))
        {
            Record("management wrong token refresh", response, await response.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    /// <summary>Every row of both gateways through the logs API: the list, each row's detail, and its stored bodies.</summary>
    private async Task CheckLogRecordsAsync(List<string> findings)
    {
        var store = _gateway.Services.GetRequiredService<ILogStore>();
        foreach (var (_, id, status) in _logIds)
        {
            if (status < 400)
            {
                await _gateway.WaitForLogRowAsync(id);
            }
        }

        await store.FlushAsync(CancellationToken.None);
        var logged = new List<string>();
        foreach (var (surface, id, status) in _logIds)
        {
            if (store.TryGet(id, out _))
            {
                logged.Add(id);
            }
            else
            {
                _output.WriteLine($"no log row (refused before logging): {surface} {status}");
            }
        }

        var listed = new HashSet<string>();
        int rows = 0;
        foreach (string gateway in new[] { Open, Locked, "default" })
        {
            string logs = $"client/v4/accounts/a/ai-gateway/gateways/{gateway}/logs";
            for (int page = 1; ; page++)
            {
                string list = await GetTextAsync($"{logs}?per_page=100&page={page}");
                Report(findings, $"logs list {gateway} page {page}", _secrets.FoundIn(list));
                using var doc = JsonDocument.Parse(list);
                var result = doc.RootElement.GetProperty("result");
                foreach (var row in result.EnumerateArray())
                {
                    rows++;
                    string id = row.GetProperty("id").GetString()!;
                    listed.Add(id);
                    foreach (string part in new[] { "", "/request", "/response" })
                    {
                        Report(findings, $"log {gateway}/{id}{part}", _secrets.FoundIn(await GetTextAsync($"{logs}/{id}{part}", part != "")));
                    }
                }

                if (result.GetArrayLength() < 100)
                {
                    break;
                }
            }
        }

        Assert.True(logged.Count >= 40, $"{logged.Count} logged responses");
        Assert.All(logged, id => Assert.Contains(id, listed));
        _output.WriteLine($"log rows read through the logs API: {rows} (list, detail, request and response body each)");
    }

    private async Task CheckManagementListingsAsync(List<string> findings)
    {
        foreach (string path in new[]
                 {
                     "api/management/gateways", "client/v4/accounts/a/ai-gateway/gateways", $"api/management/gateways/{Locked}",
                     $"client/v4/accounts/a/ai-gateway/gateways/{Open}", $"api/management/gateways/{Locked}/tokens",
                     $"client/v4/accounts/a/ai-gateway/gateways/{Locked}/tokens", $"api/management/gateways/{Locked}/provider_configs",
                     $"client/v4/accounts/a/ai-gateway/gateways/{Locked}/provider_configs", "tokens?teamId=leak-team",
                     "api/management/tokens?teamId=leak-team", $"client/v4/accounts/a/ai-gateway/gateways/{Locked}/analytics",
                 })
        {
            Report(findings, "GET " + path, _secrets.FoundIn(await GetTextAsync(path)));
        }
    }

    /// <summary>A management GET whose answer must be 200, or 404 for a stored body the row did not keep (<paramref name="bodyOfALog"/>).</summary>
    private async Task<string> GetTextAsync(string path, bool bodyOfALog = false)
    {
        using var response = await _management.GetAsync(path);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK || bodyOfALog && response.StatusCode == HttpStatusCode.NotFound,
            $"GET {path}: {(int)response.StatusCode} {text}");
        _answers.Add(("GET " + path, Headers(response))); // the headers join the response search; the body is searched by the caller
        return text;
    }

    private async Task ManagementAsync(string surface, HttpMethod method, string path, string? json, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await _management.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Record("management: " + surface, response, text);
        Assert.True(response.StatusCode == expected, $"{surface}: {(int)response.StatusCode} {text}");
    }

    /// <summary>A POST through the proxy; keeps the answer (headers and body) for the search and its log id for the logs API.</summary>
    private async Task ProxyAsync(string surface, string path, string body, HttpStatusCode? expected, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            Assert.True(request.Headers.TryAddWithoutValidation(name, value), name);
        }

        using var response = await _gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync();
        }
        catch (HttpRequestException e)
        {
            text = "(body cut: " + e.Message + ")"; // a stream the gateway aborted still had its headers checked
        }

        Record(surface, response, text);
        if (expected == AnyStatus)
        {
        }
        else if (expected is { } status)
        {
            Assert.True(response.StatusCode == status, $"{surface}: {(int)response.StatusCode} {text}");
        }
        else
        {
            Assert.True((int)response.StatusCode >= 400, $"{surface} should fail: {(int)response.StatusCode} {text}");
        }

        if (response.Headers.TryGetValues("cf-aig-log-id", out var ids))
        {
            _logIds.Add((surface, ids.Single(), (int)response.StatusCode));
        }
    }

    private void Record(string surface, HttpResponseMessage response, string body)
    {
        _requestsBySurface[surface] = _requestsBySurface.GetValueOrDefault(surface) + 1;
        _answers.Add((surface, Headers(response) + body));
    }

    private static string Headers(HttpResponseMessage response)
    {
        var text = new StringBuilder();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            text.Append(name).Append(": ").AppendJoin(", ", values).Append('\n');
        }

        return text.ToString();
    }

    private static async Task<JsonElement> ResultAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("result").Clone();
    }

    private static byte[] ReadAll(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
