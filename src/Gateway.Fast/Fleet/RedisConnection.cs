using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace Gateway.Fast.Fleet;

/// <summary>The replica's one connection to Redis, shared by everything in fleet mode, and the gate callers pass before using it.</summary>
/// <remarks>
/// <para>How callers use it: <c>if (redis.TryGetDatabase(out var db)) { try { …; redis.ReportSuccess(); } catch (Exception e)
/// { redis.ReportFailure(e); /* fall back to local state */ } } else { /* local state */ }</c>. Keys are written bare: the
/// database is already scoped to <see cref="RedisOptions.KeyPrefix"/>, and so are pub/sub channels.</para>
/// <para>Why a dead Redis costs a request almost nothing: the multiplexer fails commands at once while disconnected
/// (<see cref="BacklogPolicy.FailFast"/> instead of queueing them until a timeout), <see cref="TryGetDatabase"/> answers false
/// without a network call while the connection is down or the breaker is open, and a Redis that is up but slow costs each
/// caller at most <see cref="RedisOptions.OperationTimeoutMs"/> until <see cref="RedisOptions.BreakerFailures"/> such calls
/// open the breaker. The multiplexer reconnects by itself; the breaker closes on the reconnection or a successful probe.</para>
/// </remarks>
public sealed partial class RedisConnection : IAsyncDisposable
{
    private static readonly int ErrorKinds = Enum.GetValues<RedisErrorKind>().Length;

    private readonly ConfigurationOptions _configuration;
    private readonly RedisCircuitBreaker _breaker;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long[] _errors = new long[ErrorKinds];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ConnectionMultiplexer? _multiplexer;
    private IDatabase? _database;
    private long _downSince;

    public RedisConnection(RedisUrl url, RedisOptions options, string replicaId, TimeProvider time, ILogger<RedisConnection> logger)
    {
        Url = url;
        ReplicaId = replicaId;
        KeyPrefix = options.KeyPrefix;
        _time = time;
        _logger = logger;
        _breaker = new RedisCircuitBreaker(time, options.BreakerFailures, TimeSpan.FromMilliseconds(options.BreakerOpenMs));
        _configuration = Configure(url, options, replicaId);
    }

    /// <summary>Where Redis is, without credentials.</summary>
    public RedisUrl Url { get; }

    /// <summary>This replica's id (<see cref="RedisOptions.ReplicaId"/>).</summary>
    public string ReplicaId { get; }

    /// <summary>The prefix every key and channel carries in Redis (callers do not add it).</summary>
    public string KeyPrefix { get; }

    /// <summary>True when connected and the breaker is closed: the state <c>/health</c> and <c>gateway_redis_up</c> report.</summary>
    public bool IsAvailable => _multiplexer is { IsConnected: true } && !_breaker.IsOpen;

    /// <summary>Completes when the first connection attempt has finished, connected or not.</summary>
    public Task Started => _started.Task;

    /// <summary>Raised on a background thread each time the connection is (re)established: listeners repair what they missed
    /// while it was down. Handlers must not throw.</summary>
    public event Action? Connected;

    /// <summary>The key-prefixed database when Redis may be called now; false (no network call) while it is down or the
    /// breaker is open. Report the call's outcome with <see cref="ReportSuccess"/> or <see cref="ReportFailure"/>.</summary>
    public bool TryGetDatabase([NotNullWhen(true)] out IDatabase? database)
    {
        database = _database;
        if (database is null || _multiplexer is not { IsConnected: true } || !_breaker.TryEnter())
        {
            database = null;
            return false;
        }

        return true;
    }

    /// <summary>Pub/sub, or null before the first connection attempt. Subscriptions survive reconnections.</summary>
    public ISubscriber? Subscriber => _multiplexer?.GetSubscriber();

    /// <summary>A channel by its bare name (the prefix is added by the connection).</summary>
    public static RedisChannel Channel(string name) => RedisChannel.Literal(name);

    /// <summary>A call admitted by <see cref="TryGetDatabase"/> succeeded: closes a half-open breaker.</summary>
    public void ReportSuccess() => _breaker.Success();

    /// <summary>A call failed: counted by kind, and towards opening the breaker. Never logs the exception's text per call
    /// (a storm of them would flood the log); the connection's own loss and return are logged once each.</summary>
    public void ReportFailure(Exception exception)
    {
        var kind = Classify(exception);
        Interlocked.Increment(ref _errors[(int)kind]);
        if (kind != RedisErrorKind.Server)
        {
            // A server error is an answer: Redis is up, the command was wrong. Only silence and lost connections trip.
            _breaker.Failure();
        }
    }

    /// <summary>Failures so far, by kind.</summary>
    public long Errors(RedisErrorKind kind) => Interlocked.Read(ref _errors[(int)kind]);

    /// <summary>The <c>redis</c> section of <c>/health</c>.</summary>
    public RedisHealth Health()
    {
        var errors = new Dictionary<string, long>(ErrorKinds);
        foreach (var kind in Enum.GetValues<RedisErrorKind>())
        {
            errors[Label(kind)] = Errors(kind);
        }

        long downSince = Interlocked.Read(ref _downSince);
        var breaker = !_breaker.Tripped ? "closed" : _breaker.IsOpen ? "open" : "half_open";
        return new RedisHealth(Url.Display, ReplicaId, IsAvailable, breaker, errors,
            downSince == 0 ? null : new DateTimeOffset(downSince, TimeSpan.Zero));
    }

    /// <summary>The metric label and <c>/health</c> key of an error kind.</summary>
    public static string Label(RedisErrorKind kind) => kind switch
    {
        RedisErrorKind.Connection => "connection",
        RedisErrorKind.Timeout => "timeout",
        RedisErrorKind.Server => "server",
        _ => "other",
    };

    /// <summary>Connects (waiting at most <see cref="RedisOptions.ConnectTimeoutMs"/>); a Redis that is down leaves the
    /// multiplexer retrying in the background and the replica serving from local state.</summary>
    public async Task ConnectAsync()
    {
        try
        {
            var multiplexer = await ConnectionMultiplexer.ConnectAsync(_configuration).ConfigureAwait(false);
            multiplexer.ConnectionFailed += OnConnectionFailed;
            multiplexer.ConnectionRestored += OnConnectionRestored;
            _multiplexer = multiplexer;
            _database = multiplexer.GetDatabase().WithKeyPrefix(KeyPrefix);
            if (multiplexer.IsConnected)
            {
                Log.Connected(_logger, Url.Display, ReplicaId);
                Connected?.Invoke();
            }
            else
            {
                MarkDown();
                Log.StartedDisconnected(_logger, Url.Display);
            }
        }
        finally
        {
            _started.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer is { } multiplexer)
        {
            multiplexer.ConnectionFailed -= OnConnectionFailed;
            multiplexer.ConnectionRestored -= OnConnectionRestored;
            await multiplexer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Interactive)
        {
            return; // the subscription connection fails and returns with it: one report per outage
        }

        Interlocked.Increment(ref _errors[(int)RedisErrorKind.Connection]);
        _breaker.Trip();
        if (MarkDown())
        {
            Log.Lost(_logger, Url.Display, e.FailureType.ToString());
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Interactive)
        {
            return;
        }

        _breaker.Success();
        Interlocked.Exchange(ref _downSince, 0);
        Log.Restored(_logger, Url.Display);
        Connected?.Invoke();
    }

    /// <summary>Records when the outage began; false when it was already recorded.</summary>
    private bool MarkDown() => Interlocked.CompareExchange(ref _downSince, _time.GetUtcNow().UtcTicks, 0) == 0;

    private static RedisErrorKind Classify(Exception exception) => exception switch
    {
        RedisTimeoutException or TimeoutException => RedisErrorKind.Timeout,
        RedisConnectionException or SocketException or ObjectDisposedException => RedisErrorKind.Connection,
        RedisServerException => RedisErrorKind.Server,
        _ => RedisErrorKind.Other,
    };

    private static ConfigurationOptions Configure(RedisUrl url, RedisOptions options, string replicaId)
    {
        var configuration = new ConfigurationOptions
        {
            EndPoints = { { url.Host, url.Port } },
            User = options.User ?? url.User,
            Password = options.Password ?? url.Password,
            DefaultDatabase = options.Database ?? url.Database,
            Ssl = url.Tls,
            SslHost = url.Tls ? url.Host : null,
            ClientName = "gateway-" + replicaId,
            ChannelPrefix = RedisChannel.Literal(options.KeyPrefix),
            // Keep serving when Redis is down at start; fail commands at once instead of queueing them while disconnected.
            AbortOnConnectFail = false,
            BacklogPolicy = BacklogPolicy.FailFast,
            ConnectTimeout = options.ConnectTimeoutMs,
            ConnectRetry = 1,
            SyncTimeout = options.OperationTimeoutMs,
            AsyncTimeout = options.OperationTimeoutMs,
            // Reconnect attempts every half second at most, so a Redis that comes back is used again within about a second.
            ReconnectRetryPolicy = new LinearRetry(500),
            KeepAlive = 5,
        };
        return configuration;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Fleet mode: connected to {Redis} as replica {Replica}.")]
        public static partial void Connected(ILogger logger, string redis, string replica);

        [LoggerMessage(2, LogLevel.Warning, "Fleet mode: {Redis} is not reachable at start; serving from the local copy and retrying in the background.")]
        public static partial void StartedDisconnected(ILogger logger, string redis);

        [LoggerMessage(3, LogLevel.Warning, "Fleet mode: lost the connection to {Redis} ({Failure}); serving from the local copy until it returns.")]
        public static partial void Lost(ILogger logger, string redis, string failure);

        [LoggerMessage(4, LogLevel.Information, "Fleet mode: the connection to {Redis} is back.")]
        public static partial void Restored(ILogger logger, string redis);
    }
}
