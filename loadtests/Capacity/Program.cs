// The capacity report (loadtests/capacity.sh drives it): a concurrency sweep, open-loop latency steps and CPU per request for
// each target the script started, streams held at scale with the target's memory, then loadtests/report/ with README.md,
// PNG charts and capacity.json. `report --from capacity.json` redraws a report from a saved run without any load.
using System.Diagnostics;
using System.Text.Json;
using Capacity;
using Capacity.Load;
using Capacity.Model;
using Capacity.Report;

if (!CapacityOptions.TryParse(args, out var options, out string error))
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(CapacityOptions.Usage);
    return 2;
}

if (options.Command == "report")
{
    var saved = RunJson.Deserialize(File.ReadAllText(options.FromFile!));
    ReportWriter.Write(saved, options.OutFolder);
    Console.Error.WriteLine($"report written to {options.OutFolder}");
    return 0;
}

var plan = options.Quick ? Plan.Quick : Plan.Full;
var targets = JsonSerializer.Deserialize<List<Target>>(File.ReadAllText(options.TargetsFile!), RunJson.Options) ?? [];
var started = Stopwatch.StartNew();
void Log(string line) => Console.Error.WriteLine($"[capacity {started.Elapsed:mm\\:ss}] {line}");

int[] streamLevels = options.StreamLevels ?? plan.StreamLevels;
double holdSeconds = options.StreamHoldSeconds ?? plan.StreamHoldSeconds;
var run = new CapacityRun
{
    Mode = plan.Mode,
    Timestamp = DateTimeOffset.UtcNow,
    Machine = MachineProbe.Describe(options.Commit),
    Settings = new RunSettings
    {
        Concurrency = plan.Concurrency,
        ClosedStepSeconds = plan.ClosedStepSeconds,
        OpenFractions = plan.OpenFractions,
        OpenStepSeconds = plan.OpenStepSeconds,
        TtfbConcurrency = plan.TtfbConcurrency,
        TtfbStepSeconds = plan.TtfbStepSeconds,
        HeadToHeadRounds = plan.HeadToHeadRounds,
        HeadToHeadStepSeconds = plan.HeadToHeadStepSeconds,
        StreamLevels = streamLevels,
        StreamGapMs = options.StreamGapMs,
        StreamOpenRate = options.StreamOpenRate,
        StreamHoldSeconds = holdSeconds,
        FreshProcessPerStreamLevel = options.RestartCommand is not null,
        Command = options.CommandLine,
    },
};

var sweep = new Sweep(plan, Log);
foreach (var target in targets.Where(t => !options.StreamsOnly && (options.Only is null || options.Only.Contains(t.Name))))
{
    try
    {
        run.Targets.Add(await sweep.RunAsync(target));
    }
    catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException)
    {
        run.Notes.Add($"{target.Name} skipped: {ex.GetType().Name}: {ex.Message}");
        Log(run.Notes[^1]);
    }
}

// After every sweep, so each target is as warm as a long-running one; a target whose sweep was skipped is left out.
var rivals = targets.Where(t => t.HeadToHead && run.Targets.Any(r => r.Name == t.Name)).ToList();
if (rivals.Count > 1)
{
    try
    {
        run.HeadToHead.AddRange(await new HeadToHead(plan, Sweep.MaxConnections, Log).RunAsync(rivals));
    }
    catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException)
    {
        run.Notes.Add($"head-to-head rounds stopped: {ex.GetType().Name}: {ex.Message}");
        Log(run.Notes[^1]);
    }
}

var streamTargets = targets.Where(t => t.Streams && (options.Only is null || options.Only.Contains(t.Name))).ToList();
var restarted = new Dictionary<string, int>(); // process name -> pid of its latest start
foreach (var target in streamTargets)
{
    var result = new StreamScaleResult { Target = target.Name, Process = target.Process };
    var runner = new StreamScaleRunner(target, options.StreamGapMs, options.StreamOpenRate, holdSeconds);
    try
    {
        foreach (int streams in streamLevels)
        {
            if (options.RestartCommand is { } restart)
            {
                await ProcessRestart.RunAsync(restart, restarted);
                runner.UseRestarted(restarted);
                Log($"{target.Name} streams {streams}: started afresh ({string.Join(", ", restarted.Select(static p => $"{p.Key} {p.Value}"))})");
            }

            var level = await runner.RunLevelAsync(streams);
            result.Levels.Add(level);
            Log($"{target.Name} streams {streams}: {level.Complete} complete, {level.Failed} failed, max stall {level.MaxStallMs} ms, " +
                $"RSS {level.RssBeforeMib} -> {level.RssHeldMib} MiB (peak {level.RssPeakMib}), {level.KibPerStream} KiB/stream, " +
                $"managed heap {level.HeapBeforeMib} -> {level.HeapHeldMib} MiB ({level.HeapKibPerStream} KiB/stream)");
            if (level.Failed > streams / 2)
            {
                run.Notes.Add($"{target.Name}: more than half of {streams} streams failed; larger levels not tried");
                break;
            }
        }
    }
    catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException)
    {
        run.Notes.Add($"{target.Name} streams stopped: {ex.GetType().Name}: {ex.Message}");
        Log(run.Notes[^1]);
    }

    run.Streams.Add(result);
}

run.Ceilings.AddRange(CeilingProbe.Describe(streamTargets.DistinctBy(static t => t.Process)
    .Select(t => (t.Process, restarted.GetValueOrDefault(t.Process, t.Pid), t.DescriptorsPerStream ?? (t.Process == "simulator" ? 1 : 2)))));
ReportWriter.Write(run, options.OutFolder);
Log($"report written to {options.OutFolder} ({started.Elapsed.TotalSeconds:F0} s)");
return 0;
