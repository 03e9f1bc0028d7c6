using System.Net;
using System.Text.Json;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Dashboard;

/// <summary>The gateway serves the dashboard's files itself, offline, with a strict content-security policy.</summary>
public sealed class DashboardServingTests(GatewayWithSimulator env) : IClassFixture<GatewayWithSimulator>
{
    private HttpClient NoRedirects() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = env.Gateway.Address };

    [Theory]
    [InlineData("/", "/dashboard/")]
    [InlineData("/dashboard", "/dashboard/")]
    public async Task RootAndBarePath_RedirectToTheDashboard(string path, string location)
    {
        using var client = NoRedirects();
        using var response = await client.GetAsync(path);
        Assert.True(response.StatusCode is HttpStatusCode.Found or HttpStatusCode.MovedPermanently, response.StatusCode.ToString());
        Assert.EndsWith(location, response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Index_IsServedWithAStrictContentSecurityPolicyAndNoSecret()
    {
        using var response = await env.Gateway.Client.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        string csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("connect-src 'self'", csp);
        string html = await response.Content.ReadAsStringAsync();
        Assert.Contains("js/app.js", html);
        Assert.DoesNotContain(GatewayServer.ManagementToken, html);
        Assert.DoesNotContain("http", html.Replace("http-equiv", "", StringComparison.Ordinal)); // nothing from a CDN
    }

    [Theory]
    [InlineData("/dashboard/js/app.js", "text/javascript")]
    [InlineData("/dashboard/css/app.css", "text/css")]
    [InlineData("/dashboard/vendor/uplot/uPlot.iife.min.js", "text/javascript")]
    public async Task Assets_AreServedFromTheAssemblyWithTheirTypes(string path, string type)
    {
        using var response = await env.Gateway.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(response.Headers.ETag);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 100);
    }

    [Fact]
    public async Task UnknownAsset_Is404()
    {
        using var response = await env.Gateway.Client.GetAsync("/dashboard/js/nope.js");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ProviderList_NamesEveryCatalogProviderBehindTheManagementToken()
    {
        using var anonymous = await env.Gateway.Client.GetAsync("/api/management/providers");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var client = env.Gateway.ManagementClient();
        using var doc = JsonDocument.Parse(await client.GetStringAsync("/api/management/providers"));
        var ids = doc.RootElement.GetProperty("result").EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToArray();
        Assert.Equal(Gateway.Fast.Providers.ProviderCatalog.All.Select(p => p.Id), ids);
    }
}
