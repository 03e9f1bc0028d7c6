using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Logging;
using Gateway.Fast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using PuppeteerSharp;

namespace Gateway.Fast.Tests.Dashboard;

/// <summary>
/// One gateway (with the simulator upstream) and one headless Chromium for a whole test class: starting the browser is
/// the slow part, so the tests share it and each opens its own page (its own sessionStorage, so each signs in).
/// </summary>
/// <remarks>The browser is Debian's <c>chromium</c> (installed by <c>.ci/run</c>), or the one <c>CHROMIUM_PATH</c> names;
/// nothing is downloaded.</remarks>
public sealed class DashboardBrowser : IAsyncLifetime
{
    private readonly GatewayWithSimulator _env = new();

    public GatewayServer Gateway => _env.Gateway;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: a folder beside the test assembly, kept as the run's artefacts.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        await _env.InitializeAsync();
        string executable = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"No Chromium at {executable}: install Debian's chromium (.ci/run does) or set CHROMIUM_PATH.");
        }

        Browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            DefaultViewport = new ViewPortOptions { Width = 1280, Height = 800 },
            // Root in a container has no user namespace sandbox; /dev/shm there is often 64 MB, too small for Chromium.
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run", "--disable-extensions"],
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    /// <summary>A new tab, signed in with the management token, showing <paramref name="hash"/> (e.g. <c>#/logs</c>) once its
    /// screen has loaded.</summary>
    public async Task<IPage> OpenAsync(string hash)
    {
        var page = await Browser.NewPageAsync();
        await SignInAsync(page, hash);
        return page;
    }

    /// <summary>Loads <paramref name="hash"/> in <paramref name="page"/>, signs in, and waits until its screen has loaded.</summary>
    public async Task SignInAsync(IPage page, string hash)
    {
        page.DefaultTimeout = 30_000;
        await page.GoToAsync(new Uri(Gateway.Address, "dashboard/" + hash).ToString(), WaitUntilNavigation.Networkidle0);
        await page.WaitForSelectorAsync("main[data-screen='sign-in'] input[name='token']");
        await page.TypeAsync("input[name='token']", GatewayServer.ManagementToken);
        await page.ClickAsync("form.sign-in button[type='submit']");
        await page.WaitForSelectorAsync("main[data-state='ready']");
    }

    /// <summary>Waits until the current screen has finished loading after a navigation the test caused.</summary>
    public static async Task WaitReadyAsync(IPage page, string screen)
        => await page.WaitForSelectorAsync($"main[data-screen='{screen}'][data-state='ready']");

    /// <summary>Saves the top of the page (the 1280×800 viewport) as <c>screenshots/{name}.png</c>.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        await page.EvaluateExpressionAsync("window.scrollTo(0, 0); document.querySelector('aside.drawer')?.scrollTo(0, 0)");
        await page.ScreenshotAsync(Path.Combine(ScreenshotFolder, name + ".png"), new ScreenshotOptions { Type = ScreenshotType.Png });
    }

    /// <summary>Creates a gateway through the management API, with <paramref name="settings"/> as a PATCH (JSON object text).</summary>
    public async Task CreateGatewayAsync(string id, string? settings = null)
    {
        using var client = Gateway.ManagementClient();
        using var created = await client.PostAsync("api/management/gateways", Json($$"""{"id":"{{id}}"}"""));
        created.EnsureSuccessStatusCode();
        if (settings is not null)
        {
            using var patched = await client.PatchAsync($"api/management/gateways/{id}", Json(settings));
            patched.EnsureSuccessStatusCode();
        }
    }

    /// <summary>One OpenAI chat call through <paramref name="gateway"/>; returns its log id once the row is stored.</summary>
    public async Task<string> ChatAsync(string gateway, string content, bool stream = false, string? metadata = null)
    {
        using var request = ChatRequest(gateway, content, stream);
        if (metadata is not null)
        {
            request.Headers.TryAddWithoutValidation("cf-aig-metadata", metadata);
        }

        using var response = await Gateway.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsStringAsync(); // the row is written when the body has been sent
        string id = response.Headers.GetValues("cf-aig-log-id").Single();
        await Gateway.WaitForLogRowAsync(id);
        return id;
    }

    /// <summary>The status of one OpenAI chat call through <paramref name="gateway"/>, sent with <paramref name="gatewayToken"/>
    /// as <c>cf-aig-authorization</c> when given.</summary>
    public async Task<HttpStatusCode> ChatStatusAsync(string gateway, string? gatewayToken)
    {
        using var request = ChatRequest(gateway, "status probe", stream: false);
        if (gatewayToken is not null)
        {
            request.Headers.TryAddWithoutValidation("cf-aig-authorization", "Bearer " + gatewayToken);
        }

        using var response = await Gateway.Client.SendAsync(request);
        await response.Content.ReadAsStringAsync();
        return response.StatusCode;
    }

    /// <summary>Stores a row as if the gateway had logged it (a day the test cannot send traffic in) and waits until it is readable.</summary>
    public async Task AppendRowAsync(LogRecord record)
    {
        var store = Gateway.Services.GetRequiredService<ILogStore>();
        await store.AppendAsync(new LogEntry(record, default, default), CancellationToken.None);
        await Gateway.WaitForLogRowAsync(record.Id);
    }

    /// <summary>The <c>result</c> of a management API GET.</summary>
    public async Task<JsonElement> GetResultAsync(string path)
    {
        using var client = Gateway.ManagementClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync(path));
        return document.RootElement.GetProperty("result").Clone();
    }

    private HttpRequestMessage ChatRequest(string gateway, string content, bool stream)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_env.ProviderUrl("openai", gateway), "chat/completions"))
        {
            Content = Json($$"""{"model":"gpt-4o-mini","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"{{content}}"}]}"""),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-test-provider-key");
        return request;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
            await Browser.DisposeAsync();
        }

        await _env.DisposeAsync();
    }
}
