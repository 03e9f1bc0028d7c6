using System.Globalization;

namespace Capacity;

/// <summary>The command line: <c>run --targets FILE --out DIR [--quick] ...</c> or <c>report --from FILE --out DIR</c>.</summary>
internal sealed class CapacityOptions
{
    public const string Usage = """
        usage: Capacity run --targets targets.json --out DIR [--quick] [--commit SHA] [--command TEXT]
                            [--stream-gap-ms 100] [--stream-open-rate 2000] [--stream-levels 1000,5000] [--only NAME,NAME]
                            [--streams-only] [--stream-hold-seconds 3] [--restart-command CMD]
               Capacity report --from capacity.json --out DIR
        """;

    public required string Command { get; init; }

    public required string OutFolder { get; init; }

    public string? TargetsFile { get; init; }

    public string? FromFile { get; init; }

    public bool Quick { get; init; }

    public string Commit { get; init; } = "unknown";

    public string CommandLine { get; init; } = "loadtests/capacity.sh";

    /// <summary>The simulator's gap between stream events; 1000 / gap must be whole (x-sim-tokens-per-second).</summary>
    /// <remarks>
    /// 100 ms by default: at 10 ms, 10,000 streams are a million events a second, several cores' work for the simulator
    /// alone (a full run on 2 cores saw the simulator by itself miss its pace from 2,500 streams), so the scenario would
    /// measure the machine's event rate rather than what holding a stream costs the gateway.
    /// </remarks>
    public int StreamGapMs { get; init; } = DefaultStreamGapMs;

    public const int DefaultStreamGapMs = 100;

    public int StreamOpenRate { get; init; } = 2000;

    public int[]? StreamLevels { get; init; }

    /// <summary>Skip the sweeps (closed loop, open loop, time to first byte): only the streams-at-scale scenario.</summary>
    public bool StreamsOnly { get; init; }

    /// <summary>Overrides the plan's hold time of a stream level.</summary>
    public double? StreamHoldSeconds { get; init; }

    /// <summary>
    /// A shell command run before each stream level that starts the servers afresh and prints one <c>process=pid</c> line
    /// for each process it started, so every level starts from a new process rather than the last level's leftovers.
    /// </summary>
    public string? RestartCommand { get; init; }

    /// <summary>Measure only these targets (by name); null = all.</summary>
    public string[]? Only { get; init; }

    public static bool TryParse(string[] args, out CapacityOptions options, out string error)
    {
        options = null!;
        error = "";
        if (args.Length == 0 || args[0] is not ("run" or "report"))
        {
            error = "first argument must be 'run' or 'report'";
            return false;
        }

        var values = new Dictionary<string, string>();
        bool quick = false;
        bool streamsOnly = false;
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] == "--quick")
            {
                quick = true;
            }
            else if (args[i] == "--streams-only")
            {
                streamsOnly = true;
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                values[args[i][2..]] = args[++i];
            }
            else
            {
                error = $"unexpected argument '{args[i]}'";
                return false;
            }
        }

        if (!values.TryGetValue("out", out string? outFolder))
        {
            error = "--out is required";
            return false;
        }

        int gap = values.TryGetValue("stream-gap-ms", out string? g) ? int.Parse(g) : DefaultStreamGapMs;
        if (gap <= 0 || 1000 % gap != 0)
        {
            error = "--stream-gap-ms must divide 1000 (the simulator paces in whole tokens per second)";
            return false;
        }

        options = new CapacityOptions
        {
            Command = args[0],
            OutFolder = outFolder,
            TargetsFile = values.GetValueOrDefault("targets"),
            FromFile = values.GetValueOrDefault("from"),
            Quick = quick,
            Commit = values.GetValueOrDefault("commit") ?? "unknown",
            CommandLine = values.GetValueOrDefault("command") ?? (quick ? "loadtests/capacity.sh --quick" : "loadtests/capacity.sh"),
            StreamGapMs = gap,
            StreamOpenRate = values.TryGetValue("stream-open-rate", out string? rate) ? int.Parse(rate) : 2000,
            StreamLevels = values.TryGetValue("stream-levels", out string? levels) ? levels.Split(',').Select(int.Parse).ToArray() : null,
            Only = values.TryGetValue("only", out string? only) ? only.Split(',') : null,
            StreamsOnly = streamsOnly,
            StreamHoldSeconds = values.TryGetValue("stream-hold-seconds", out string? hold) ? double.Parse(hold, CultureInfo.InvariantCulture) : null,
            RestartCommand = values.GetValueOrDefault("restart-command"),
        };

        if (options.Command == "run" && options.TargetsFile is null)
        {
            error = "run needs --targets";
            return false;
        }

        if (options.Command == "report" && options.FromFile is null)
        {
            error = "report needs --from";
            return false;
        }

        return true;
    }
}
