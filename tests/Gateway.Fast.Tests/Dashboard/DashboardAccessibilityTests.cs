using Deque.AxeCore.Commons;
using PuppeteerSharp;

namespace Gateway.Fast.Tests.Dashboard;

/// <summary>
/// Every screen checked in Chromium by axe-core (Deque's rules engine, the script its NuGet package embeds) against
/// WCAG 2.1 A and AA: names and labels, contrast of the text as rendered, ARIA use, scrollable regions a keyboard can
/// reach. Then the keyboard alone: Tab from the top of the page reaches every control the screen shows.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardAccessibilityTests(DashboardBrowser fixture)
{
    private static readonly Lazy<string> AxeScript = new(() => new BundledAxeScriptProvider().GetScript());

    /// <summary>Each case: its own gateway id suffix, the screen's URL (<c>{g}</c> is that gateway), the screen's name.</summary>
    public static TheoryData<string, string, string> Screens => new()
    {
        { "overview", "#/overview?gateway={g}&range=day&by=model", "overview" },
        { "overview-custom", "#/overview?gateway={g}&range=custom&from=2026-01-01T00:00&to=2026-01-02T00:00&by=metadata&meta=customer", "overview" },
        { "logs", "#/logs?gateway={g}", "logs" },
        { "gateways", "#/gateways", "gateways" },
        { "gateway", "#/gateways/{g}", "gateways" },
        { "keys", "#/keys?gateway={g}", "keys" },
        { "playground", "#/playground?gateway={g}", "playground" },
    };

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task Screen_HasNoWcagViolationsAndTabReachesEveryControl(string name, string hash, string screen)
    {
        string gateway = "a11y-" + name;
        await SeedAsync(gateway);
        var page = await fixture.Browser.NewPageAsync();
        await page.SetBypassCSPAsync(true); // lets the test inject axe; the page's own scripts are the same either way
        await fixture.SignInAsync(page, hash.Replace("{g}", gateway, StringComparison.Ordinal));
        await DashboardBrowser.WaitReadyAsync(page, screen);

        Assert.Empty(await ViolationsAsync(page));
        Assert.Empty(await ControlsTabMissesAsync(page));
        await page.CloseAsync();
    }

    [Fact]
    public async Task SignInAndTheRequestDrawer_HaveNoWcagViolations()
    {
        var signIn = await fixture.Browser.NewPageAsync();
        await signIn.SetBypassCSPAsync(true);
        await signIn.GoToAsync(new Uri(fixture.Gateway.Address, "dashboard/").ToString(), WaitUntilNavigation.Networkidle0);
        await signIn.WaitForSelectorAsync("main[data-screen='sign-in'] input[name='token']");
        Assert.Empty(await ViolationsAsync(signIn));
        await signIn.CloseAsync();

        string id = await SeedAsync("a11y-drawer");
        var page = await fixture.Browser.NewPageAsync();
        await page.SetBypassCSPAsync(true);
        await fixture.SignInAsync(page, $"#/logs?gateway=a11y-drawer&open={id}");
        await page.WaitForSelectorAsync($"aside.drawer[data-log-id='{id}'][data-state='ready']");
        Assert.Empty(await ViolationsAsync(page));

        // The drawer is modal: Tab stays inside it, and Escape closes it.
        for (int i = 0; i < 40; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            Assert.True(await page.EvaluateExpressionAsync<bool>("!!document.activeElement.closest('aside.drawer')"), $"Tab {i + 1} left the drawer");
        }

        await page.Keyboard.PressAsync("Escape");
        await page.WaitForFunctionAsync("() => !document.querySelector('aside.drawer')");
        await page.CloseAsync();
    }

    /// <summary>A gateway with logged requests (one plain with metadata, one streamed), so tables, charts and the drawer have content.</summary>
    private async Task<string> SeedAsync(string gateway)
    {
        await fixture.CreateGatewayAsync(gateway, """{"cache_ttl":60}""");
        string id = await fixture.ChatAsync(gateway, "accessible?", metadata: """{"customer":"acme"}""");
        await fixture.ChatAsync(gateway, "streamed and accessible?", stream: true);
        return id;
    }

    /// <summary>axe-core's WCAG 2.0/2.1 A and AA violations on the page as it is now, one line each with its elements.</summary>
    private static async Task<string[]> ViolationsAsync(IPage page)
    {
        if (!await page.EvaluateExpressionAsync<bool>("typeof window.axe === 'object'"))
        {
            await page.EvaluateExpressionAsync(AxeScript.Value);
        }

        return await page.EvaluateFunctionAsync<string[]>("""
            async () => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
              return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`);
            }
            """);
    }

    /// <summary>Presses Tab from the page's first stop (the skip link) until focus leaves the page or comes round again;
    /// returns the visible controls it never reached.</summary>
    private static async Task<string[]> ControlsTabMissesAsync(IPage page)
    {
        await page.EvaluateExpressionAsync("window.scrollTo(0, 0); document.querySelector('a.skip').focus(); document.activeElement.dataset.tabbed = '1'");
        for (int i = 0; i < 400; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            bool again = await page.EvaluateExpressionAsync<bool>("""
                (() => {
                  const e = document.activeElement;
                  if (!e || e === document.body) return true;
                  // A date-time field takes one Tab per part (month, day, year, hour, minute): still the same control.
                  if (e === window.lastTabbed) return false;
                  if (e.dataset.tabbed) return true;
                  e.dataset.tabbed = '1';
                  window.lastTabbed = e;
                  return false;
                })()
                """);
            if (again)
            {
                break;
            }
        }

        return await page.EvaluateExpressionAsync<string[]>("""
            [...document.querySelectorAll('header a[href], header button, main a[href], main button, main input, main select, main textarea, main summary, main [tabindex="0"]')]
              .filter(e => !e.disabled && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden' && !e.closest('[hidden]'))
              .filter(e => !e.dataset.tabbed)
              .map(e => e.outerHTML.slice(0, 120))
            """);
    }
}
