using Xunit;

namespace Gateway.Fast.Tests.Simulator;

/// <summary>Finds the recorded provider traffic in <c>{repo}/tests/fixtures</c> (sources and licences in its README).</summary>
internal static class FixtureFiles
{
    public static string Root
    {
        get
        {
            string? dir = AppContext.BaseDirectory;
            while (dir is not null && !File.Exists(Path.Combine(dir, "Gateway.Fast.sln")))
            {
                dir = Path.GetDirectoryName(dir);
            }

            if (dir is null)
            {
                throw new InvalidOperationException(
                    $"Fixture comparison needs the repository root (the folder holding Gateway.Fast.sln) above {AppContext.BaseDirectory}.");
            }

            string fixtures = Path.Combine(dir, "tests", "fixtures");
            if (!Directory.Exists(fixtures))
            {
                throw new InvalidOperationException(
                    $"Recorded provider fixtures are missing: expected the folder {fixtures} inside the repository. " +
                    "These tests compare the simulator with real provider traffic and cannot run without it.");
            }

            return fixtures;
        }
    }

    public static string ReadText(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    public static string[] ReadLines(string relative) =>
        File.ReadAllLines(Path.Combine(Root, relative)).Where(static l => l.Length > 0).ToArray();

    /// <summary>The first <c>response.body.string: !!binary |</c> scalar of a VCR cassette, base64-decoded (the wire bytes).</summary>
    public static byte[] ReadCassetteBinaryBody(string relative)
    {
        string[] lines = File.ReadAllLines(Path.Combine(Root, relative));
        int start = Array.FindIndex(lines, static l => l.TrimStart().StartsWith("string: !!binary |", StringComparison.Ordinal));
        Assert.True(start >= 0, $"{relative} has no binary response body.");
        int indent = lines[start + 1].Length - lines[start + 1].TrimStart().Length;
        var base64 = new System.Text.StringBuilder();
        for (int i = start + 1; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Length - line.TrimStart().Length < indent || line.Trim().Length == 0)
            {
                break;
            }

            base64.Append(line.Trim());
        }

        return Convert.FromBase64String(base64.ToString());
    }
}
