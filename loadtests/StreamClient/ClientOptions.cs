namespace StreamClient;

/// <summary>The command line, parsed once. Unknown flags are errors, so a typo in run.sh fails loudly.</summary>
internal sealed class ClientOptions
{
    public const string Usage =
        "StreamClient --url URL [--concurrency C] [--requests N | --duration-s S] [--body FILE] [--header k:v]...\n" +
        "             [--plain] [--warmup N] [--warmup-s S] [--label NAME] [--timeout-s S] [--end-marker TEXT]\n" +
        "             [--gaps-file FILE [--gap-threshold-ms MS]]";

    public Uri Url { get; private set; } = null!;
    public int Concurrency { get; private set; } = 1;
    public long Requests { get; private set; }
    public double DurationSeconds { get; private set; }
    public string? BodyFile { get; private set; }
    public List<KeyValuePair<string, string>> Headers { get; } = [];
    public bool Plain { get; private set; }
    public int WarmupRequests { get; private set; } = -1;
    public double WarmupSeconds { get; private set; }
    public string Label { get; private set; } = "";
    public double TimeoutSeconds { get; private set; } = 30;

    /// <summary>Where to write every gap between two events of a stream of at least <see cref="GapThresholdMs"/>, one
    /// <c>end_unix_ms,gap_ms</c> line each, so a trace of the gateway can say what happened at that moment.</summary>
    public string? GapsFile { get; private set; }

    public double GapThresholdMs { get; private set; } = 50;

    /// <summary>What a whole stream ends with (in its last 32 bytes): OpenAI's <c>data: [DONE]</c>, or e.g. Anthropic's <c>message_stop</c>.</summary>
    public string EndMarker { get; private set; } = "data: [DONE]";

    public static bool TryParse(string[] args, out ClientOptions options, out string error)
    {
        options = new ClientOptions();
        error = "";
        for (int i = 0; i < args.Length; i++)
        {
            string flag = args[i];
            if (flag == "--plain")
            {
                options.Plain = true;
                continue;
            }

            if (i + 1 >= args.Length)
            {
                error = $"{flag} needs a value";
                return false;
            }

            string value = args[++i];
            switch (flag)
            {
                case "--url":
                    if (!Uri.TryCreate(value, UriKind.Absolute, out var url))
                    {
                        error = $"bad --url {value}";
                        return false;
                    }

                    options.Url = url;
                    break;
                case "--concurrency": options.Concurrency = int.Parse(value); break;
                case "--requests": options.Requests = long.Parse(value); break;
                case "--duration-s": options.DurationSeconds = double.Parse(value); break;
                case "--body": options.BodyFile = value; break;
                case "--warmup": options.WarmupRequests = int.Parse(value); break;
                case "--warmup-s": options.WarmupSeconds = double.Parse(value); break;
                case "--label": options.Label = value; break;
                case "--timeout-s": options.TimeoutSeconds = double.Parse(value); break;
                case "--end-marker": options.EndMarker = value; break;
                case "--gaps-file": options.GapsFile = value; break;
                case "--gap-threshold-ms": options.GapThresholdMs = double.Parse(value); break;
                case "--header":
                    int colon = value.IndexOf(':');
                    if (colon <= 0)
                    {
                        error = $"bad --header {value} (want name:value)";
                        return false;
                    }

                    options.Headers.Add(new(value[..colon].Trim(), value[(colon + 1)..].Trim()));
                    break;
                default:
                    error = $"unknown flag {flag}";
                    return false;
            }
        }

        if (options.Url is null)
        {
            error = "--url is required";
            return false;
        }

        if (options.Concurrency < 1)
        {
            error = "--concurrency must be at least 1";
            return false;
        }

        if (options.Requests <= 0 && options.DurationSeconds <= 0)
        {
            error = "give --requests N or --duration-s S";
            return false;
        }

        if (options.WarmupRequests < 0)
        {
            // Enough to tier up the JIT on every side and open all C connections.
            options.WarmupRequests = options.WarmupSeconds > 0 ? 0 : Math.Max(200, options.Concurrency * 4);
        }

        return true;
    }
}
