using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Clients;

/// <summary>
/// The JavaScript client's own tests (<c>clients/js/test</c>, Node's test runner) against the real gateway and simulator:
/// this test builds the package, starts both servers on loopback and hands their address to <c>node --test</c>.
/// </summary>
public sealed class JsClientTests : IAsyncLifetime
{
    private const string Account = "test-account";

    private readonly GatewayWithSimulator _env = new();

    public Task InitializeAsync() => _env.InitializeAsync();

    public Task DisposeAsync() => _env.DisposeAsync();

    [Fact]
    public async Task NodeTestSuite_PassesAgainstTheGatewayAndSimulator()
    {
        string package = Path.Combine(CommandLine.RepositoryRoot(), "clients", "js");
        Assert.True(Directory.Exists(Path.Combine(package, "node_modules", "typescript")),
            $"The JavaScript client's dependencies are not installed: run `npm ci` in {package} (.ci/run does).");

        var none = new Dictionary<string, string>();
        var build = await CommandLine.RunAsync("npm", ["run", "build"], package, none, TimeSpan.FromMinutes(3));
        Assert.True(build.ExitCode == 0, $"npm run build exited {build.ExitCode}:\n{build.Output}");

        // Files named explicitly: Node 18 and 20 read a directory argument differently from Node 22's globs.
        string[] tests = Directory.GetFiles(Path.Combine(package, "test"), "*.test.mjs").Order(StringComparer.Ordinal)
            .Select(path => Path.GetRelativePath(package, path)).ToArray();
        Assert.NotEmpty(tests);
        var environment = new Dictionary<string, string>
        {
            ["AI_GATEWAY_URL"] = _env.Gateway.Address.ToString().TrimEnd('/'),
            ["AI_GATEWAY_ACCOUNT_ID"] = Account,
            ["AI_GATEWAY_API_TOKEN"] = GatewayServer.ManagementToken,
        };
        // TAP on every Node version (newer ones default to another reporter), so the summary lines below are always there.
        var run = await CommandLine.RunAsync("node", ["--test", "--test-reporter=tap", .. tests], package, environment, TimeSpan.FromMinutes(5));

        Assert.True(run.ExitCode == 0, $"node --test exited {run.ExitCode}:\n{run.Output}");
        Assert.Contains("\n# fail 0", run.Output);
        var passed = System.Text.RegularExpressions.Regex.Match(run.Output, @"^# pass (\d+)$", System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.True(passed.Success && int.Parse(passed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0,
            $"node --test ran no test:\n{run.Output}");
    }
}
