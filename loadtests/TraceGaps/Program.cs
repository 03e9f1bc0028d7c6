// Says what each process was doing when a stream went silent: reads the stream gaps StreamClient recorded (--gaps-file) and
// one EventPipe trace per process (dotnet-trace, GC + thread-pool + contention events, and the gateway's own background-work
// log lines), then prints each process's GC pauses and, for the largest gaps, which pauses, thread-pool starvation, lock
// waits and background work overlapped them. A gap that no event explains points at the CPU itself (other processes).
using System.Globalization;
using TraceGaps;

if (args.Length < 2 || args[0] != "--gaps")
{
    Console.Error.WriteLine("TraceGaps --gaps GAPS.csv [--min-gap-ms MS] [--top N] LABEL=TRACE.nettrace...");
    return 2;
}

string gapsPath = args[1];
double minGapMs = 100;
int top = 10;
var traces = new List<ProcessTrace>();
for (int i = 2; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--min-gap-ms": minGapMs = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--top": top = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default:
            int eq = args[i].IndexOf('=');
            if (eq <= 0)
            {
                Console.Error.WriteLine($"want LABEL=TRACE, got {args[i]}");
                return 2;
            }

            var path = args[i][(eq + 1)..];
            if (File.Exists(path))
            {
                traces.Add(ProcessTrace.Read(args[i][..eq], path));
            }
            else
            {
                Console.Error.WriteLine($"no trace at {path}; skipped");
            }

            break;
    }
}

var gaps = GapMoment.ReadGaps(gapsPath).Where(g => g.Ms >= minGapMs).ToList();
Report.Print(traces, GapMoment.Group(gaps), gaps.Count, minGapMs, top);
return 0;
