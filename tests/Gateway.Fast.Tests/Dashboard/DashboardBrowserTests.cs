using System.Globalization;
using System.Text.Json;
using Gateway.Fast.Tests.Infrastructure;
using PuppeteerSharp;

namespace Gateway.Fast.Tests.Dashboard;

/// <summary>The dashboard in a real headless Chromium against the real gateway: every check waits on page state
/// (a selector, <c>data-state</c>, network idle), never on time. Each screen is saved as a 1280×800 screenshot.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardBrowserTests(DashboardBrowser fixture)
{
    [Fact]
    public async Task SignIn_RefusesAWrongTokenAndKeepsTheRightOneInTheTabOnly()
    {
        var page = await fixture.Browser.NewPageAsync();
        await page.GoToAsync(new Uri(fixture.Gateway.Address, "dashboard/").ToString(), WaitUntilNavigation.Networkidle0);
        await page.TypeAsync("input[name='token']", "not-the-token");
        await page.ClickAsync("form.sign-in button[type='submit']");
        var alert = await page.WaitForSelectorAsync("form.sign-in [role='alert']");
        Assert.Contains("not the management token", await alert.EvaluateFunctionAsync<string>("e => e.textContent"));
        Assert.Null(await page.EvaluateExpressionAsync<string?>("sessionStorage.getItem('gateway-fast.management-token')"));
        await DashboardBrowser.ScreenshotAsync(page, "sign-in");

        await page.Locator("input[name='token']").FillAsync(GatewayServer.ManagementToken);
        await page.ClickAsync("form.sign-in button[type='submit']");
        await DashboardBrowser.WaitReadyAsync(page, "overview");
        Assert.Equal(GatewayServer.ManagementToken, await page.EvaluateExpressionAsync<string>("sessionStorage.getItem('gateway-fast.management-token')"));
        Assert.Empty(await page.GetCookiesAsync());
        await page.CloseAsync();
    }

    [Fact]
    public async Task Overview_ShowsTheKpisOfTheTestsOwnTrafficExactlyAsAnalyticsCountsThem()
    {
        await fixture.CreateGatewayAsync("kpi", """{"cache_ttl":300}""");
        await fixture.ChatAsync("kpi", "first question");
        await fixture.ChatAsync("kpi", "second question");
        await fixture.ChatAsync("kpi", "second question"); // the same request again: a cache hit

        var page = await fixture.OpenAsync("#/overview?gateway=kpi&range=day&by=model");
        using var shown = JsonDocument.Parse(await page.EvaluateExpressionAsync<string>("""
            JSON.stringify({
              start: document.querySelector('main').dataset.start,
              end: document.querySelector('main').dataset.end,
              raw: Object.fromEntries([...document.querySelectorAll('[data-kpi]')].map(e => [e.dataset.kpi, e.dataset.raw])),
              text: Object.fromEntries([...document.querySelectorAll('[data-kpi]')].map(e => [e.dataset.kpi, e.querySelector('.value').textContent])),
              breakdown: [...document.querySelectorAll('#breakdown tbody th')].map(e => e.textContent),
            })
            """));
        var root = shown.RootElement;
        Assert.Equal("3", root.GetProperty("text").GetProperty("requests").GetString());
        Assert.Equal("33.3%", root.GetProperty("text").GetProperty("cache_hits").GetString());
        Assert.Equal(["gpt-4o-mini"], root.GetProperty("breakdown").EnumerateArray().Select(e => e.GetString()));

        // The same range through the API gives the same numbers, to the digit.
        using var client = fixture.Gateway.ManagementClient();
        string range = $"start={Uri.EscapeDataString(root.GetProperty("start").GetString()!)}&end={Uri.EscapeDataString(root.GetProperty("end").GetString()!)}";
        using var analytics = JsonDocument.Parse(await client.GetStringAsync($"api/management/gateways/kpi/analytics?{range}"));
        var totals = analytics.RootElement.GetProperty("result")[0];
        var raw = root.GetProperty("raw");
        foreach (string name in new[] { "requests", "errors", "cache_hits", "tokens_in", "tokens_out", "cost", "cache_saved_cost", "rate_limited" })
        {
            Assert.Equal(totals.GetProperty(name).GetDouble(), double.Parse(raw.GetProperty(name).GetString()!, CultureInfo.InvariantCulture));
        }

        Assert.Equal(3, totals.GetProperty("requests").GetInt32());
        Assert.Equal(1, totals.GetProperty("cache_hits").GetInt32());
        Assert.True(totals.GetProperty("tokens_out").GetInt32() > 0);
        Assert.Equal(6, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('figure.chart canvas').length"));
        await DashboardBrowser.ScreenshotAsync(page, "overview");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Logs_FilterToOneRequest_OpenIt_AndStoreFeedbackThroughTheApi()
    {
        await fixture.CreateGatewayAsync("logs-ui");
        await fixture.ChatAsync("logs-ui", "noise one");
        string id = await fixture.ChatAsync("logs-ui", "the one we want", metadata: """{"probe":"needle-42"}""");
        await fixture.ChatAsync("logs-ui", "noise two");

        var page = await fixture.OpenAsync("#/logs?gateway=logs-ui");
        Assert.Equal(3, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#log-rows tbody tr').length"));

        await page.TypeAsync("form.filters input[name='meta_value']", "needle-42");
        await page.ClickAsync("form.filters button[type='submit']");
        await page.WaitForFunctionAsync("() => location.hash.includes('meta_value=needle-42') && document.querySelector('main').dataset.state === 'ready'");
        var rows = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#log-rows tbody tr')].map(r => r.dataset.logId)");
        Assert.Equal([id], rows);
        await DashboardBrowser.ScreenshotAsync(page, "logs");

        // Opened from the keyboard: focus the row, press Enter.
        await page.FocusAsync($"tr[data-log-id='{id}']");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync($"aside.drawer[data-log-id='{id}'][data-state='ready']");
        string response = await page.EvaluateExpressionAsync<string>("document.querySelector(\"aside.drawer pre[data-body='json']:last-of-type\")?.textContent ?? ''");
        Assert.Contains("Hello from the simulated", await page.EvaluateExpressionAsync<string>("document.querySelector('aside.drawer').textContent"));
        Assert.NotEqual("", response);

        // The response headers as the caller got them, kept with the row: the gateway's own and the provider's.
        using var shownHeaders = JsonDocument.Parse(await page.EvaluateExpressionAsync<string>(
            "JSON.stringify(Object.fromEntries([...document.querySelectorAll('#response-headers dt')].map(e => [e.textContent, e.nextElementSibling.textContent])))"));
        Assert.Equal(id, shownHeaders.RootElement.GetProperty("cf-aig-log-id").GetString());
        Assert.Equal("MISS", shownHeaders.RootElement.GetProperty("cf-aig-cache-status").GetString());
        Assert.StartsWith("application/json", shownHeaders.RootElement.GetProperty("content-type").GetString());
        Assert.Equal("true", await page.EvaluateExpressionAsync<string>("document.getElementById('response-headers').dataset.stored"));
        Assert.Equal("Headers the gateway set", await page.EvaluateExpressionAsync<string>(
            "document.getElementById('response-headers').previousSibling.textContent")); // nothing (no stray text) between
        var detail = await fixture.GetResultAsync($"api/management/gateways/logs-ui/logs/{id}");
        Assert.Equal(shownHeaders.RootElement.GetRawText(), detail.GetProperty("response_headers").GetRawText());

        await page.ClickAsync("aside.drawer button[data-feedback='1']");
        await page.TypeAsync("aside.drawer input[name='score']", "4");
        await page.ClickAsync("aside.drawer form button[type='submit']");
        await page.WaitForFunctionAsync("() => document.getElementById('feedback-saved')?.textContent.startsWith('Saved')");
        await DashboardBrowser.ScreenshotAsync(page, "log-drawer");

        using var client = fixture.Gateway.ManagementClient();
        using var stored = JsonDocument.Parse(await client.GetStringAsync($"api/management/gateways/logs-ui/logs/{id}"));
        Assert.Equal(1, stored.RootElement.GetProperty("result").GetProperty("feedback").GetInt32());
        Assert.Equal(4, stored.RootElement.GetProperty("result").GetProperty("score").GetDouble());

        await page.Keyboard.PressAsync("Escape");
        await page.WaitForFunctionAsync("() => !document.querySelector('aside.drawer') && !location.hash.includes('open=')");
        await page.CloseAsync();
    }

    [Fact]
    public async Task LogDrawer_ShowsAStreamedAnswerAsTheTextTheUserSaw()
    {
        await fixture.CreateGatewayAsync("stream-ui");
        string id = await fixture.ChatAsync("stream-ui", "stream it", stream: true);

        var page = await fixture.OpenAsync($"#/logs?gateway=stream-ui&open={id}");
        await page.WaitForSelectorAsync($"aside.drawer[data-log-id='{id}'][data-state='ready']");
        string text = await page.EvaluateExpressionAsync<string>("document.querySelector(\"aside.drawer pre[data-body='text']\").textContent");
        Assert.StartsWith("Hello from the simulated provider.", text);
        Assert.DoesNotContain("data:", text);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Gateways_CreateOneEditItsSettingsAndPurgeItsCache()
    {
        var page = await fixture.OpenAsync("#/gateways");
        await page.TypeAsync("input[name='id']", "made-in-browser");
        await page.TypeAsync("input[name='name']", "Made in a browser");
        await page.ClickAsync("form[aria-label='Create a gateway'] button[type='submit']");
        await page.WaitForFunctionAsync("() => location.hash === '#/gateways/made-in-browser' && document.querySelector('main').dataset.state === 'ready'");

        await page.Locator("input[name='cache_ttl']").FillAsync("120");
        await page.ClickAsync("form[aria-labelledby='settings-title'] button[type='submit']");
        using var client = fixture.Gateway.ManagementClient();
        await page.WaitForFunctionAsync("() => document.getElementById('toast').textContent === 'Settings saved'");
        using (var stored = JsonDocument.Parse(await client.GetStringAsync("api/management/gateways/made-in-browser")))
        {
            Assert.Equal(120, stored.RootElement.GetProperty("result").GetProperty("cache_ttl").GetInt32());
            Assert.Equal("Made in a browser", stored.RootElement.GetProperty("result").GetProperty("name").GetString());
        }

        Assert.Contains($"{fixture.Gateway.Address}v1/local/made-in-browser/openai".TrimEnd('/'),
            await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('code.url')].map(e => e.textContent)"));
        await page.ClickAsync("xpath/.//button[text()='Purge cache']");
        await page.WaitForFunctionAsync("() => document.getElementById('purge-result').textContent.startsWith('Cache purged')");
        await DashboardBrowser.ScreenshotAsync(page, "gateway");

        await page.GoToAsync(new Uri(fixture.Gateway.Address, "dashboard/#/gateways").ToString());
        await DashboardBrowser.WaitReadyAsync(page, "gateways");
        Assert.Equal(1, await page.EvaluateExpressionAsync<int>("document.querySelectorAll(\"tr[data-gateway='made-in-browser']\").length"));
        await DashboardBrowser.ScreenshotAsync(page, "gateways");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Keys_CreateATeamKeyShownOnceAndListedByItsHintOnly()
    {
        await fixture.CreateGatewayAsync("keys-ui", """{"authentication":true}"""); // provider keys need an authenticated gateway
        var page = await fixture.OpenAsync("#/keys?gateway=keys-ui");
        await page.TypeAsync("form[aria-label='Create a team key'] input[name='teamId']", "team-browser");
        await page.TypeAsync("form[aria-label='Create a team key'] input[name='name']", "ci key");
        await page.ClickAsync("form[aria-label='Create a team key'] button[type='submit']");
        var secret = await page.WaitForSelectorAsync("#secret-once [data-secret]");
        string key = await secret.EvaluateFunctionAsync<string>("e => e.textContent");
        Assert.Matches("^sk_[0-9a-f]{64}$", key);
        await DashboardBrowser.ScreenshotAsync(page, "keys");

        // The key works as a team key, and the list shows its hint, never the key.
        using var client = fixture.Gateway.ManagementClient();
        using var listed = JsonDocument.Parse(await client.GetStringAsync("api/management/tokens?teamId=team-browser"));
        var entry = Assert.Single(listed.RootElement.GetProperty("result").EnumerateArray());
        Assert.Equal("ci key", entry.GetProperty("name").GetString());
        string tableText = await page.EvaluateExpressionAsync<string>("document.querySelector(\"section[aria-labelledby='tk-title'] table\").textContent");
        Assert.Contains("team-browser", tableText);
        Assert.DoesNotContain(key, tableText);

        // Refresh shows the replacement once; revoke removes the key.
        await page.ClickAsync("xpath/.//section[@aria-labelledby='tk-title']//tr[td[text()='team-browser']]//button[text()='Refresh']");
        await page.WaitForFunctionAsync($"() => document.querySelector('#secret-once [data-secret]')?.textContent.startsWith('sk_') && document.querySelector('#secret-once [data-secret]').textContent !== '{key}'");
        await page.ClickAsync("xpath/.//section[@aria-labelledby='tk-title']//tr[td[text()='team-browser']]//button[text()='Revoke']");
        await page.WaitForFunctionAsync("() => !document.querySelector(\"section[aria-labelledby='tk-title'] table\")?.textContent.includes('team-browser')");
        using (var revoked = JsonDocument.Parse(await client.GetStringAsync("api/management/tokens?teamId=team-browser")))
        {
            Assert.Empty(revoked.RootElement.GetProperty("result").EnumerateArray());
        }

        // A stored provider key is listed by its preview only.
        const string ProviderSecret = "sk-provider-secret-0123456789abcdef";
        await page.TypeAsync("form[aria-label='Add a provider key'] input[name='secret']", ProviderSecret);
        await page.ClickAsync("form[aria-label='Add a provider key'] button[type='submit']");
        await page.WaitForSelectorAsync("xpath/.//section[@aria-labelledby='pk-title']//td[text()='openai']");
        string providerTable = await page.EvaluateExpressionAsync<string>("document.querySelector(\"section[aria-labelledby='pk-title'] table\").textContent");
        Assert.DoesNotContain(ProviderSecret, providerTable);
        Assert.DoesNotContain(ProviderSecret, await page.GetContentAsync());
        await page.CloseAsync();
    }

    [Fact]
    public async Task Playground_StreamsAnAnswerThroughTheUnifiedApiAndLinksItsLogRow()
    {
        var page = await fixture.OpenAsync("#/playground?gateway=default&provider=openai&model=gpt-4o-mini");
        await page.TypeAsync("input[name='key']", "sk-test-provider-key");
        await page.ClickAsync("form[aria-label='Chat request'] button[type='submit']");
        var link = await page.WaitForSelectorAsync("#log-link");
        Assert.StartsWith("Hello from the simulated", await page.EvaluateExpressionAsync<string>("document.getElementById('answer').textContent"));
        await DashboardBrowser.ScreenshotAsync(page, "playground");

        string href = await link.EvaluateFunctionAsync<string>("e => e.getAttribute('href')");
        string id = href[(href.IndexOf("open=", StringComparison.Ordinal) + 5)..];
        await fixture.Gateway.WaitForLogRowAsync(id);
        await link.ClickAsync();
        await page.WaitForSelectorAsync($"aside.drawer[data-log-id='{id}'][data-state='ready']");
        Assert.Contains($"open={id}", await page.EvaluateExpressionAsync<string>("location.hash"));
        Assert.Contains("compat", await page.EvaluateExpressionAsync<string>("document.querySelector('aside.drawer dl').textContent"));
        Assert.Equal(id, await page.EvaluateExpressionAsync<string>(
            "[...document.querySelectorAll('#response-headers dt')].find(e => e.textContent === 'cf-aig-log-id').nextElementSibling.textContent"));

        // The row it jumped to is the playground's request as the API stores it: the unified API, the model asked for.
        var row = await fixture.GetResultAsync($"api/management/gateways/default/logs/{id}");
        Assert.Equal("compat", row.GetProperty("request_type").GetString());
        Assert.Equal("gpt-4o-mini", row.GetProperty("model").GetString());
        Assert.Equal("openai", row.GetProperty("provider").GetString());
        await page.CloseAsync();
    }
}
