// The "plain YARP" baseline of the load tests (design.md §8): one direct forwarder, no routes, no transforms beyond copying
// headers, upstream from YARP_UPSTREAM. The handler settings follow YARP's testassets/ReverseProxy.Direct/Program.cs, except
// that no activity headers are propagated, so neither side of the comparison pays for tracing.
using System.Net;
using Yarp.ReverseProxy.Forwarder;

var upstream = Environment.GetEnvironmentVariable("YARP_UPSTREAM");
if (string.IsNullOrEmpty(upstream))
{
    Console.Error.WriteLine("YARP_UPSTREAM is not set (e.g. http://127.0.0.1:5100).");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddHttpForwarder();

var app = builder.Build();

var invoker = new HttpMessageInvoker(new SocketsHttpHandler
{
    UseProxy = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    EnableMultipleHttp2Connections = true,
    ActivityHeadersPropagator = null,
    ConnectTimeout = TimeSpan.FromSeconds(15),
});
var requestConfig = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(100) };

app.MapGet("/health", static () => Results.Text("ok"));
app.MapForwarder("/{**catch-all}", upstream, requestConfig, HttpTransformer.Empty, invoker);

app.Run();
return 0;
