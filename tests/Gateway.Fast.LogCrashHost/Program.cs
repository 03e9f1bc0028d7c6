using System.Text;
using Gateway.Fast.LogCrashHost;
using Gateway.Fast.Logging;

// Usage: Gateway.Fast.LogCrashHost <data directory>
// Appends rows "crash-00000000", "crash-00000001", … as fast as it can on one task, and on another prints each id
// on its own line once a FlushAsync started after its append has completed (the row is committed). Runs until killed.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Gateway.Fast.LogCrashHost <data directory>");
    return 2;
}

var store = FasterLogStore.Open(args[0], new FasterLogStoreOptions
{
    CommitIntervalMs = 2,
    PageSizeBits = 16,
    MemorySizeBits = 20,
    SegmentSizeBits = 20,
    IndexSizeBits = 16,
    IndexMemorySizeBits = 20,
});

long appended = -1;
var producer = Task.Run(async () =>
{
    for (long n = 0; ; n++)
    {
        var (record, request, response) = CrashRows.Row(n);
        await store.AppendAsync(new LogEntry(record, request, response), CancellationToken.None);
        Volatile.Write(ref appended, n);
    }
});

var printed = -1L;
while (!producer.IsCompleted)
{
    var last = Volatile.Read(ref appended);
    await store.FlushAsync(CancellationToken.None);
    var lines = new StringBuilder();
    for (var n = printed + 1; n <= last; n++)
    {
        lines.Append("crash-").Append(n.ToString("D8")).Append('\n');
    }

    Console.Out.Write(lines.ToString());
    Console.Out.Flush();
    printed = last;
}

await producer; // surfaces the producer's exception
return 1;
