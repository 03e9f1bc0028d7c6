using System.Text;
using Gateway.Fast.LogCrashHost;
using Gateway.Fast.Logging;

// Usage: Gateway.Fast.LogCrashHost <data directory> [checkpoints]
// Appends rows "crash-00000000", "crash-00000001", … as fast as it can on one task, and on another prints each id
// on its own line once a FlushAsync started after its append has completed (the row is committed). Runs until killed.
// With "checkpoints": also deletes every seventh row in batches (printing "deleted <id>" once the tombstone is committed),
// keeps at most CrashRows.Cap rows (retention deletes the oldest, and truncates the log past them), and takes checkpoints
// back to back, so the kill lands before, during or after one.
if (args.Length is not (1 or 2) || (args.Length == 2 && args[1] != "checkpoints"))
{
    Console.Error.WriteLine("usage: Gateway.Fast.LogCrashHost <data directory> [checkpoints]");
    return 2;
}

var checkpoints = args.Length == 2;
var store = FasterLogStore.Open(args[0], new FasterLogStoreOptions
{
    CommitIntervalMs = 2,
    PageSizeBits = 16,
    MemorySizeBits = 20,
    SegmentSizeBits = 20,
    IndexSizeBits = 16,
    IndexMemorySizeBits = 20,
    DefaultMaxRowsPerGateway = checkpoints ? CrashRows.Cap : FasterLogStoreOptions.DefaultRowCap,
});

long appended = -1;
var output = new object();
var producer = Task.Run(async () =>
{
    for (long n = 0; ; n++)
    {
        var (record, request, response) = CrashRows.Row(n);
        await store.AppendAsync(new LogEntry(record, request, response), CancellationToken.None);
        Volatile.Write(ref appended, n);
        if (checkpoints && n % 140 == 139)
        {
            var doomed = new List<string>();
            for (var d = n - 139; d <= n; d += 7)
            {
                doomed.Add(CrashRows.Row(d).Record.Id);
            }

            await store.DeleteAsync(doomed); // completes once the tombstones are committed
            var lines = new StringBuilder();
            foreach (var id in doomed)
            {
                lines.Append("deleted ").Append(id).Append('\n');
            }

            lock (output)
            {
                Console.Out.Write(lines.ToString());
                Console.Out.Flush();
            }
        }
    }
});

var checkpointer = checkpoints
    ? Task.Run(async () =>
    {
        while (true)
        {
            await store.CheckpointAsync();
            await Task.Delay(5); // pacing: a checkpoint refused (a compaction running) returns at once
        }
    })
    : Task.CompletedTask;

var printed = -1L;
while (!producer.IsCompleted && !checkpointer.IsFaulted)
{
    var last = Volatile.Read(ref appended);
    await store.FlushAsync(CancellationToken.None);
    var lines = new StringBuilder();
    for (var n = printed + 1; n <= last; n++)
    {
        lines.Append("crash-").Append(n.ToString("D8")).Append('\n');
    }

    lock (output)
    {
        Console.Out.Write(lines.ToString());
        Console.Out.Flush();
    }

    printed = last;
}

await Task.WhenAll(producer, checkpointer); // surfaces the exception
return 1;
