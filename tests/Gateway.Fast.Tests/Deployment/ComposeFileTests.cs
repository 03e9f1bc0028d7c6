using System.Globalization;
using System.Text.RegularExpressions;

namespace Gateway.Fast.Tests.Deployment;

/// <summary>The wiring of <c>docker-compose.yml</c>, <c>deploy/prometheus.yml</c> and <c>deploy/nginx.conf</c>, read as compose,
/// Prometheus and nginx read them (no Docker engine runs the stack here): every replica on the one Redis, one master key and
/// management token, distinct ids and addresses, and the health check, scrape targets and load balancer on the port the
/// gateway listens on. <see cref="ComposeFleetTests"/> starts the replicas with this environment.</summary>
public sealed partial class ComposeFileTests
{
    /// <summary>Stands in for <c>.env</c>.</summary>
    internal static readonly IReadOnlyDictionary<string, string> DotEnv = new Dictionary<string, string>
    {
        ["GATEWAY_MASTER_KEY"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        ["CF_AIG_MANAGEMENT_API_TOKEN"] = "compose-test-token",
    };

    private readonly ComposeFile _compose = ComposeFile.Load();

    /// <summary>The port a gateway service listens on inside its container (from <c>ASPNETCORE_URLS</c>).</summary>
    internal static int ListenPort(IReadOnlyDictionary<string, string> environment)
        => new Uri(environment["ASPNETCORE_URLS"].Split(';')[0]).Port;

    [Fact]
    public void TwoReplicas_ShareTheRedisService_MasterKeyAndToken_UnderDistinctIdsAndAddresses()
    {
        var gateways = _compose.GatewayServices;
        Assert.Equal(["gateway-1", "gateway-2"], gateways);
        var ids = new HashSet<string>();
        var addresses = new HashSet<string>();
        foreach (var service in gateways)
        {
            var environment = _compose.Environment(service, DotEnv);
            var redis = new Uri(environment["REDIS_URL"]);
            Assert.Equal("redis", redis.Scheme);
            Assert.StartsWith("redis:", (string)_compose.Service(redis.Host)["image"], StringComparison.Ordinal);
            Assert.Equal(6379, redis.Port);
            Assert.Equal("service_healthy", ComposeFile.Map(ComposeFile.Map(_compose.Service(service), "depends_on"), redis.Host)["condition"]);

            Assert.Equal(DotEnv["GATEWAY_MASTER_KEY"], environment["GATEWAY_MASTER_KEY"]);
            Assert.Equal(DotEnv["CF_AIG_MANAGEMENT_API_TOKEN"], environment["CF_AIG_MANAGEMENT_API_TOKEN"]);
            Assert.True(ids.Add(environment["Gateway__Redis__ReplicaId"]));
            Assert.True(addresses.Add(environment["Gateway__Redis__ReplicaAddress"]));
            Assert.Equal($"http://{service}:{ListenPort(environment)}", environment["Gateway__Redis__ReplicaAddress"]);
        }
    }

    [Theory]
    [InlineData("GATEWAY_MASTER_KEY")]
    [InlineData("CF_AIG_MANAGEMENT_API_TOKEN")]
    public void ASecretLeftOutOrEmpty_StopsComposeBeforeAnyReplicaStarts(string variable)
    {
        // Each replica would otherwise make up its own: provider keys sealed on one could not be opened on another, and
        // each would print a different management token.
        var example = File.ReadAllLines(Path.Combine(ComposeFile.RepositoryRoot, ".env.example"));
        Assert.Contains(variable + "=", example);
        foreach (var missing in new[] { null, "" })
        {
            var variables = new Dictionary<string, string>(DotEnv);
            if (missing is null)
            {
                variables.Remove(variable);
            }
            else
            {
                variables[variable] = missing;
            }

            foreach (var service in _compose.GatewayServices)
            {
                var error = Assert.Throws<InvalidOperationException>(() => _compose.Environment(service, variables));
                Assert.Contains(variable, error.Message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void EachReplica_HasItsOwnDataVolume_DescriptorsForStreams_AndAGracePeriodAboveItsShutdownTimeout()
    {
        string dataPath = DockerfileEnvironment()["GATEWAY_DATA"];
        var volumes = new HashSet<string>();
        foreach (var service in _compose.GatewayServices)
        {
            var definition = _compose.Service(service);
            var mounts = ComposeFile.List(definition, "volumes").Cast<string>().Select(m => m.Split(':')).ToList();
            var data = Assert.Single(mounts, m => m[1] == dataPath);
            Assert.True(volumes.Add(data[0]), $"{service} shares the data volume '{data[0]}'");
            Assert.True(_compose.Volumes.ContainsKey(data[0]), $"'{data[0]}' is a named volume, kept across restarts");

            var nofile = ComposeFile.Map(ComposeFile.Map(definition, "ulimits"), "nofile");
            Assert.True(int.Parse((string)nofile["soft"], CultureInfo.InvariantCulture) >= 20_000, "10,000 streams need 20,000 descriptors");

            var environment = _compose.Environment(service, DotEnv);
            var shutdown = TimeSpan.FromSeconds(int.Parse(environment["Gateway__Server__ShutdownTimeoutSeconds"], CultureInfo.InvariantCulture));
            Assert.True(ComposeFile.Duration((string)definition["stop_grace_period"]) > shutdown,
                "the runtime's SIGKILL must come after the gateway's own shutdown timeout");
        }
    }

    [Fact]
    public void TheHealthCheck_AsksForHealth_OnThePortTheGatewayListensOn()
    {
        foreach (var service in _compose.GatewayServices)
        {
            var command = HealthCheckCommand(_compose, service);
            int port = ListenPort(_compose.Environment(service, DotEnv));
            Assert.Contains($"/dev/tcp/127.0.0.1/{port} ", command, StringComparison.Ordinal);
            Assert.Contains("'GET /health HTTP/1.1", command, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Prometheus_ScrapesEveryReplica_OnItsMetricsPort()
    {
        var prometheus = _compose.Service("prometheus");
        Assert.Contains("./deploy/prometheus.yml:/etc/prometheus/prometheus.yml:ro", ComposeFile.List(prometheus, "volumes").Cast<string>());
        var config = ComposeFile.LoadYaml("deploy/prometheus.yml");
        var job = Assert.IsType<Dictionary<object, object>>(Assert.Single(ComposeFile.List(config, "scrape_configs")));
        Assert.Equal("/metrics", job["metrics_path"]);
        var targets = ComposeFile.List(job, "static_configs").Cast<Dictionary<object, object>>()
            .SelectMany(c => ComposeFile.List(c, "targets").Cast<string>()).Order(StringComparer.Ordinal);

        var expected = _compose.GatewayServices.Select(s => $"{s}:{ListenPort(_compose.Environment(s, DotEnv))}");
        Assert.Equal(expected, targets);
    }

    [Fact]
    public void TheLoadBalancer_SpreadsOverEveryReplica_AndRelaysStreamsUnbuffered()
    {
        var lb = _compose.Service("lb");
        Assert.Contains("./deploy/nginx.conf:/etc/nginx/nginx.conf:ro", ComposeFile.List(lb, "volumes").Cast<string>());
        foreach (var service in _compose.GatewayServices)
        {
            Assert.Equal("service_healthy", ComposeFile.Map(ComposeFile.Map(lb, "depends_on"), service)["condition"]);
        }

        var nginx = File.ReadAllText(Path.Combine(ComposeFile.RepositoryRoot, "deploy", "nginx.conf"));
        var servers = UpstreamServer().Matches(nginx).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal);
        Assert.Equal(_compose.GatewayServices.Select(s => $"{s}:{ListenPort(_compose.Environment(s, DotEnv))}"), servers);
        Assert.Contains("proxy_buffering off;", nginx, StringComparison.Ordinal);
    }

    [Fact]
    public void TheImage_IsBuiltInTheSdk_AndRunsOnTheAspNetRuntime_AsANonRootUser_OnTheComposePort()
    {
        var lines = File.ReadAllLines(Path.Combine(ComposeFile.RepositoryRoot, "Dockerfile"));
        var stages = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", "FROM mcr.microsoft.com/dotnet/aspnet:10.0"], stages);
        var runtime = lines.SkipWhile(l => l != stages[^1]).ToList();
        var user = Assert.Single(runtime, l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.DoesNotContain("root", user, StringComparison.Ordinal);

        var image = DockerfileEnvironment();
        foreach (var service in _compose.GatewayServices)
        {
            int port = ListenPort(_compose.Environment(service, DotEnv));
            Assert.Equal(port, new Uri(image["ASPNETCORE_URLS"]).Port);
            Assert.Contains($"EXPOSE {port}", runtime);
        }
    }

    /// <summary>The shell command of a service's health check, with compose's <c>$$</c> turned back into <c>$</c>.</summary>
    internal static string HealthCheckCommand(ComposeFile compose, string service)
    {
        var test = ComposeFile.List(ComposeFile.Map(compose.Service(service), "healthcheck"), "test").Cast<string>().ToList();
        Assert.Equal(["CMD", "bash", "-c"], test.Take(3));
        return ComposeFile.Interpolate(Assert.Single(test.Skip(3)), new Dictionary<string, string>());
    }

    /// <summary>The <c>ENV</c> lines of the runtime stage of the Dockerfile.</summary>
    private static Dictionary<string, string> DockerfileEnvironment()
    {
        var dockerfile = File.ReadAllText(Path.Combine(ComposeFile.RepositoryRoot, "Dockerfile")).Replace("\\\n", " ", StringComparison.Ordinal);
        return DockerfileVariable().Matches(dockerfile).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
    }

    [GeneratedRegex(@"^\s*server\s+([\w.-]+:\d+)", RegexOptions.Multiline)]
    private static partial Regex UpstreamServer();

    [GeneratedRegex(@"\b(GATEWAY_DATA|ASPNETCORE_URLS)=(\S+)")]
    private static partial Regex DockerfileVariable();
}
