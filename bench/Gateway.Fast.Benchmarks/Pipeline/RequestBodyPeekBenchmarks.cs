using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Gateway.Fast.Pipeline;

namespace Gateway.Fast.Benchmarks.Pipeline;

/// <summary><see cref="RequestBodyPeek.TryPeek"/> against a <see cref="JsonDocument"/> parse; one op is one request body.</summary>
/// <remarks>
/// Bodies put <c>model</c> and <c>stream</c> after <c>messages</c>, as the OpenAI and Anthropic SDKs serialise them,
/// so the peek has to skip the whole conversation: its worst case.
/// </remarks>
[MemoryDiagnoser]
public class RequestBodyPeekBenchmarks
{
    private byte[] _body = [];

    /// <summary>Approximate body size in bytes: a one-turn chat, a few turns, a long conversation.</summary>
    [Params(300, 4 * 1024, 64 * 1024)]
    public int BodyBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _body = ChatBody(BodyBytes);
        if (!RequestBodyPeek.TryPeek(_body, out var model, out bool stream) || !stream
            || !_body.AsSpan(model).SequenceEqual("gpt-4o-mini"u8))
        {
            throw new InvalidOperationException("The generated body does not peek as expected.");
        }
    }

    [Benchmark(Baseline = true)]
    public int JsonDocumentParse()
    {
        using var doc = JsonDocument.Parse(_body);
        var root = doc.RootElement;
        string? model = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        bool stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        return (model?.Length ?? 0) + (stream ? 1 : 0);
    }

    [Benchmark]
    public int TryPeek()
    {
        RequestBodyPeek.TryPeek(_body, out var model, out bool stream);
        return model.End.Value + (stream ? 1 : 0);
    }

    /// <summary>A chat completion body of about <paramref name="size"/> bytes: system prompt, alternating turns, then model and stream.</summary>
    internal static byte[] ChatBody(int size)
    {
        const string Tail = "],\"model\":\"gpt-4o-mini\",\"temperature\":0.7,\"max_tokens\":512,\"stream\":true}";
        var sb = new StringBuilder(size + 256);
        sb.Append("{\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful assistant. Answer briefly.\"}");
        var rng = new Random(42);
        int turn = 0;
        while (sb.Length + Tail.Length < size)
        {
            string role = turn++ % 2 == 0 ? "user" : "assistant";
            int room = size - sb.Length - Tail.Length - 40;
            int len = Math.Clamp(room, 8, 600);
            sb.Append(",{\"role\":\"").Append(role).Append("\",\"content\":\"");
            for (int i = 0; i < len; i++)
            {
                // Words with the odd escaped quote and newline, as real prompts have.
                int r = rng.Next(40);
                sb.Append(r switch { 0 => "\\n", 1 => "\\\"", < 8 => " ", _ => (char)('a' + (r % 26)) });
            }

            sb.Append("\"}");
        }

        sb.Append(Tail);
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
