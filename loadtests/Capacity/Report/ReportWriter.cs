using Capacity.Model;

namespace Capacity.Report;

/// <summary>Writes a run into a report folder: <c>capacity.json</c> (raw), the PNG charts and <c>README.md</c>.</summary>
internal static class ReportWriter
{
    public const string JsonFile = "capacity.json";
    public const string MarkdownFile = "README.md";

    public static void Write(CapacityRun run, string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, JsonFile), RunJson.Serialize(run));
        List<string> charts = Charts.WriteAll(run, folder);
        File.WriteAllText(Path.Combine(folder, MarkdownFile), MarkdownReport.Render(run, charts));
    }
}
