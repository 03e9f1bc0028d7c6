using System.Text;
using Gateway.Fast.Pipeline;

namespace Gateway.Fast.Tests.Hardening;

/// <summary>Seeded fuzzing of <see cref="RequestBodyPeek.TryPeek"/>: random, truncated and mutated JSON never throws and never points outside the body.</summary>
public sealed class RequestBodyPeekFuzzTests
{
    private const int Cases = 20_000;

    private static readonly string[] Strings = ["gpt-4o-mini", "claude-3-5-sonnet", "@cf/meta/llama", "", "é😀", "a\\\"b", "\\u0041", "x\\ny"];

    /// <summary>Appends a random JSON value, nested <paramref name="depth"/> levels at most.</summary>
    private static void Value(Random rng, StringBuilder sb, int depth)
    {
        switch (depth <= 0 ? rng.Next(5) : rng.Next(7))
        {
            case 0: sb.Append('"').Append(Strings[rng.Next(Strings.Length)]).Append('"'); break;
            case 1: sb.Append(rng.Next(-1000, 1000)); break;
            case 2: sb.Append(rng.Next(2) == 0 ? "true" : "false"); break;
            case 3: sb.Append("null"); break;
            case 4: sb.Append(rng.NextDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture)); break;
            case 5:
                sb.Append('[');
                for (int i = 0, n = rng.Next(4); i < n; i++)
                {
                    if (i > 0) sb.Append(',');
                    Value(rng, sb, depth - 1);
                }

                sb.Append(']');
                break;
            default:
                Object(rng, sb, depth - 1, out _);
                break;
        }
    }

    private static void Object(Random rng, StringBuilder sb, int depth, out string? model)
    {
        model = null;
        // Each name once per object: with duplicate keys "which model" is a parser's choice, not the peek's contract.
        string[] names = ["model", "stream", "messages", "input", "Model", "options", "mode"];
        rng.Shuffle(names);
        sb.Append('{');
        for (int i = 0, n = rng.Next(6); i < n; i++)
        {
            if (i > 0) sb.Append(',');
            string name = names[i];
            sb.Append('"').Append(name).Append("\":");
            if (name == "model" && rng.Next(2) == 0)
            {
                string m = Strings[rng.Next(3)];
                sb.Append('"').Append(m).Append('"');
                model = m; // a later "model" overwrites, as in the peek
            }
            else
            {
                Value(rng, sb, depth);
            }
        }

        sb.Append('}');
    }

    private static void AssertModelInside(byte[] body, int length, Range model)
    {
        var (offset, count) = model.GetOffsetAndLength(length);
        Assert.True(offset >= 0 && offset + count <= length);
        if (count > 0)
        {
            Assert.Equal((byte)'"', body[offset - 1]);
            Assert.Equal((byte)'"', body[offset + count]);
            Assert.DoesNotContain((byte)'\\', body.AsSpan(offset, count).ToArray());
        }
    }

    [Fact]
    public void GeneratedBodies_PeekTheirTopLevelModel()
    {
        var rng = new Random(7_0101);
        var sb = new StringBuilder();
        int withModel = 0;
        for (int i = 0; i < Cases; i++)
        {
            sb.Clear();
            Object(rng, sb, depth: 4, out string? model);
            var body = Encoding.UTF8.GetBytes(sb.ToString());
            Assert.True(RequestBodyPeek.TryPeek(body, out var range, out _), sb.ToString());
            AssertModelInside(body, body.Length, range);
            if (model is not null)
            {
                withModel++;
                Assert.Equal(model, Encoding.UTF8.GetString(body.AsSpan()[range]));
            }
        }

        Assert.True(withModel > 2_000, $"only {withModel} bodies had a model");
    }

    [Fact]
    public void TruncatedAndMutatedBodies_NeverThrow_AndNeverPointOutside()
    {
        var rng = new Random(7_0102);
        var sb = new StringBuilder();
        byte[] noise = "{}[]\":,\\ \u00ff0aetnlu-+.eE/*\n"u8.ToArray();
        for (int i = 0; i < Cases; i++)
        {
            sb.Clear();
            Object(rng, sb, depth: 4, out _);
            var body = Encoding.UTF8.GetBytes(sb.ToString());
            int length = body.Length;
            switch (rng.Next(4))
            {
                case 0:
                    length = rng.Next(body.Length + 1); // truncated anywhere
                    break;
                case 1:
                    for (int k = 0, n = rng.Next(1, 4); k < n && body.Length > 0; k++)
                    {
                        body[rng.Next(body.Length)] = noise[rng.Next(noise.Length)];
                    }

                    break;
                case 2:
                    for (int k = 0, n = rng.Next(1, 4); k < n && body.Length > 0; k++)
                    {
                        body[rng.Next(body.Length)] = (byte)rng.Next(256); // invalid UTF-8 too
                    }

                    break;
                default:
                    var list = new List<byte>(body);
                    list.Insert(rng.Next(list.Count + 1), noise[rng.Next(noise.Length)]);
                    body = [.. list];
                    length = body.Length;
                    break;
            }

            RequestBodyPeek.TryPeek(body.AsSpan(0, length), out var range, out _);
            AssertModelInside(body, length, range);
        }
    }

    [Theory]
    [InlineData(64)]
    [InlineData(10_000)]
    public void DeepNesting_ReturnsFalseOrPeeks_WithoutThrowing(int depth)
    {
        string body = "{\"messages\":" + new string('[', depth) + new string(']', depth) + ",\"model\":\"m\"}";
        bool ok = RequestBodyPeek.TryPeek(Encoding.UTF8.GetBytes(body), out var model, out _);
        // Utf8JsonReader's default depth limit is 64: deeper bodies are refused, not followed.
        Assert.Equal(depth < 64, ok);
        Assert.Equal(ok ? 1 : 0, model.GetOffsetAndLength(body.Length).Length);
    }
}
