using System.Security.Cryptography;
using Gateway.Fast.Simulator;
using Gateway.Fast.Tests.Durability;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Fleet;

/// <summary>Two or three gateway processes on this machine sharing one real redis-server, each with its own data folder,
/// all with one master key and OpenAI pointed at one simulator: the replicas a load balancer would spread calls over.
/// <see cref="StartOnAsync"/> runs them on another RESP server the caller owns (Garnet).</summary>
public sealed class GatewayFleet : IAsyncDisposable
{
    private readonly List<TempDirectory> _folders = [];
    private readonly List<GatewayProcess> _replicas = [];
    private readonly RedisServer? _redis;

    private GatewayFleet(RedisServer? redis, string redisUrl, SimulatorHost simulator, string masterKey)
    {
        _redis = redis;
        RedisUrl = redisUrl;
        Simulator = simulator;
        MasterKey = masterKey;
    }

    /// <summary>The redis-server this fleet started (and may kill); absent on a fleet started by <see cref="StartOnAsync"/>.</summary>
    public RedisServer Redis => _redis ?? throw new InvalidOperationException("This fleet runs on a server its caller owns.");

    /// <summary>The <c>REDIS_URL</c> every replica gets.</summary>
    public string RedisUrl { get; }

    public SimulatorHost Simulator { get; }

    /// <summary>The base64 master key every replica shares (stored provider keys are sealed with it).</summary>
    public string MasterKey { get; }

    public IReadOnlyList<GatewayProcess> Replicas => _replicas;

    public GatewayProcess this[int replica] => _replicas[replica];

    /// <summary>The data folder of replica <paramref name="replica"/>.</summary>
    public string DataPath(int replica) => _folders[replica].Path;

    /// <summary>Starts Redis, the simulator and <paramref name="replicas"/> gateways; <paramref name="environment"/> adds variables to each.</summary>
    public static async Task<GatewayFleet> StartAsync(int replicas = 2, IReadOnlyDictionary<string, string>? environment = null)
    {
        var redis = await RedisServer.StartAsync();
        return await StartAsync(redis, redis.Url, replicas, environment);
    }

    /// <summary>Starts the simulator and <paramref name="replicas"/> gateways on the RESP server at <paramref name="redisUrl"/>,
    /// which the caller started and stops.</summary>
    public static Task<GatewayFleet> StartOnAsync(string redisUrl, int replicas = 2, IReadOnlyDictionary<string, string>? environment = null)
        => StartAsync(null, redisUrl, replicas, environment);

    private static async Task<GatewayFleet> StartAsync(RedisServer? redis, string redisUrl, int replicas, IReadOnlyDictionary<string, string>? environment)
    {
        var simulator = await SimulatorHost.StartAsync();
        var fleet = new GatewayFleet(redis, redisUrl, simulator, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        try
        {
            for (int i = 0; i < replicas; i++)
            {
                await fleet.AddReplicaAsync(environment);
            }
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }

        return fleet;
    }

    /// <summary>Starts one more replica on a fresh data folder (the master key, Redis and simulator of the fleet, unless
    /// <paramref name="environment"/> says otherwise).</summary>
    public async Task<GatewayProcess> AddReplicaAsync(IReadOnlyDictionary<string, string>? environment = null)
    {
        var folder = new TempDirectory();
        _folders.Add(folder);
        var variables = new Dictionary<string, string>
        {
            ["REDIS_URL"] = RedisUrl,
            ["GATEWAY_MASTER_KEY"] = MasterKey,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        var replica = await GatewayProcess.StartAsync(folder.Path, Simulator.BaseUrl + "/v1", variables);
        _replicas.Add(replica);
        return replica;
    }

    /// <summary>Stops replica <paramref name="replica"/> with SIGTERM and starts it again on its data folder (its local copy).</summary>
    public async Task<GatewayProcess> RestartReplicaAsync(int replica, IReadOnlyDictionary<string, string>? environment = null)
    {
        await _replicas[replica].TerminateAsync();
        await _replicas[replica].DisposeAsync();
        var variables = new Dictionary<string, string>
        {
            ["REDIS_URL"] = RedisUrl,
            ["GATEWAY_MASTER_KEY"] = MasterKey,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        var restarted = await GatewayProcess.StartAsync(_folders[replica].Path, Simulator.BaseUrl + "/v1", variables);
        _replicas[replica] = restarted;
        return restarted;
    }

    /// <summary>A client on one replica carrying the management token.</summary>
    public HttpClient ManagementClient(int replica)
    {
        var client = new HttpClient { BaseAddress = _replicas[replica].Address };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", GatewayProcess.ManagementToken);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        await Simulator.DisposeAsync();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        foreach (var folder in _folders)
        {
            folder.Dispose();
        }
    }
}
