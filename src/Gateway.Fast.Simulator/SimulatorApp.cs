using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Fast.Simulator;

/// <summary>Builds the simulator's web application; shared by <c>Program.cs</c> and <see cref="SimulatorHost"/>.</summary>
public static class SimulatorApp
{
    /// <summary>Creates the app. <paramref name="url"/>, when given, overrides <c>--urls</c> / <c>ASPNETCORE_URLS</c>.</summary>
    public static WebApplication Build(string[] args, string? url = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(SimulatorApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        if (url is not null)
        {
            builder.WebHost.UseUrls(url);
        }

        // Console logging at Information costs a load run more than the simulator itself does.
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // The capacity report opens thousands of streams in seconds; the transport's default backlog of 512 overflowed during
        // such a ramp, so take as many as Linux queues by default (net.core.somaxconn, 4096 since kernel 5.4).
        builder.WebHost.UseSockets(static sockets => sockets.Backlog = 4096);
        builder.WebHost.ConfigureKestrel(static options =>
        {
            options.AddServerHeader = false;
            options.Limits.MaxRequestBodySize = null;
        });

        builder.Services.AddSingleton<SimulatorStats>();
        builder.Services.AddSingleton<ResponseCache>();
        builder.Services.AddSingleton<SimulatorHandler>();

        WebApplication app = builder.Build();
        app.Run(app.Services.GetRequiredService<SimulatorHandler>().InvokeAsync);
        return app;
    }

}
