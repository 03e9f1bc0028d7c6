using System.Globalization;
using System.Text;
using Gateway.Fast.Logging;

namespace Gateway.Fast.LogCrashHost;

/// <summary>The rows the crash host appends; compiled into the test project too, which checks every field it reads back.</summary>
internal static class CrashRows
{
    /// <summary>Rows the host keeps with "checkpoints" (retention deletes the oldest past it).</summary>
    public const int Cap = 1_000;

    public static (LogRecord Record, byte[] Request, byte[] Response) Row(long n) => (
        new LogRecord
        {
            Id = "crash-" + n.ToString("D8", CultureInfo.InvariantCulture),
            GatewayId = "crash",
            CreatedAtUnixMs = 1_700_000_000_000 + n,
            Provider = "openai",
            Model = "model-" + n,
            Path = "chat/completions",
            Success = n % 2 == 0,
            StatusCode = 200,
            Duration = (int)(n % 1000),
            TokensIn = (int)n,
            TokensOut = (int)(n * 2),
            Cost = n / 1000.0,
            Metadata = "{\"n\":" + n + "}",
            BodiesKept = true,
        },
        Encoding.UTF8.GetBytes("request " + n),
        Encoding.UTF8.GetBytes("response " + n + new string('x', (int)(n % 300))));

    public static long Number(string id) => long.Parse(id.AsSpan("crash-".Length), CultureInfo.InvariantCulture);
}
