using System.Text.Json;
using Capacity.Model;

namespace Capacity.Report;

/// <summary>The raw result file, <c>capacity.json</c>: snake_case, indented, read back by <c>capacity report</c>.</summary>
internal static class RunJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static string Serialize(CapacityRun run) => JsonSerializer.Serialize(run, Options);

    public static CapacityRun Deserialize(string json) =>
        JsonSerializer.Deserialize<CapacityRun>(json, Options) ?? throw new JsonException("capacity.json holds null");
}
