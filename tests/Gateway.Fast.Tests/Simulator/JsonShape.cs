using System.Text.Json;

using Xunit;

namespace Gateway.Fast.Tests.Simulator;

/// <summary>Compares JSON by structure: the set of property paths (<c>choices[].delta.content</c>), values ignored.</summary>
internal static class JsonShape
{
    public static HashSet<string> Paths(string json)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(json);
        Collect(doc.RootElement, "", paths);
        return paths;
    }

    public static HashSet<string> Paths(IEnumerable<string> jsons)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (string json in jsons)
        {
            paths.UnionWith(Paths(json));
        }

        return paths;
    }

    /// <summary>Asserts the simulator uses no field name that the recording does not have.</summary>
    public static void AssertSubset(HashSet<string> simulated, HashSet<string> recorded, string fixture)
    {
        var invented = new List<string>();
        foreach (string path in simulated)
        {
            if (!recorded.Contains(path))
            {
                invented.Add(path);
            }
        }

        Assert.True(invented.Count == 0, $"Fields absent from {fixture}: {string.Join(", ", invented)}");
    }

    private static void Collect(JsonElement element, string prefix, HashSet<string> paths)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    string path = prefix.Length == 0 ? property.Name : prefix + "." + property.Name;
                    paths.Add(path);
                    Collect(property.Value, path, paths);
                }

                break;
            case JsonValueKind.Array:
                foreach (JsonElement item in element.EnumerateArray())
                {
                    Collect(item, prefix + "[]", paths);
                }

                break;
        }
    }
}
