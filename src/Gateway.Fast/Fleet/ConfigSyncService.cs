using Gateway.Fast.Access;
using Gateway.Fast.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Gateway.Fast.Fleet;

/// <summary>Keeps this replica's copy of gateways, tokens, team keys and provider keys equal to the fleet's in Redis.</summary>
/// <remarks>
/// <para>The hot path never waits on this: it reads the stores' in-memory snapshots, which this service replaces when
/// the fleet changes. A change made on any replica is published on <see cref="ConfigKeys.Channel"/>; the message wakes
/// this loop, which compares <see cref="ConfigKeys.Version"/> with the version its copy reflects and, when they differ,
/// reads the whole configuration with its version in one script and applies the differences. The same comparison also
/// runs every <see cref="PollInterval"/>, so a lost message (a reconnection, a full output buffer) delays a change by
/// at most that long: within a second either way.</para>
/// <para>An empty Redis (a new fleet, or a Redis that restarted without persistence) is seeded from the first replica's
/// copy that reaches it; the others then take that one. While Redis is unreachable the replica serves its last copy
/// (<c>/health</c> says <c>local_copy</c>) and refuses configuration changes (<see cref="ConfigReplicator"/>); it
/// catches up on its own when the connection returns.</para>
/// </remarks>
internal sealed partial class ConfigSyncService : IHostedService, IDisposable
{
    /// <summary>How often the version is compared without a message: bounds how late a missed message's change arrives.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly RedisConnection _redis;
    private readonly IReplicatedRecords[] _kinds;
    private readonly string _masterKeyCheck;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<string> _skipped = new(StringComparer.Ordinal);
    private Task _loop = Task.CompletedTask;
    private long _version;
    private bool _synced;
    private bool _subscribed;
    private long _syncedAt;
    private MasterKeyState _masterKey;

    public ConfigSyncService(RedisConnection redis, IReplicatedRecords[] kinds, MasterKey masterKey, TimeProvider time,
        ILogger<ConfigSyncService> logger)
    {
        _redis = redis;
        _kinds = kinds;
        _masterKeyCheck = MasterKeyCheck.Compute(masterKey);
        _time = time;
        _logger = logger;
    }

    /// <summary>The <c>config</c> part of <c>/health</c>'s redis section.</summary>
    public ConfigSyncHealth Health()
    {
        long syncedAt = Interlocked.Read(ref _syncedAt);
        int skipped;
        lock (_skipped)
        {
            skipped = _skipped.Count;
        }

        return new ConfigSyncHealth(
            _redis.IsAvailable && Volatile.Read(ref _synced) ? "redis" : "local_copy",
            Interlocked.Read(ref _version),
            syncedAt == 0 ? null : new DateTimeOffset(syncedAt, TimeSpan.Zero),
            _masterKey switch { MasterKeyState.Matches => "matches", MasterKeyState.Differs => "differs", _ => "unknown" },
            skipped);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _redis.Connected += OnConnected;
        await _redis.Started.ConfigureAwait(false);

        // Before the host serves: a replica that joins a running fleet answers with the fleet's gateways from its first request.
        await SyncOnceAsync(cancellationToken).ConfigureAwait(false);
        _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _redis.Connected -= OnConnected;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _stop.Dispose();
        _wake.Dispose();
    }

    private void OnConnected()
    {
        // Redis may have restarted empty or changed while this replica could not hear it: compare everything again.
        // The subscription needs nothing: the multiplexer restores it on the new connection.
        Volatile.Write(ref _synced, false);
        Wake();
    }

    private void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (Exception e) when (e is SemaphoreFullException or ObjectDisposedException)
        {
            // Already awake, or stopping.
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(PollInterval, stop).ConfigureAwait(false);
                await SyncOnceAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A store that failed to commit (disk full): keep serving the copy, try again at the next tick.
                Log.SyncFailed(_logger, e);
            }
        }
    }

    private async Task SyncOnceAsync(CancellationToken cancellationToken)
    {
        if (!_redis.TryGetDatabase(out var database))
        {
            return;
        }

        try
        {
            if (!_subscribed)
            {
                await _redis.Subscriber!.SubscribeAsync(RedisConnection.Channel(ConfigKeys.Channel), (_, _) => Wake()).ConfigureAwait(false);
                _subscribed = true;
            }

            var version = await database.StringGetAsync(ConfigKeys.Version).ConfigureAwait(false);
            if (version.IsNull)
            {
                await SeedAsync(database).ConfigureAwait(false);
            }
            else if (Volatile.Read(ref _synced) && (long)version == Interlocked.Read(ref _version))
            {
                Interlocked.Exchange(ref _syncedAt, _time.GetUtcNow().UtcTicks);
                _redis.ReportSuccess();
                return;
            }

            await CheckMasterKeyAsync(database).ConfigureAwait(false);
            var read = (RedisResult[])(await database.ScriptEvaluateAsync(ConfigKeys.ReadScript, [ConfigKeys.Version, ConfigKeys.Records])
                .ConfigureAwait(false))!;
            _redis.ReportSuccess();
            long fleetVersion = read[0].IsNull ? 0 : (long)read[0];
            await ApplyAsync(ToRecords((RedisResult[])read[1]!), cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _version, fleetVersion);
            Interlocked.Exchange(ref _syncedAt, _time.GetUtcNow().UtcTicks);
            Volatile.Write(ref _synced, true);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _redis.ReportFailure(e);
        }
    }

    /// <summary>A fleet without configuration takes this replica's copy (unless another replica's got there first).</summary>
    private async Task SeedAsync(IDatabase database)
    {
        var values = new List<RedisValue>();
        foreach (var kind in _kinds)
        {
            foreach (var (id, json) in kind.Export())
            {
                values.Add(kind.Prefix + id);
                values.Add(json);
            }
        }

        var seeded = (long)await database.ScriptEvaluateAsync(ConfigKeys.SeedScript, [ConfigKeys.Records, ConfigKeys.Version], [.. values])
            .ConfigureAwait(false);
        if (seeded != 0)
        {
            Log.Seeded(_logger, values.Count / 2);
        }
    }

    private async Task CheckMasterKeyAsync(IDatabase database)
    {
        await database.StringSetAsync(ConfigKeys.MasterKeyCheck, _masterKeyCheck, when: When.NotExists).ConfigureAwait(false);
        var fleet = await database.StringGetAsync(ConfigKeys.MasterKeyCheck).ConfigureAwait(false);
        var state = fleet == _masterKeyCheck ? MasterKeyState.Matches : MasterKeyState.Differs;
        if (state == MasterKeyState.Differs && _masterKey != MasterKeyState.Differs)
        {
            Log.MasterKeyDiffers(_logger, MasterKey.ConfigurationKey);
        }

        _masterKey = state;
    }

    private static Dictionary<string, string> ToRecords(RedisResult[] hash)
    {
        var records = new Dictionary<string, string>(hash.Length / 2, StringComparer.Ordinal);
        for (int i = 0; i + 1 < hash.Length; i += 2)
        {
            records[(string)hash[i]!] = (string)hash[i + 1]!;
        }

        return records;
    }

    /// <summary>Makes each kind's local records the fleet's: changed and new ones applied, ones the fleet no longer has deleted.</summary>
    private async Task ApplyAsync(Dictionary<string, string> fleet, CancellationToken cancellationToken)
    {
        foreach (var kind in _kinds)
        {
            // Exported before comparing: a record this replica commits meanwhile is not mistaken for one the fleet deleted.
            var local = kind.Export();
            foreach (var (field, json) in fleet)
            {
                if (!field.StartsWith(kind.Prefix, StringComparison.Ordinal))
                {
                    continue;
                }

                var id = field[kind.Prefix.Length..];
                if (local.Remove(id, out var mine) && mine == json)
                {
                    continue;
                }

                bool applied = await kind.ApplyAsync(id, json, cancellationToken).ConfigureAwait(false);
                Skip(field, !applied);
            }

            foreach (var id in local.Keys)
            {
                if (!fleet.ContainsKey(kind.Prefix + id))
                {
                    await kind.ApplyAsync(id, null, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private void Skip(string field, bool skipped)
    {
        lock (_skipped)
        {
            if (!skipped)
            {
                _skipped.Remove(field);
            }
            else if (_skipped.Add(field))
            {
                Log.Skipped(_logger, field);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(10, LogLevel.Information, "Fleet mode: Redis held no configuration; seeded it with this replica's {Records} records.")]
        public static partial void Seeded(ILogger logger, int records);

        [LoggerMessage(11, LogLevel.Warning,
            "Fleet mode: this replica's master key differs from the fleet's. Provider keys stored through other replicas cannot be opened " +
            "here and are skipped; give every replica the same {Variable}.")]
        public static partial void MasterKeyDiffers(ILogger logger, string variable);

        [LoggerMessage(12, LogLevel.Warning, "Fleet mode: record {Record} from Redis cannot be used by this replica and was skipped.")]
        public static partial void Skipped(ILogger logger, string record);

        [LoggerMessage(13, LogLevel.Error, "Fleet mode: applying the fleet's configuration failed; the local copy keeps serving.")]
        public static partial void SyncFailed(ILogger logger, Exception exception);
    }
}
