namespace StreamClient;

/// <summary>All workers' samples of one phase, with each timing sorted separately for percentiles.</summary>
internal sealed class PhaseResult
{
    public required long[] Headers { get; init; }
    public required long[] FirstByte { get; init; }
    public required long[] LastByte { get; init; }
    public required long Errors { get; init; }
    public required long Events { get; init; }
    public required long MaxEventGapTicks { get; init; }
    public required long ElapsedTicks { get; init; }

    /// <summary>Every worker's recorded gaps, in the order they ended.</summary>
    public required EventGap[] Gaps { get; init; }

    public static PhaseResult Merge(WorkerResult[] workers, long elapsedTicks)
    {
        int total = 0;
        long errors = 0;
        long events = 0;
        long maxGap = 0;
        foreach (var worker in workers)
        {
            total += worker.Samples.Count;
            errors += worker.Errors;
            events += worker.Events;
            maxGap = Math.Max(maxGap, worker.MaxEventGapTicks);
        }

        var headers = new long[total];
        var firstByte = new long[total];
        var lastByte = new long[total];
        int i = 0;
        foreach (var worker in workers)
        {
            foreach (var sample in worker.Samples)
            {
                headers[i] = sample.Headers;
                firstByte[i] = sample.FirstByte;
                lastByte[i] = sample.LastByte;
                i++;
            }
        }

        Array.Sort(headers);
        Array.Sort(firstByte);
        Array.Sort(lastByte);
        return new PhaseResult
        {
            Headers = headers,
            FirstByte = firstByte,
            LastByte = lastByte,
            Errors = errors,
            Events = events,
            MaxEventGapTicks = maxGap,
            ElapsedTicks = elapsedTicks,
            Gaps = workers.SelectMany(w => w.Gaps).OrderBy(g => g.EndUnixMs).ToArray(),
        };
    }
}
