using System.Text;
using System.Text.Json;
using Gateway.Fast.Tests.Simulator;

namespace Gateway.Fast.Tests.Accounting;

/// <summary>Wire bodies built from the recorded provider traffic in tests/fixtures (see its README).</summary>
internal static class AccountingFixtures
{
    public static byte[] Raw(string relative) => File.ReadAllBytes(Path.Combine(FixtureFiles.Root, relative));

    /// <summary>A <c>*.chunks.txt</c> wrapped back into SSE: <c>data: line</c> events, blank-line separated.</summary>
    public static byte[] Sse(string relative, bool eventNames = false, string newline = "\n", bool done = false)
    {
        var sb = new StringBuilder();
        foreach (string line in FixtureFiles.ReadLines(relative))
        {
            if (eventNames)
            {
                using var doc = JsonDocument.Parse(line);
                sb.Append("event: ").Append(doc.RootElement.GetProperty("type").GetString()).Append(newline);
            }

            sb.Append("data: ").Append(line).Append(newline).Append(newline);
        }

        if (done)
        {
            sb.Append("data: [DONE]").Append(newline).Append(newline);
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>Gemini's streamed JSON array form (<c>streamGenerateContent</c> without <c>alt=sse</c>).</summary>
    public static byte[] JsonArray(string relative) =>
        Encoding.UTF8.GetBytes("[" + string.Join(",\r\n", FixtureFiles.ReadLines(relative)) + "]");

    /// <summary>
    /// The first <c>response.body.string</c> of a cassette written as a YAML double-quoted scalar: folded lines joined
    /// by one space (none after an escaped line break), then the escapes undone.
    /// </summary>
    public static byte[] CassetteStringBody(string relative)
    {
        string[] lines = File.ReadAllLines(Path.Combine(FixtureFiles.Root, relative));
        int start = Array.FindIndex(lines, static l => l.TrimStart().StartsWith("string: \"", StringComparison.Ordinal));
        Assert.True(start >= 0, $"{relative} has no double-quoted response body.");
        var raw = new StringBuilder(lines[start].TrimStart()["string: \"".Length..]);
        for (int i = start + 1; !EndsScalar(raw); i++)
        {
            string next = lines[i].Trim();
            if (raw.Length > 0 && raw[^1] == '\\')
            {
                raw.Length--; // an escaped line break joins without a space
            }
            else
            {
                raw.Append(next.Length == 0 ? "\n" : " ");
            }

            raw.Append(next);
        }

        raw.Length--; // the closing quote
        return Encoding.UTF8.GetBytes(Unescape(raw.ToString()));
    }

    private static bool EndsScalar(StringBuilder raw)
    {
        if (raw.Length == 0 || raw[^1] != '"')
        {
            return false;
        }

        int slashes = 0;
        for (int i = raw.Length - 2; i >= 0 && raw[i] == '\\'; i--)
        {
            slashes++;
        }

        return slashes % 2 == 0;
    }

    private static string Unescape(string s)
    {
        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            char e = s[++i];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case ' ': sb.Append(' '); break;
                case 'u': sb.Append((char)Convert.ToInt32(s.Substring(i + 1, 4), 16)); i += 4; break;
                default: sb.Append('\\').Append(e); break;
            }
        }

        return sb.ToString();
    }
}
