using System.Net;
using System.Text.Json;
using PuppeteerSharp;

namespace Gateway.Fast.Tests.Dashboard;

/// <summary>The keys screen in Chromium: gateway tokens, a team key's limits, stored provider keys; each result read back
/// through the management API, and no secret left in the page after it was shown once.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardKeysTests(DashboardBrowser fixture)
{
    [Fact]
    public async Task GatewayToken_IsShownOnceAuthenticatesCallsAndStopsWhenRevoked()
    {
        await fixture.CreateGatewayAsync("tokens-ui", """{"authentication":true}""");
        var page = await fixture.OpenAsync("#/keys?gateway=tokens-ui");
        await page.TypeAsync("form[aria-label='Create a gateway token'] input[name='name']", "ci token");
        await page.ClickAsync("form[aria-label='Create a gateway token'] button[type='submit']");
        var secret = await page.WaitForSelectorAsync("#secret-once [data-secret]");
        string token = await secret.EvaluateFunctionAsync<string>("e => e.textContent");

        var listed = Assert.Single((await fixture.GetResultAsync("api/management/gateways/tokens-ui/tokens")).EnumerateArray());
        Assert.Equal("ci token", listed.GetProperty("name").GetString());
        Assert.DoesNotContain(token, listed.GetRawText());
        Assert.EndsWith(listed.GetProperty("hint").GetString()!, token);
        Assert.DoesNotContain(token, await TextOfAsync(page, "gt-title"));

        Assert.Equal(HttpStatusCode.OK, await fixture.ChatStatusAsync("tokens-ui", token));
        Assert.Equal(HttpStatusCode.Unauthorized, await fixture.ChatStatusAsync("tokens-ui", gatewayToken: null));

        await page.ClickAsync("xpath/.//section[@aria-labelledby='gt-title']//tr[td[text()='ci token']]//button[text()='Revoke']");
        await page.WaitForFunctionAsync("() => !document.querySelector(\"section[aria-labelledby='gt-title']\").textContent.includes('ci token')");
        Assert.Empty((await fixture.GetResultAsync("api/management/gateways/tokens-ui/tokens")).EnumerateArray());
        Assert.Equal(HttpStatusCode.Unauthorized, await fixture.ChatStatusAsync("tokens-ui", token));
        await page.CloseAsync();
    }

    [Fact]
    public async Task TeamKeyLimits_AreSavedFromTheKeysRowAndStoredByTheApi()
    {
        using (var client = fixture.Gateway.ManagementClient())
        {
            using var created = await client.PostAsync("api/management/tokens", DashboardBrowser.Json("""{"teamId":"team-limits","name":"limits key"}"""));
            created.EnsureSuccessStatusCode();
        }

        var page = await fixture.OpenAsync("#/keys");
        const string Row = "form[aria-label='Limits of limits key']";
        await page.ClickAsync($"{Row} input[name='limited']");
        await page.Locator($"{Row} input[name='rate_limit']").FillAsync("5");
        await page.Locator($"{Row} input[name='rate_limit_period']").FillAsync("60");
        await page.Locator($"{Row} input[name='allowed_models']").FillAsync("gpt-4o-mini, gpt-4o");
        await SaveAsync(page, $"{Row} button[type='submit']", "Limits saved");

        var key = Assert.Single((await fixture.GetResultAsync("api/management/tokens?teamId=team-limits")).EnumerateArray());
        Assert.True(key.GetProperty("limited").GetBoolean());
        Assert.Equal(5, key.GetProperty("rateLimit").GetInt32());
        Assert.Equal(60, key.GetProperty("rateLimitPeriod").GetInt32());
        Assert.Equal(["gpt-4o-mini", "gpt-4o"], key.GetProperty("allowedModels").EnumerateArray().Select(m => m.GetString()));

        // The row is drawn again from the stored key; emptying the models clears the list (any model) rather than allowing none.
        Assert.Equal("5", await page.EvaluateExpressionAsync<string>($"document.querySelector(\"{Row} input[name='rate_limit']\").value"));
        await page.Locator($"{Row} input[name='allowed_models']").FillAsync("");
        await SaveAsync(page, $"{Row} button[type='submit']", "Limits saved");
        key = Assert.Single((await fixture.GetResultAsync("api/management/tokens?teamId=team-limits")).EnumerateArray());
        Assert.Equal(JsonValueKind.Null, key.GetProperty("allowedModels").ValueKind);
        Assert.Equal(5, key.GetProperty("rateLimit").GetInt32());
        await page.CloseAsync();
    }

    [Fact]
    public async Task ProviderKey_IsAddedUnderItsAliasListedByItsPreviewOnlyAndDeleted()
    {
        await fixture.CreateGatewayAsync("pk-ui", """{"authentication":true}""");
        const string Secret = "sk-ant-provider-secret-0123456789abcdef";
        var page = await fixture.OpenAsync("#/keys?gateway=pk-ui");
        const string Form = "form[aria-label='Add a provider key']";
        await page.SelectAsync($"{Form} select[name='provider_slug']", "anthropic");
        await page.Locator($"{Form} input[name='alias']").FillAsync("team-a");
        await page.TypeAsync($"{Form} input[name='secret']", Secret);
        await page.ClickAsync($"{Form} button[type='submit']");
        await page.WaitForSelectorAsync("xpath/.//section[@aria-labelledby='pk-title']//td[text()='team-a']");

        var config = Assert.Single((await fixture.GetResultAsync("api/management/gateways/pk-ui/provider_configs")).EnumerateArray());
        Assert.Equal("anthropic", config.GetProperty("provider_slug").GetString());
        Assert.Equal("team-a", config.GetProperty("alias").GetString());
        Assert.DoesNotContain(Secret, config.GetRawText());
        string preview = config.GetProperty("secret_preview").GetString()!;
        Assert.Contains(preview, await TextOfAsync(page, "pk-title"));
        Assert.DoesNotContain(Secret, await page.GetContentAsync());
        Assert.Equal("", await page.EvaluateExpressionAsync<string>($"document.querySelector(\"{Form} input[name='secret']\").value"));

        await page.ClickAsync("xpath/.//section[@aria-labelledby='pk-title']//tr[td[text()='team-a']]//button[text()='Delete']");
        await page.WaitForFunctionAsync("() => !document.querySelector(\"section[aria-labelledby='pk-title'] table\")");
        Assert.Empty((await fixture.GetResultAsync("api/management/gateways/pk-ui/provider_configs")).EnumerateArray());
        await page.CloseAsync();
    }

    /// <summary>Clicks a button whose action ends in <paramref name="message"/> and waits until the lists are drawn again.</summary>
    private static async Task SaveAsync(IPage page, string button, string message)
    {
        await page.EvaluateExpressionAsync("document.getElementById('toast').textContent = ''");
        await page.ClickAsync(button);
        await page.WaitForFunctionAsync(
            "m => document.getElementById('toast').textContent === m && document.querySelector('main').dataset.state === 'ready'", message);
    }

    private static Task<string> TextOfAsync(IPage page, string titleId)
        => page.EvaluateFunctionAsync<string>("id => document.querySelector(`section[aria-labelledby='${id}']`).textContent", titleId);
}
