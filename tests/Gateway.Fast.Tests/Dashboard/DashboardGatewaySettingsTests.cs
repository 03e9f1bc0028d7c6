using PuppeteerSharp;

namespace Gateway.Fast.Tests.Dashboard;

/// <summary>Every setting of the gateway screen, typed into the form in Chromium and read back through the management API.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardGatewaySettingsTests(DashboardBrowser fixture)
{
    private const string Form = "form[aria-labelledby='settings-title']";

    [Fact]
    public async Task EverySetting_IsSavedFromTheFormAndStoredByTheApi()
    {
        await fixture.CreateGatewayAsync("settings-ui");
        var page = await fixture.OpenAsync("#/gateways/settings-ui");

        await FillAsync(page, "cache_ttl", "90");
        await SetCheckedAsync(page, "cache_invalidate_on_update", true);
        await FillAsync(page, "rate_limiting_limit", "10");
        await FillAsync(page, "rate_limiting_interval", "60");
        await page.SelectAsync($"{Form} select[name='rate_limiting_technique']", "sliding");
        await FillAsync(page, "retry_max_attempts", "3");
        await FillAsync(page, "retry_delay", "200");
        await page.SelectAsync($"{Form} select[name='retry_backoff']", "exponential");
        await FillAsync(page, "request_timeout", "5000");
        await SetCheckedAsync(page, "collect_logs", false);
        await FillAsync(page, "log_management", "20000");
        await page.SelectAsync($"{Form} select[name='log_management_strategy']", "DELETE_OLDEST");
        await SetCheckedAsync(page, "authentication", true);
        await FillAsync(page, "guardrails", """{"prompt":{"S1":"BLOCK"},"response":{"S2":"FLAG"}}""");
        await FillAsync(page, "dlp",
            """{"enabled":true,"policies":[{"id":"pii","action":"FLAG","check":["REQUEST"],"enabled":true,"profiles":["email"]}]}""");
        await page.ClickAsync($"{Form} button[type='submit']");
        await page.WaitForFunctionAsync("() => document.getElementById('toast').textContent === 'Settings saved'");

        var stored = await fixture.GetResultAsync("api/management/gateways/settings-ui");
        Assert.Equal(90, stored.GetProperty("cache_ttl").GetInt32());
        Assert.True(stored.GetProperty("cache_invalidate_on_update").GetBoolean());
        Assert.Equal(10, stored.GetProperty("rate_limiting_limit").GetInt32());
        Assert.Equal(60, stored.GetProperty("rate_limiting_interval").GetInt32());
        Assert.Equal("sliding", stored.GetProperty("rate_limiting_technique").GetString());
        Assert.Equal(3, stored.GetProperty("retry_max_attempts").GetInt32());
        Assert.Equal(200, stored.GetProperty("retry_delay").GetInt32());
        Assert.Equal("exponential", stored.GetProperty("retry_backoff").GetString());
        Assert.Equal(5000, stored.GetProperty("request_timeout").GetInt32());
        Assert.False(stored.GetProperty("collect_logs").GetBoolean());
        Assert.Equal(20000, stored.GetProperty("log_management").GetInt32());
        Assert.Equal("DELETE_OLDEST", stored.GetProperty("log_management_strategy").GetString());
        Assert.True(stored.GetProperty("authentication").GetBoolean());
        Assert.Equal("BLOCK", stored.GetProperty("guardrails").GetProperty("prompt").GetProperty("S1").GetString());
        Assert.Equal("FLAG", stored.GetProperty("guardrails").GetProperty("response").GetProperty("S2").GetString());
        var policy = stored.GetProperty("dlp").GetProperty("policies")[0];
        Assert.Equal("pii", policy.GetProperty("id").GetString());
        Assert.Equal("FLAG", policy.GetProperty("action").GetString());

        // The gateway now wants a token: a call without one is refused, as the setting says.
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await fixture.ChatStatusAsync("settings-ui", gatewayToken: null));

        // A reload shows what was stored, not what was typed.
        await page.ReloadAsync();
        await DashboardBrowser.WaitReadyAsync(page, "gateways");
        Assert.Equal("90", await ValueAsync(page, "cache_ttl"));
        Assert.Equal("exponential", await ValueAsync(page, "retry_backoff"));
        Assert.Contains("\"pii\"", await ValueAsync(page, "dlp"));
        await page.CloseAsync();
    }

    [Fact]
    public async Task AValueTheApiRefuses_IsReportedAndNothingIsStored()
    {
        await fixture.CreateGatewayAsync("settings-bad", """{"cache_ttl":30}""");
        var page = await fixture.OpenAsync("#/gateways/settings-bad");
        await FillAsync(page, "cache_ttl", "45");
        await FillAsync(page, "retry_max_attempts", "9");
        await page.ClickAsync($"{Form} button[type='submit']");
        await page.WaitForFunctionAsync("() => document.getElementById('toast').textContent.includes('retry_max_attempts')");
        Assert.Equal("error show", await page.EvaluateExpressionAsync<string>("document.getElementById('toast').className"));

        var stored = await fixture.GetResultAsync("api/management/gateways/settings-bad");
        Assert.Equal(30, stored.GetProperty("cache_ttl").GetInt32()); // one bad field: nothing applied

        await FillAsync(page, "guardrails", "{not json");
        await page.ClickAsync($"{Form} button[type='submit']");
        await page.WaitForFunctionAsync("() => document.getElementById('toast').textContent === 'A JSON field is not valid JSON'");
        await page.CloseAsync();
    }

    private static Task FillAsync(IPage page, string name, string value) => page.Locator($"{Form} [name='{name}']").FillAsync(value);

    private static Task<string> ValueAsync(IPage page, string name)
        => page.EvaluateFunctionAsync<string>("n => document.querySelector(`form[aria-labelledby='settings-title'] [name='${n}']`).value", name);

    /// <summary>Clicks a checkbox (as a user would) when it is not already in the wanted state.</summary>
    private static async Task SetCheckedAsync(IPage page, string name, bool value)
    {
        string selector = $"{Form} input[name='{name}']";
        if (await page.EvaluateFunctionAsync<bool>("s => document.querySelector(s).checked", selector) != value)
        {
            await page.ClickAsync(selector);
        }
    }
}
