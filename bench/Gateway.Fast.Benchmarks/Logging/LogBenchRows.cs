using System.Text;
using Gateway.Fast.Logging;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Benchmarks.Logging;

/// <summary>What one logged chat completion carries: the request and response bodies loadtests/ sends, and store sizes.</summary>
internal static class LogBenchRows
{
    public const long CreatedAt = 1_700_000_000_000;

    public static readonly byte[] RequestBody = Encoding.UTF8.GetBytes(
        """{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say hello in one short sentence, please."}],"max_tokens":32}""");

    public static readonly byte[] ResponseBody = Encoding.UTF8.GetBytes(
        """{"id":"chatcmpl-0123456789","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"Hello there, nice to meet you today!"},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":27,"completion_tokens":9,"total_tokens":36},"system_fingerprint":"fp_0123456789"}""");

    /// <summary>The <c>model</c> value's range inside <see cref="RequestBody"/>, as the body peek finds it.</summary>
    public static readonly Range Model = ModelRange();

    public static string NewDirectory() => Path.Combine(Path.GetTempPath(), "gwfast-bench-logs-" + Guid.NewGuid().ToString("N"));

    public static FasterLogStoreOptions Options(int? maxRows) => new()
    {
        QueueCapacity = 16_384,
        PageSizeBits = 22,
        MemorySizeBits = 24,
        SegmentSizeBits = 26,
        Retention = maxRows is null ? null : _ => new LogRetention(maxRows, DeleteOldest: true),
    };

    /// <summary>What a chat completion's answer carries through the gateway: the provider's headers and the gateway's own
    /// (a new dictionary each call: a benchmark may change its own).</summary>
    public static HeaderDictionary ResponseHeaders() => new()
    {
        ["Content-Type"] = "application/json",
        ["x-request-id"] = "req_6f1c2b9e0a",
        ["openai-processing-ms"] = "412",
        ["x-ratelimit-remaining-tokens"] = "149999",
        ["cf-aig-log-id"] = "01JEXAMPLE000000000000000",
        ["cf-aig-request-id"] = "01JEXAMPLE000000000000000",
        ["cf-aig-cache-status"] = "MISS",
    };

    /// <summary>The row fields of one logged chat completion (what the record stage builds for <see cref="RequestBody"/>).</summary>
    public static LogRowFields Fields(string id, long createdAt, bool bodies) => new()
    {
        Id = id,
        GatewayId = "bench",
        CreatedAtUnixMs = createdAt,
        Provider = "openai",
        Model = LogModelNames.Get(RequestBody.AsSpan(Model)),
        ModelType = "chat",
        Path = "chat/completions",
        RequestType = "provider",
        Success = true,
        StatusCode = 200,
        Duration = 3,
        TimeToFirstTokenMs = 2,
        TokensIn = 27,
        TokensOut = 9,
        Cost = 0.0000095,
        RequestContentType = "application/json",
        ResponseContentType = "application/json",
        RequestSize = RequestBody.Length,
        ResponseSize = ResponseBody.Length,
        BodiesKept = bodies,
        UserAgent = "wrk",
    };

    /// <summary>What the record stage does for one request (mirrors <c>RecordStage.AppendAsync</c>).</summary>
    public static void Append(FasterLogStore store, string id, long createdAt, bool bodies, BodyCapture response)
    {
        var body = RequestBody;
        var row = Fields(id, createdAt, bodies);
        var encoded = bodies
            ? LogRecordCodec.EncodeCapturedRow(in row, body, response, default)
            : LogRecordCodec.EncodeRow(in row, default, default);
        var pending = store.AppendAsync(encoded, CancellationToken.None);
        if (!pending.IsCompletedSuccessfully)
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Appends <paramref name="rows"/> rows without bodies through the hot path and waits for their commit.</summary>
    public static void Fill(FasterLogStore store, int rows)
    {
        var response = new BodyCapture();
        for (var i = 0; i < rows; i++)
        {
            Append(store, Gateway.Fast.Utilities.Ulid.NewUlid(CreatedAt + i), CreatedAt + i, bodies: false, response);
        }

        store.FlushAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    private static Range ModelRange()
    {
        var start = RequestBody.AsSpan().IndexOf("gpt-4o-mini"u8);
        return start..(start + "gpt-4o-mini".Length);
    }
}
