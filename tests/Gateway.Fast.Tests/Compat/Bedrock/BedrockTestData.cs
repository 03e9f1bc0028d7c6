using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Fast.Compat;
using Gateway.Fast.Compat.Bedrock;
using Gateway.Fast.Tests.Simulator;

namespace Gateway.Fast.Tests.Compat.Bedrock;

/// <summary>Shared steps of the Bedrock translator tests: translate a request, run a stream in given splits, read cassettes, build frames.</summary>
internal static class BedrockTestData
{
    public static readonly CompatResponseInfo Info = new("chatcmpl-test", "aws-bedrock/amazon.nova-pro-v1:0", 1_700_000_000, IncludeUsage: false);

    public static (string? Error, string Path, JsonNode? Body) Translate(string openAiJson, string? model = null)
    {
        using var doc = JsonDocument.Parse(openAiJson);
        var root = doc.RootElement;
        bool stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        model ??= root.GetProperty("model").GetString()!;
        var body = new ArrayBufferWriter<byte>();
        string? error = new BedrockConverseTranslator().WriteRequest(new CompatChatRequest(root, model, stream, false), body, out string path);
        return (error, path, error is null ? JsonNode.Parse(body.WrittenSpan) : null);
    }

    /// <summary>Feeds <paramref name="wire"/> in pieces of the sizes <paramref name="nextSize"/> gives, then completes; returns the SSE text.</summary>
    public static string RunStream(byte[] wire, Func<int> nextSize, CompatResponseInfo? info = null)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var stream = new BedrockConverseTranslator().CreateStream(info ?? Info))
        {
            int at = 0;
            while (at < wire.Length)
            {
                int n = Math.Min(Math.Max(1, nextSize()), wire.Length - at);
                stream.Write(wire.AsSpan(at, n), output);
                at += n;
            }

            stream.Complete(output);
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    public static string RunWhole(byte[] wire, CompatResponseInfo? info = null) => RunStream(wire, () => int.MaxValue, info);

    /// <summary>The <c>data:</c> payloads of an SSE text, in order.</summary>
    public static List<string> DataEvents(string sse)
    {
        var events = new List<string>();
        foreach (string block in sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.StartsWith("data: ", block, StringComparison.Ordinal);
            events.Add(block["data: ".Length..]);
        }

        return events;
    }

    /// <summary>Every <c>!!binary</c> response body of a VCR cassette, in order, base64-decoded.</summary>
    public static List<byte[]> CassetteBinaryBodies(string relative)
    {
        string[] lines = File.ReadAllLines(Path.Combine(FixtureFiles.Root, relative));
        var bodies = new List<byte[]>();
        for (int start = 0; start < lines.Length; start++)
        {
            if (!lines[start].TrimStart().StartsWith("string: !!binary |", StringComparison.Ordinal))
            {
                continue;
            }

            int indent = lines[start + 1].Length - lines[start + 1].TrimStart().Length;
            var base64 = new StringBuilder();
            for (int i = start + 1; i < lines.Length && lines[i].Trim().Length > 0 && lines[i].Length - lines[i].TrimStart().Length >= indent; i++)
            {
                base64.Append(lines[i].Trim());
            }

            bodies.Add(Convert.FromBase64String(base64.ToString()));
        }

        return bodies;
    }

    /// <summary>One event-stream frame with string headers, both CRCs computed.</summary>
    public static byte[] Frame(string payload, params (string Name, string Value)[] headers)
    {
        var h = new List<byte>();
        foreach (var (name, value) in headers)
        {
            h.Add((byte)name.Length);
            h.AddRange(Encoding.UTF8.GetBytes(name));
            h.Add(7);
            byte[] v = Encoding.UTF8.GetBytes(value);
            h.Add((byte)(v.Length >> 8));
            h.Add((byte)v.Length);
            h.AddRange(v);
        }

        byte[] p = Encoding.UTF8.GetBytes(payload);
        int total = 12 + h.Count + p.Length + 4;
        var frame = new byte[total];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)total);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)h.Count);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), EventStreamCrc32.Compute(frame.AsSpan(0, 8)));
        h.CopyTo(frame, 12);
        p.CopyTo(frame, 12 + h.Count);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(total - 4), EventStreamCrc32.Compute(frame.AsSpan(0, total - 4)));
        return frame;
    }

    public static byte[] Event(string eventType, string payload)
        => Frame(payload, (":event-type", eventType), (":content-type", "application/json"), (":message-type", "event"));
}
