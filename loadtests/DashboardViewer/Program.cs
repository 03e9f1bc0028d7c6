using PuppeteerSharp;

// Keeps the dashboard open in headless Chromium, as a user leaving it on a screen would: the overview refreshing live
// (every 15 s) in one browser and the logs explorer's live tail (every 3 s) in another, until stdin closes or a key is
// pressed. loadtests/dashboard.sh runs wrk against the gateway with and without it.
//
// usage: DashboardViewer <gateway base URL> <management token> [chromium path]
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: DashboardViewer <gateway base URL> <management token> [chromium path]");
    return 2;
}

var baseUrl = args[0].TrimEnd('/');
var browsers = new List<IBrowser>();

// One Chromium per screen: a screen refreshes only while its tab is visible (a hidden tab costs the gateway nothing),
// and a second tab in the same browser may be a hidden one. Each page prints its visibilityState, to be sure.
foreach (var hash in new[] { "#/overview?range=day&live=1", "#/logs?tail=1" })
{
    var browser = await Puppeteer.LaunchAsync(new LaunchOptions
    {
        ExecutablePath = args.Length > 2 ? args[2] : "/usr/bin/chromium",
        Headless = true,
        DefaultViewport = new ViewPortOptions { Width = 1280, Height = 800 },
        Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
    });
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
