using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Gateway.Fast.Tests.Deployment;

/// <summary>The repository's <c>docker-compose.yml</c> as compose reads it: YAML with anchors and merge keys resolved, and
/// <c>${VAR}</c> interpolation (<c>:-</c> defaults, <c>:?</c> required, <c>$$</c> for a literal dollar) done against the
/// variables a test gives in place of <c>.env</c>. Only the parts the deployment tests check are read.</summary>
public sealed partial class ComposeFile
{
    private readonly IReadOnlyDictionary<object, object> _root;

    private ComposeFile(IReadOnlyDictionary<object, object> root) => _root = root;

    /// <summary>The folder that holds Gateway.Fast.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static ComposeFile Load()
    {
        using var reader = new StringReader(File.ReadAllText(Path.Combine(RepositoryRoot, "docker-compose.yml")));
        var root = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(new MergingParser(new Parser(reader)));
        return new ComposeFile(root);
    }

    /// <summary>Loads a YAML file of the repository (the Prometheus configuration) as nested dictionaries and lists.</summary>
    public static Dictionary<object, object> LoadYaml(string relativePath)
        => new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(File.ReadAllText(Path.Combine(RepositoryRoot, relativePath)));

    public IReadOnlyDictionary<object, object> Services => Map(_root, "services");

    /// <summary>The named volumes.</summary>
    public IReadOnlyDictionary<object, object> Volumes => Map(_root, "volumes");

    public IReadOnlyDictionary<object, object> Service(string name) => Map(Services, name);

    /// <summary>The services built from the repository's Dockerfile: the gateway replicas.</summary>
    public IReadOnlyList<string> GatewayServices
        => Services.Where(s => ((IDictionary<object, object>)s.Value).ContainsKey("build")).Select(s => (string)s.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>A service's environment as written, before interpolation.</summary>
    public IReadOnlyDictionary<string, string> RawEnvironment(string service)
        => Map(Service(service), "environment").ToDictionary(e => (string)e.Key, e => (string)e.Value);

    /// <summary>A service's environment as compose hands it to the container, with <paramref name="variables"/> as the <c>.env</c> file.</summary>
    public IReadOnlyDictionary<string, string> Environment(string service, IReadOnlyDictionary<string, string> variables)
        => RawEnvironment(service).ToDictionary(e => e.Key, e => Interpolate(e.Value, variables));

    /// <summary>Compose's interpolation of one value; a required variable that is unset or empty throws with compose's message.</summary>
    public static string Interpolate(string value, IReadOnlyDictionary<string, string> variables)
        => Variable().Replace(value, match =>
        {
            if (match.Value == "$$")
            {
                return "$";
            }

            string name = match.Groups["name"].Success ? match.Groups["name"].Value : match.Groups["bare"].Value;
            variables.TryGetValue(name, out var set);
            string op = match.Groups["op"].Value;
            bool missing = op.StartsWith(':') ? string.IsNullOrEmpty(set) : set is null;
            return op.TrimStart(':') switch
            {
                "-" when missing => match.Groups["arg"].Value,
                "?" when missing => throw new InvalidOperationException($"required variable {name} is missing a value: {match.Groups["arg"].Value}"),
                _ => set ?? "",
            };
        });

    /// <summary>Compose's duration syntax (<c>35s</c>, <c>1m30s</c>, <c>500ms</c>).</summary>
    public static TimeSpan Duration(string text)
    {
        var total = TimeSpan.Zero;
        foreach (Match part in DurationPart().Matches(text))
        {
            double amount = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            total += part.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => throw new FormatException(text),
            };
        }

        return total;
    }

    public static IReadOnlyDictionary<object, object> Map(IReadOnlyDictionary<object, object> parent, string key)
    {
        Assert.True(parent.TryGetValue(key, out var value), $"'{key}' is missing");
        return Assert.IsType<Dictionary<object, object>>(value);
    }

    public static IReadOnlyList<object> List(IReadOnlyDictionary<object, object> parent, string key)
    {
        Assert.True(parent.TryGetValue(key, out var value), $"'{key}' is missing");
        return Assert.IsType<List<object>>(value);
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Gateway.Fast.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Gateway.Fast.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\$\$|\$\{(?<name>\w+)(?:(?<op>:?[-?])(?<arg>[^}]*))?\}|\$(?<bare>[A-Za-z_]\w*)")]
    private static partial Regex Variable();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h)")]
    private static partial Regex DurationPart();
}
