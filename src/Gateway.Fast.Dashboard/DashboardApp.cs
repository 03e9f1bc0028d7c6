using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Gateway.Fast.Dashboard;

/// <summary>
/// Serves the dashboard, a static single-page app embedded in this assembly, at <c>/dashboard/</c>. The page holds no
/// secret and reads nothing on the server's side: every number it shows comes from the management API, called from the
/// browser with the token its user signs in with, so it can do nothing the API does not allow.
/// </summary>
public static class DashboardApp
{
    /// <summary>Where the dashboard lives.</summary>
    public const string Path = "/dashboard";

    // Scripts and styles only from the gateway itself: the page works offline, and an injected script has nowhere to
    // load from. connect-src 'self' keeps every call on this gateway's own API.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>Adds the static-file middleware for <c>/dashboard/…</c>; place it after the proxy, so proxy paths never reach it.</summary>
    public static IApplicationBuilder UseDashboard(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var files = new LazyFileProvider(static () => new ManifestEmbeddedFileProvider(typeof(DashboardApp).Assembly, "wwwroot"));

        // /dashboard redirects to /dashboard/ and serves index.html there; the screens are hash routes (#/logs?…), so a
        // shared link never needs a server-side fallback.
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = Path });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            RequestPath = Path,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = static ctx =>
            {
                var headers = ctx.Context.Response.Headers;
                headers.CacheControl = "no-cache"; // revalidated by ETag: a new gateway build is seen at the next load
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
            },
        });
        return app;
    }

    /// <summary>Maps <c>GET /</c> to a redirect to the dashboard.</summary>
    public static IEndpointRouteBuilder MapDashboardRoot(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/", static () => Results.Redirect(Path + "/"));
        return endpoints;
    }
}
