using System.Text.Json;
using System.Text.Json.Serialization;
using IServer = Microsoft.AspNetCore.Hosting.Server.IServer;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Gateway.Fast.Fleet;

/// <summary>Registers this replica in Redis (id, internal address, heartbeat) so queries can fan out to the live ones, and
/// removes it when the replica stops.</summary>
/// <remarks>
/// <code>
/// replicas        sorted set  id → last heartbeat (ms, Redis's clock)
/// replicas:info   hash        id → {"id","address","started_at"}
/// </code>
/// A heartbeat every <see cref="HeartbeatInterval"/>; a replica is live while its heartbeat is younger than
/// <see cref="LiveFor"/> (three missed beats), and a replica dead for <see cref="ForgetAfter"/> is removed by the next heartbeat
/// of any replica. Heartbeats use Redis's clock, so replicas with skewed clocks still agree on who is live. A replica that
/// gets SIGTERM deregisters as soon as stopping begins, before it drains its requests: no new query is sent to it.
/// </remarks>
public sealed partial class ReplicaRegistry : IHostedService, IDisposable
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan LiveFor = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(10);

    private const string Members = "replicas";
    private const string Info = "replicas:info";

    /// <summary>KEYS: members, info. ARGV: id, info JSON, forget-before age in ms. Beats and forgets the long-dead, in one step.</summary>
    private const string HeartbeatScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZADD', KEYS[1], now, ARGV[1])
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
        local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[3]))
        for _, id in ipairs(dead) do
          redis.call('ZREM', KEYS[1], id)
          redis.call('HDEL', KEYS[2], id)
        end
        return now
        """;

    /// <summary>KEYS: members, info. ARGV: live-for in ms. Returns {id, heartbeat, info, …} for the live replicas.</summary>
    private const string ListScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local live = redis.call('ZRANGEBYSCORE', KEYS[1], now - tonumber(ARGV[1]), '+inf', 'WITHSCORES')
        local result = {}
        for i = 1, #live, 2 do
          local info = redis.call('HGET', KEYS[2], live[i])
          if info then
            table.insert(result, live[i])
            table.insert(result, live[i + 1])
            table.insert(result, info)
          end
        end
        return result
        """;

    private readonly RedisConnection _redis;
    private readonly IServer _server;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly RedisOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private string? _info;
    private int _deregistered;

    public ReplicaRegistry(RedisConnection redis, IServer server, IHostApplicationLifetime lifetime, RedisOptions options, TimeProvider time,
        ILogger<ReplicaRegistry> logger)
    {
        _redis = redis;
        _server = server;
        _lifetime = lifetime;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>This replica as registered (address known once the server listens).</summary>
    public ReplicaInfo? Self { get; private set; }

    /// <summary>The live replicas, this one included; only this one while Redis is unreachable.</summary>
    public async Task<IReadOnlyList<ReplicaInfo>> ListAsync()
    {
        if (_redis.TryGetDatabase(out var database))
        {
            try
            {
                var rows = (RedisResult[])(await database.ScriptEvaluateAsync(ListScript, [Members, Info], [(long)LiveFor.TotalMilliseconds])
                    .ConfigureAwait(false))!;
                _redis.ReportSuccess();
                var replicas = new List<ReplicaInfo>(rows.Length / 3);
                for (int i = 0; i + 2 < rows.Length; i += 3)
                {
                    if (JsonSerializer.Deserialize((string)rows[i + 2]!, ReplicaJsonContext.Default.RegisteredReplica) is { } info)
                    {
                        var heartbeat = DateTimeOffset.FromUnixTimeMilliseconds((long)(double)rows[i + 1]);
                        replicas.Add(new ReplicaInfo(info.Id, info.Address, info.StartedAt, heartbeat));
                    }
                }

                replicas.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
                return replicas;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                _redis.ReportFailure(e);
            }
        }

        return Self is { } self ? [self] : [];
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The address is known only once Kestrel listens, after every hosted service has started.
        _lifetime.ApplicationStarted.Register(static state => ((ReplicaRegistry)state!).OnStarted(), this);
        _lifetime.ApplicationStopping.Register(static state => ((ReplicaRegistry)state!).Deregister(), this);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        Deregister();
    }

    public void Dispose() => _stop.Dispose();

    private void OnStarted()
    {
        var address = _options.ReplicaAddress ?? ListeningAddress();
        var now = _time.GetUtcNow();
        Self = new ReplicaInfo(_redis.ReplicaId, address, now, now);
        _info = JsonSerializer.Serialize(new RegisteredReplica(_redis.ReplicaId, address, now), ReplicaJsonContext.Default.RegisteredReplica);
        _loop = Task.Run(() => BeatAsync(_stop.Token), CancellationToken.None);
    }

    private async Task BeatAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(HeartbeatInterval, _time);
        do
        {
            if (Volatile.Read(ref _deregistered) != 0)
            {
                return;
            }

            if (_redis.TryGetDatabase(out var database))
            {
                try
                {
                    await database.ScriptEvaluateAsync(HeartbeatScript, [Members, Info],
                        [_redis.ReplicaId, _info, (long)ForgetAfter.TotalMilliseconds]).ConfigureAwait(false);
                    _redis.ReportSuccess();
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    _redis.ReportFailure(e);
                }
            }
        }
        while (await WaitAsync(timer, stop).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Removes this replica at once (bounded by the command timeout): called when stopping begins.</summary>
    private void Deregister()
    {
        if (Interlocked.Exchange(ref _deregistered, 1) != 0 || Self is null || !_redis.TryGetDatabase(out var database))
        {
            return;
        }

        try
        {
            var batch = database.CreateTransaction();
            _ = batch.SortedSetRemoveAsync(Members, _redis.ReplicaId);
            _ = batch.HashDeleteAsync(Info, _redis.ReplicaId);
            // A stopping callback cannot await; the command timeout bounds this wait.
            batch.Execute();
            _redis.ReportSuccess();
            Log.Deregistered(_logger, _redis.ReplicaId);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _redis.ReportFailure(e);
        }
    }

    /// <summary>The first address the server listens on, with a wildcard host replaced by this machine's name.</summary>
    private string ListeningAddress()
    {
        var addresses = _server.Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault() ?? "http://localhost:8080";
        if (Uri.TryCreate(first.Replace("://+", "://wildcard", StringComparison.Ordinal).Replace("://*", "://wildcard", StringComparison.Ordinal),
                UriKind.Absolute, out var uri) && uri.Host is "wildcard" or "0.0.0.0" or "::" or "[::]")
        {
            return $"{uri.Scheme}://{Environment.MachineName}:{uri.Port}";
        }

        return first.TrimEnd('/');
    }

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Information, "Fleet mode: replica {Replica} deregistered.")]
        public static partial void Deregistered(ILogger logger, string replica);
    }
}

/// <summary>A replica's entry in <c>replicas:info</c>.</summary>
internal sealed record RegisteredReplica(string Id, string Address, DateTimeOffset StartedAt);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(RegisteredReplica))]
[JsonSerializable(typeof(ReplicaInfo))]
[JsonSerializable(typeof(IReadOnlyList<ReplicaInfo>))]
internal sealed partial class ReplicaJsonContext : JsonSerializerContext;
