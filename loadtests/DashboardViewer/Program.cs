using PuppeteerSharp;

// Keeps the dashboard open in headless Chromium, as a user leaving it on a screen would: the overview refreshing live
// (every 15 s) in one browser and the logs explorer's live tail (every 3 s) in another, until stdin closes or a key is
// pressed. loadtests/dashboard.sh runs wrk against the gateway with and without it.
//
// With --first-paint RUNS, it instead times the overview's first paint RUNS times (after signing in once): from the
// navigation to the KPI cards filled, and to the whole screen ready (charts and breakdown), for the ranges hour, day and
// week over all gateways; loadtests/dashboard-first-paint.sh runs it over a store it filled.
//
// usage: DashboardViewer <gateway base URL> <management token> [chromium path] [--first-paint RUNS]
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: DashboardViewer <gateway base URL> <management token> [chromium path] [--first-paint RUNS]");
    return 2;
}

var firstPaintAt = Array.IndexOf(args, "--first-paint");
var firstPaintRuns = firstPaintAt >= 0 ? int.Parse(args[firstPaintAt + 1], System.Globalization.CultureInfo.InvariantCulture) : 0;

var baseUrl = args[0].TrimEnd('/');
var chromium = args.Length > 2 && !args[2].StartsWith("--", StringComparison.Ordinal) ? args[2] : "/usr/bin/chromium";
LaunchOptions Options() => new()
{
    ExecutablePath = chromium,
    Headless = true,
    DefaultViewport = new ViewPortOptions { Width = 1280, Height = 800 },
    Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
};

if (firstPaintRuns > 0)
{
    await using var browser = await Puppeteer.LaunchAsync(Options());
    var page = await browser.NewPageAsync();
    await page.GoToAsync($"{baseUrl}/dashboard/#/overview?range=hour", WaitUntilNavigation.Networkidle0);
    await page.TypeAsync("input[name='token']", args[1]);
    await page.ClickAsync("form.sign-in button[type='submit']");
    await page.WaitForSelectorAsync("main[data-state='ready']", new WaitForSelectorOptions { Timeout = 600_000 });
    foreach (var range in new[] { "hour", "day", "week" })
    {
        var cards = new List<double>();
        var ready = new List<double>();
        for (var run = 0; run < firstPaintRuns; run++)
        {
            // A new document each time (not a hash change), as a user opening the dashboard's URL: the token stays in the session.
            await page.GoToAsync("about:blank");
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await page.GoToAsync($"{baseUrl}/dashboard/#/overview?range={range}");
            await page.WaitForSelectorAsync("section.kpis [data-kpi='requests']", new WaitForSelectorOptions { Timeout = 600_000 });
            cards.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            await page.WaitForSelectorAsync("main[data-state='ready']", new WaitForSelectorOptions { Timeout = 600_000 });
            ready.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var requests = await page.EvaluateExpressionAsync<string>("document.querySelector(\"[data-kpi='requests']\").dataset.raw");
        cards.Sort();
        ready.Sort();
        Console.WriteLine($"overview range={range,-5} requests {requests,10}: KPI cards filled median {cards[cards.Count / 2],7:F0} ms (min {cards[0]:F0}), "
            + $"screen ready median {ready[ready.Count / 2],7:F0} ms (min {ready[0]:F0}), {firstPaintRuns} runs");
    }

    return 0;
}

var browsers = new List<IBrowser>();

// One Chromium per screen: a screen refreshes only while its tab is visible (a hidden tab costs the gateway nothing),
// and a second tab in the same browser may be a hidden one. Each page prints its visibilityState, to be sure.
foreach (var hash in new[] { "#/overview?range=day&live=1", "#/logs?tail=1" })
{
    var browser = await Puppeteer.LaunchAsync(Options());
    browsers.Add(browser);
    var page = (await browser.PagesAsync()).FirstOrDefault() ?? await browser.NewPageAsync();
    await page.GoToAsync($"{baseUrl}/dashboard/{hash}", WaitUntilNavigation.Networkidle0);
    await page.TypeAsync("input[name='token']", args[1]);
    await page.ClickAsync("form.sign-in button[type='submit']");
    await page.WaitForSelectorAsync("main[data-state='ready']", new WaitForSelectorOptions { Timeout = 120_000 });
    Console.WriteLine($"{hash}: {await page.EvaluateExpressionAsync<string>("document.visibilityState")}");
}

Console.WriteLine("dashboard open");
await Console.In.ReadLineAsync();
foreach (var browser in browsers)
{
    await browser.CloseAsync();
}

return 0;
