using System.Text;
using Gateway.Fast.Logging;

namespace Gateway.Fast.Tests.Logging;

/// <summary>Small store sizes and rows for the log store tests.</summary>
internal static class LogStoreTestRows
{
    public static FasterLogStoreOptions Options(
        int queueCapacity = 1024,
        Func<string, LogRetention>? retention = null,
        TimeSpan? maxAge = null,
        Func<ValueTask>? gate = null,
        bool checkpointOnClose = true,
        bool recoverCheckpoint = true) => new()
    {
        QueueCapacity = queueCapacity,
        CommitIntervalMs = 5,
        PageSizeBits = 16,
        MemorySizeBits = 18,
        SegmentSizeBits = 16,
        IndexSizeBits = 14,
        IndexMemorySizeBits = 18,
        Retention = retention,
        MaxAge = maxAge,
        WriterGate = gate,
        CheckpointOnClose = checkpointOnClose,
        RecoverCheckpoint = recoverCheckpoint,
    };

    public static LogRecord Row(string gatewayId, int n, long createdAtUnixMs = 1_700_000_000_000) => new()
    {
        Id = $"{gatewayId}-{n:D6}",
        GatewayId = gatewayId,
        CreatedAtUnixMs = createdAtUnixMs,
        Provider = "openai",
        Model = "gpt-4o-mini",
        ModelType = "chat",
        Path = "chat/completions",
        RequestType = "provider",
        Success = true,
        StatusCode = 200,
        Duration = 120 + n,
        TimeToFirstTokenMs = 40,
        TokensIn = 10 + n,
        TokensOut = 20,
        TokensEstimated = true,
        Cost = 0.0012,
        Metadata = """{"user":"ü"}""",
        EventId = "evt-" + n,
        RequestContentType = "application/json",
        ResponseContentType = "text/event-stream",
        RequestSize = 300,
        ResponseSize = 900,
        BodiesKept = true,
        UserAgent = "tests",
    };

    public static LogEntry Entry(LogRecord record, string request = "{\"q\":1}", string response = "data: ok\n\n")
        => new(record, Encoding.UTF8.GetBytes(request), Encoding.UTF8.GetBytes(response));
}
