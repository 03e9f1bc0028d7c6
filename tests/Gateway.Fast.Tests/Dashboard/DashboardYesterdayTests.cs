using System.Globalization;
using System.Text.Json;
using Gateway.Fast.Logging;

namespace Gateway.Fast.Tests.Dashboard;

/// <summary>"What did we spend yesterday, on which model, and how much did the cache save": one choice on the overview.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardYesterdayTests(DashboardBrowser fixture)
{
    [Fact]
    public async Task Overview_Yesterday_ShowsTheCostByModelAndWhatTheCacheSaved()
    {
        await fixture.CreateGatewayAsync("yesterday");

        // Yesterday noon in the zone Chromium and this process share (both read the machine's), so it is yesterday on the page.
        long noon = new DateTimeOffset(DateTime.Today.AddDays(-1).AddHours(12)).ToUnixTimeMilliseconds();
        await fixture.AppendRowAsync(Row("yday-1", noon, "gpt-4o", cost: 0.03, cached: false));
        await fixture.AppendRowAsync(Row("yday-2", noon + 60_000, "gpt-4o", cost: 0.03, cached: true)); // replayed: saved
        await fixture.AppendRowAsync(Row("yday-3", noon + 120_000, "gpt-4o-mini", cost: 0.0015, cached: false));
        await fixture.AppendRowAsync(Row("today-1", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), "gpt-4o", cost: 5, cached: false));

        // The user's path: open the overview, pick "Yesterday" in the range list (the breakdown is by model already).
        var page = await fixture.OpenAsync("#/overview?gateway=yesterday");
        await page.SelectAsync("select[name='range']", "yesterday");
        await page.WaitForFunctionAsync("() => location.hash.includes('range=yesterday') && document.querySelector(\"main[data-state='ready']\")");

        using var shown = JsonDocument.Parse(await page.EvaluateExpressionAsync<string>("""
            JSON.stringify({
              start: document.querySelector('main').dataset.start,
              end: document.querySelector('main').dataset.end,
              raw: Object.fromEntries([...document.querySelectorAll('[data-kpi]')].map(e => [e.dataset.kpi, e.dataset.raw])),
              text: Object.fromEntries([...document.querySelectorAll('[data-kpi]')].map(e => [e.dataset.kpi, e.textContent])),
              models: [...document.querySelectorAll('#breakdown tbody tr')].map(r => [...r.children].map(c => c.textContent)),
              columns: [...document.querySelectorAll('#breakdown thead th')].map(c => c.textContent),
            })
            """));
        var root = shown.RootElement;
        Assert.Equal(new DateTimeOffset(DateTime.Today.AddDays(-1)), DateTimeOffset.Parse(root.GetProperty("start").GetString()!, CultureInfo.InvariantCulture));
        Assert.Equal(new DateTimeOffset(DateTime.Today), DateTimeOffset.Parse(root.GetProperty("end").GetString()!, CultureInfo.InvariantCulture));

        var raw = root.GetProperty("raw");
        Assert.Equal("3", raw.GetProperty("requests").GetString());
        Assert.Equal(0.0615, double.Parse(raw.GetProperty("cost").GetString()!, CultureInfo.InvariantCulture), 9);
        Assert.Equal(0.03, double.Parse(raw.GetProperty("cache_saved_cost").GetString()!, CultureInfo.InvariantCulture), 9);
        Assert.Contains("$0.06150", root.GetProperty("text").GetProperty("cost").GetString());
        Assert.Contains("$0.03150 paid to providers", root.GetProperty("text").GetProperty("cost").GetString());
        Assert.Contains("$0.03000", root.GetProperty("text").GetProperty("cache_saved_cost").GetString());

        // By model, most expensive first, with each model's cost and what its cache hits saved.
        var columns = root.GetProperty("columns").EnumerateArray().Select(c => c.GetString()).ToList();
        var models = root.GetProperty("models").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetString()).ToList()).ToList();
        Assert.Equal(["gpt-4o", "gpt-4o-mini"], models.Select(r => r[0]));
        Assert.Equal("$0.06000", models[0][columns.IndexOf("Cost")]);
        Assert.Equal("$0.03000", models[0][columns.IndexOf("Saved by cache")]);
        Assert.Equal("$0.001500", models[1][columns.IndexOf("Cost")]);
        Assert.Equal("$0", models[1][columns.IndexOf("Saved by cache")]);

        // The same range through the API, to the digit.
        string range = $"start={Uri.EscapeDataString(root.GetProperty("start").GetString()!)}&end={Uri.EscapeDataString(root.GetProperty("end").GetString()!)}";
        var totals = (await fixture.GetResultAsync($"api/management/gateways/yesterday/analytics?{range}"))[0];
        Assert.Equal(totals.GetProperty("cost").GetDouble(), double.Parse(raw.GetProperty("cost").GetString()!, CultureInfo.InvariantCulture));
        Assert.Equal(totals.GetProperty("cache_saved_cost").GetDouble(), double.Parse(raw.GetProperty("cache_saved_cost").GetString()!, CultureInfo.InvariantCulture));
        await DashboardBrowser.ScreenshotAsync(page, "overview-yesterday");
        await page.CloseAsync();
    }

    private static LogRecord Row(string id, long createdAtUnixMs, string model, double cost, bool cached) => new()
    {
        Id = id,
        GatewayId = "yesterday",
        CreatedAtUnixMs = createdAtUnixMs,
        Provider = "openai",
        Model = model,
        ModelType = "chat",
        Path = "chat/completions",
        Success = true,
        Cached = cached,
        StatusCode = 200,
        Duration = 120,
        TokensIn = 1000,
        TokensOut = 500,
        Cost = cost,
    };
}
