using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.Fast.Simulator;
using Gateway.Fast.Tests.Durability;
using Gateway.Fast.Tests.Fleet;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Deployment;

/// <summary>The replicas of <c>docker-compose.yml</c> started as processes on this machine with exactly the environment compose
/// gives their containers, each compose hostname mapped to 127.0.0.1 and a free port (a real redis-server for the
/// <c>redis</c> service): those settings make a working two-replica fleet, and the compose health check passes against it.</summary>
public sealed partial class ComposeFleetTests
{
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task TheComposeEnvironment_StartsTwoReplicasThatActAsOne_AndPassesTheirHealthCheck()
    {
        var compose = ComposeFile.Load();
        var dotEnv = new Dictionary<string, string>
        {
            ["GATEWAY_MASTER_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["CF_AIG_MANAGEMENT_API_TOKEN"] = GatewayProcess.ManagementToken,
        };
        await using var redis = await RedisServer.StartAsync();
        await using var simulator = await SimulatorHost.StartAsync();
        var gateways = compose.GatewayServices;
        var ports = new Dictionary<string, int> { ["redis"] = redis.Port };
        foreach (var service in gateways)
        {
            ports[service] = GatewayProcess.FreePort();
        }

        var replicas = new List<GatewayProcess>();
        var folders = new List<TempDirectory>();
        try
        {
            foreach (var service in gateways)
            {
                var environment = compose.Environment(service, dotEnv).ToDictionary(e => e.Key, e => OnThisMachine(e.Value, service, ports));
                folders.Add(new TempDirectory());
                replicas.Add(await GatewayProcess.StartAsync(folders[^1].Path, simulator.BaseUrl + "/v1", environment, ports[service]));
            }

            // Each replica is up on the shared Redis under its compose id, and lists both at their compose addresses.
            for (int i = 0; i < replicas.Count; i++)
            {
                using var health = JsonDocument.Parse(await replicas[i].Client.GetStringAsync("health"));
                var state = health.RootElement.GetProperty("redis");
                Assert.True(state.GetProperty("up").GetBoolean());
                Assert.Equal(gateways[i], state.GetProperty("replica").GetString());
                Assert.Equal("matches", state.GetProperty("config").GetProperty("master_key").GetString());
            }

            using var first = Management(replicas[0]);
            using var second = Management(replicas[1]);
            await Eventually.HoldsAsync(async () => await ListedAsync(second) == string.Join(' ', gateways.Select(g => $"{g}=http://127.0.0.1:{ports[g]}")),
                Propagation, "the second replica lists both replicas");

            // A gateway created through the first replica is served by the second.
            using (var created = await first.PostAsJsonAsync("api/management/gateways", new { id = "from-compose", authentication = false }))
            {
                Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            }

            await Eventually.HoldsAsync(async () =>
            {
                using var found = await second.GetAsync("api/management/gateways/from-compose");
                return found.StatusCode == HttpStatusCode.OK;
            }, Propagation, "the second replica knows the gateway created on the first");
            using (var request = FleetRequests.Chat("through compose"))
            {
                request.RequestUri = new Uri("v1/acct/from-compose/openai/chat/completions", UriKind.Relative);
                using var response = await replicas[1].Client.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            // The health check compose runs in each container passes against its replica, and fails where nothing listens.
            foreach (var service in gateways)
            {
                Assert.Equal(0, await HealthCheckAsync(compose, service, ports[service]));
            }

            Assert.NotEqual(0, await HealthCheckAsync(compose, gateways[0], GatewayProcess.FreePort()));
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }

            foreach (var folder in folders)
            {
                folder.Dispose();
            }
        }
    }

    /// <summary>Rewrites every <c>scheme://host:port</c> in a compose value for this machine: a compose service becomes
    /// 127.0.0.1 on the port standing in for it, and 0.0.0.0 (listen everywhere) the replica's own port on loopback.</summary>
    private static string OnThisMachine(string value, string self, IReadOnlyDictionary<string, int> ports)
        => Url().Replace(value, match =>
        {
            string host = match.Groups["host"].Value;
            string mapped = host == "0.0.0.0" ? self : host;
            Assert.True(ports.ContainsKey(mapped), $"'{host}' in '{value}' is not a service of the compose file");
            return $"{match.Groups["scheme"].Value}://127.0.0.1:{ports[mapped]}";
        });

    private static HttpClient Management(GatewayProcess replica)
    {
        var client = new HttpClient { BaseAddress = replica.Address };
        client.DefaultRequestHeaders.Authorization = new("Bearer", GatewayProcess.ManagementToken);
        return client;
    }

    /// <summary>The live replicas one replica lists, as <c>id=address</c> sorted by id.</summary>
    private static async Task<string> ListedAsync(HttpClient management)
    {
        using var response = await management.GetAsync("api/management/replicas");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return string.Join(' ', doc.RootElement.GetProperty("result").EnumerateArray()
            .Select(r => $"{r.GetProperty("id").GetString()}={r.GetProperty("address").GetString()}").Order(StringComparer.Ordinal));
    }

    /// <summary>Runs the service's health check command with bash, its container port replaced by <paramref name="port"/>.</summary>
    private static async Task<int> HealthCheckAsync(ComposeFile compose, string service, int port)
    {
        int listening = ComposeFileTests.ListenPort(compose.Environment(service, ComposeFileTests.DotEnv));
        var command = ComposeFileTests.HealthCheckCommand(compose, service)
            .Replace($"/dev/tcp/127.0.0.1/{listening} ", $"/dev/tcp/127.0.0.1/{port} ", StringComparison.Ordinal);
        using var bash = Process.Start(new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardError = true })!;
        await bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return bash.ExitCode;
    }

    [GeneratedRegex(@"(?<scheme>[a-z]+)://(?<host>[A-Za-z0-9.-]+):(?<port>\d+)")]
    private static partial Regex Url();
}
