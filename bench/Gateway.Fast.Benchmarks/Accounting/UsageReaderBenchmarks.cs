using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Gateway.Fast.Accounting;

namespace Gateway.Fast.Benchmarks.Accounting;

/// <summary>
/// <see cref="UsageReader"/> against the naive reader (split each chunk into line strings, <see cref="JsonDocument"/> every
/// <c>data:</c> line). SSE benchmarks report one op per streamed chunk (one event, as providers flush them); the Bedrock
/// one reports one op per whole ConverseStream body.
/// </summary>
[MemoryDiagnoser]
public class UsageReaderBenchmarks
{
    private const int Deltas = 200;
    private byte[][] _openAIChunks = [];
    private byte[][] _anthropicChunks = [];
    private byte[] _bedrock = [];
    private readonly UsageReader _reader = new(UsageWireFormat.OpenAI);

    private static readonly byte[] PlainAnswer = Encoding.UTF8.GetBytes(
        """{"id":"chatcmpl-123","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I help you today? Ask me anything about the weather, the news or your code.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":20,"total_tokens":32,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}},"system_fingerprint":"fp_0123456789"}""");

    [GlobalSetup]
    public void Setup()
    {
        _openAIChunks = OpenAIStream();
        _anthropicChunks = AnthropicStream();
        _bedrock = BedrockStream();
        Check(UsageWireFormat.OpenAI, _openAIChunks, 14, Deltas);
        Check(UsageWireFormat.Anthropic, _anthropicChunks, 377, Deltas);
        Check(UsageWireFormat.BedrockEventStream, [_bedrock], 13, Deltas);
        if (Naive(_openAIChunks) != 14 + Deltas || Naive(_anthropicChunks) != 377 + Deltas || NaiveBedrock(_bedrock) != 13 + Deltas)
        {
            throw new InvalidOperationException("The naive readers disagree with the generated streams.");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Deltas + 4)]
    public int OpenAISseNaive() => Naive(_openAIChunks);

    [Benchmark(OperationsPerInvoke = Deltas + 4)]
    public int OpenAISseChunk() => Read(UsageWireFormat.OpenAI, _openAIChunks);

    [Benchmark(OperationsPerInvoke = Deltas + 6)]
    public int AnthropicSseNaive() => Naive(_anthropicChunks);

    [Benchmark(OperationsPerInvoke = Deltas + 6)]
    public int AnthropicSseChunk() => Read(UsageWireFormat.Anthropic, _anthropicChunks);

    [Benchmark]
    public int BedrockEventStreamNaive() => NaiveBedrock(_bedrock);

    /// <summary>A whole (not streamed) chat completion, as a logged plain request reads it: reset, one body, complete.</summary>
    [Benchmark]
    public int OpenAIPlainAnswer()
    {
        _reader.Reset(UsageWireFormat.OpenAI);
        _reader.Append(PlainAnswer);
        var usage = _reader.Complete();
        return usage.InputTokens + usage.OutputTokens;
    }

    [Benchmark]
    public int BedrockEventStream()
    {
        _reader.Reset(UsageWireFormat.BedrockEventStream);
        _reader.Append(_bedrock);
        var usage = _reader.Complete();
        return usage.InputTokens + usage.OutputTokens;
    }

    private int Read(UsageWireFormat format, byte[][] chunks)
    {
        _reader.Reset(format);
        foreach (byte[] chunk in chunks)
        {
            _reader.Append(chunk);
        }

        var usage = _reader.Complete();
        return usage.InputTokens + usage.OutputTokens;
    }

    private void Check(UsageWireFormat format, byte[][] chunks, int input, int output)
    {
        _reader.Reset(format);
        foreach (byte[] chunk in chunks)
        {
            _reader.Append(chunk);
        }

        var usage = _reader.Complete();
        if (!usage.Found || usage.InputTokens != input || usage.OutputTokens != output)
        {
            throw new InvalidOperationException($"{format}: read {usage}, expected {input}/{output}.");
        }
    }

    /// <summary>What a reader without care does: lines as strings, a DOM per data line, usage looked up in it.</summary>
    private static int Naive(byte[][] chunks)
    {
        int input = 0, output = 0;
        string carry = "";
        foreach (byte[] chunk in chunks)
        {
            string[] lines = (carry + Encoding.UTF8.GetString(chunk)).Split('\n');
            carry = lines[^1];
            for (int i = 0; i < lines.Length - 1; i++)
            {
                string line = lines[i].TrimEnd('\r');
                if (!line.StartsWith("data: ", StringComparison.Ordinal) || line == "data: [DONE]")
                {
                    continue;
                }

                using var doc = JsonDocument.Parse(line[6..]);
                NaiveUsage(doc.RootElement, ref input, ref output);
            }
        }

        return input + output;
    }

    private static void NaiveUsage(JsonElement root, ref int input, ref int output)
    {
        var usage = root.TryGetProperty("usage", out var u) ? u
            : root.TryGetProperty("message", out var m) && m.TryGetProperty("usage", out var mu) ? mu
            : default;
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var p in usage.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.Number)
            {
                continue;
            }

            switch (p.Name)
            {
                case "prompt_tokens" or "input_tokens" or "inputTokens":
                    input = p.Value.GetInt32();
                    break;
                case "completion_tokens" or "output_tokens" or "outputTokens":
                    output = p.Value.GetInt32();
                    break;
            }
        }
    }

    private static int NaiveBedrock(byte[] body)
    {
        int input = 0, output = 0, p = 0;
        while (p + 12 <= body.Length)
        {
            int total = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(p));
            int headers = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(p + 4));
            byte[] payload = body.AsSpan(p + 12 + headers, total - 16 - headers).ToArray();
            using var doc = JsonDocument.Parse(payload);
            NaiveUsage(doc.RootElement, ref input, ref output);
            p += total;
        }

        return input + output;
    }

    private static byte[][] OpenAIStream()
    {
        const string Head = "{\"id\":\"chatcmpl-ABfw031mOJeYCSHe4yI2ZjOA6kMJL\",\"object\":\"chat.completion.chunk\",\"created\":1727346168," +
                            "\"model\":\"gpt-4o-2024-08-06\",\"system_fingerprint\":\"fp_5050236cbd\",\"choices\":[";
        var chunks = new List<string>
        {
            "data: " + Head + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n",
        };
        for (int i = 0; i < Deltas; i++)
        {
            chunks.Add("data: " + Head + "{\"index\":0,\"delta\":{\"content\":\" word" + i + "\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
        }

        chunks.Add("data: " + Head + "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
        chunks.Add("data: " + Head + "],\"usage\":{\"prompt_tokens\":14,\"completion_tokens\":" + Deltas + ",\"total_tokens\":" + (14 + Deltas) +
                   ",\"completion_tokens_details\":{\"reasoning_tokens\":0}}}\n\n");
        chunks.Add("data: [DONE]\n\n");
        return [.. chunks.Select(Encoding.UTF8.GetBytes)];
    }

    private static byte[][] AnthropicStream()
    {
        var chunks = new List<string>
        {
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_019Q1hrJbZG26Fb9BQhrkHEr\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-20250514\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":377,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1,\"service_tier\":\"standard\"}}}\n\n",
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
            "event: ping\ndata: {\"type\": \"ping\"}\n\n",
        };
        for (int i = 0; i < Deltas; i++)
        {
            chunks.Add("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" word" + i + "\"}}\n\n");
        }

        chunks.Add("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
        chunks.Add("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + Deltas + "}}\n\n");
        chunks.Add("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        return [.. chunks.Select(Encoding.UTF8.GetBytes)];
    }

    /// <summary>A ConverseStream body as Bedrock frames it (CRCs left zero: neither reader checks them).</summary>
    private static byte[] BedrockStream()
    {
        var body = new MemoryStream();
        Frame(body, "messageStart", "{\"p\":\"abcdefghij\",\"role\":\"assistant\"}");
        for (int i = 0; i < Deltas; i++)
        {
            Frame(body, "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\" word" + i + "\"},\"p\":\"abcdefghijklmnop\"}");
        }

        Frame(body, "contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abcdefghijklmnopqrstuvwxyzABCDEFGH\"}");
        Frame(body, "messageStop", "{\"p\":\"abcdefghijklmnopqrstuvw\",\"stopReason\":\"end_turn\"}");
        Frame(body, "metadata", "{\"metrics\":{\"latencyMs\":522},\"p\":\"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW\",\"usage\":{\"inputTokens\":13,\"outputTokens\":" +
                                Deltas + ",\"serverToolUsage\":{},\"totalTokens\":" + (13 + Deltas) + "}}");
        return body.ToArray();
    }

    private static void Frame(Stream body, string eventType, string json)
    {
        var headers = new MemoryStream();
        Header(headers, ":event-type", eventType);
        Header(headers, ":content-type", "application/json");
        Header(headers, ":message-type", "event");
        byte[] payload = Encoding.UTF8.GetBytes(json);
        Span<byte> prelude = stackalloc byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(prelude, (uint)(16 + headers.Length + payload.Length));
        BinaryPrimitives.WriteUInt32BigEndian(prelude[4..], (uint)headers.Length);
        body.Write(prelude);
        body.Write(headers.ToArray());
        body.Write(payload);
        body.Write(stackalloc byte[4]);
    }

    private static void Header(Stream headers, string name, string value)
    {
        headers.WriteByte((byte)name.Length);
        headers.Write(Encoding.ASCII.GetBytes(name));
        headers.WriteByte(7);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)value.Length);
        headers.Write(length);
        headers.Write(Encoding.ASCII.GetBytes(value));
    }
}
