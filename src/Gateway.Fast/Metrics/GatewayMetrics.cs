using System.Collections.Concurrent;
using Prometheus;

namespace Gateway.Fast.Metrics;

/// <summary>Every prometheus-net instrument of the gateway, with per-(gateway, provider) children cached so recording allocates nothing.</summary>
/// <remarks>Labels are gateway ids and catalog slugs, both bounded; request data never becomes a label.</remarks>
public sealed class GatewayMetrics
{
    /// <summary>Label used when a request failed before its gateway or provider was known.</summary>
    public const string Unknown = "unknown";

    private static readonly string[] StatusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx", "other"];

    private readonly Counter _requests;
    private readonly Histogram _duration;
    private readonly Histogram _overhead;
    private readonly Histogram _upstream;
    private readonly Counter _cache;
    private readonly Counter _tokens;
    private readonly Counter _cost;
    private readonly Counter _rateLimited;
    private readonly Counter _upstreamErrors;
    private readonly Histogram _ttft;
    private readonly Gauge _logQueue;
    private readonly Gauge _storageBytes;
    private readonly Gauge _storageBudget;
    private readonly Gauge _logRows;
    private readonly Gauge _memory;
    private readonly Gauge _descriptors;
    private readonly CollectorRegistry _registry;
    private readonly ConcurrentDictionary<(string Gateway, string Provider), Children> _children = new();
    private readonly ConcurrentDictionary<(string Gateway, string Result), Counter.Child> _cacheChildren = new();
    private readonly ConcurrentDictionary<(string Gateway, string Provider, string Model), UsageChildren> _usageChildren = new();
    private readonly ConcurrentDictionary<(string Gateway, string Provider, string Kind), Counter.Child> _errorChildren = new();

    public GatewayMetrics(CollectorRegistry? registry = null)
    {
        if (registry is null)
        {
            SuppressPerRequestDefaults();
        }

        var factory = Prometheus.Metrics.WithCustomRegistry(registry ?? Prometheus.Metrics.DefaultRegistry);
        // Exemplars read Activity.Current on every observation; the gateway's own figures do not need them.
        factory.ExemplarBehavior = ExemplarBehavior.NoExemplars();
        _requests = factory.CreateCounter("gateway_requests_total", "Proxy requests answered, by gateway, provider and status class.",
            new CounterConfiguration { LabelNames = ["gateway", "provider", "status_class"] });
        _duration = factory.CreateHistogram("gateway_request_duration_seconds", "Time from request start to the last response byte.",
            new HistogramConfiguration { LabelNames = ["gateway", "provider"], Buckets = Histogram.ExponentialBuckets(0.0005, 2, 18) });
        _overhead = factory.CreateHistogram("gateway_overhead_seconds",
            "Time the gateway itself added: total minus time waiting on the upstream (headers and body reads).",
            new HistogramConfiguration { LabelNames = ["gateway", "provider"], Buckets = Histogram.ExponentialBuckets(0.000005, 2, 16) });
        _cache = factory.CreateCounter("gateway_cache_requests_total", "Cache lookups by gateway and result (HIT, MISS, BYPASS).",
            new CounterConfiguration { LabelNames = ["gateway", "result"] });
        _tokens = factory.CreateCounter("gateway_tokens_total", "Tokens by gateway, provider, model and direction (in, out), as logged.",
            new CounterConfiguration { LabelNames = ["gateway", "provider", "model", "direction"] });
        _cost = factory.CreateCounter("gateway_cost_usd_total", "Cost in USD by gateway, provider and model, as logged.",
            new CounterConfiguration { LabelNames = ["gateway", "provider", "model"] });
        _rateLimited = factory.CreateCounter("gateway_rate_limited_total", "Requests refused by a gateway's rate limit.",
            new CounterConfiguration { LabelNames = ["gateway"] });
        _upstreamErrors = factory.CreateCounter("gateway_upstream_errors_total",
            "Upstream attempts and relays that failed, by gateway, provider and kind (dns, connection_refused, connection_reset, "
            + "timeout, upstream_body_error, provider_error_event, client_gone, request_too_large, other).",
            new CounterConfiguration { LabelNames = ["gateway", "provider", "kind"] });
        _ttft = factory.CreateHistogram("gateway_time_to_first_byte_seconds", "Time from request start to the first response body byte.",
            new HistogramConfiguration { LabelNames = ["gateway", "provider"], Buckets = Histogram.ExponentialBuckets(0.0005, 2, 18) });
        _logQueue = factory.CreateGauge("gateway_log_queue_depth", "Log rows waiting for the background writer.");
        _storageBytes = factory.CreateGauge("gateway_storage_bytes", "Bytes a store's folder takes on disk, by store (logs, cache).",
            new GaugeConfiguration { LabelNames = ["store"] });
        _storageBudget = factory.CreateGauge("gateway_storage_budget_bytes",
            "Disk budget of a store, by store (logs: the whole folder; cache: its log); 0 when it has none.",
            new GaugeConfiguration { LabelNames = ["store"] });
        _logRows = factory.CreateGauge("gateway_log_rows", "Log rows kept, all gateways together.");
        _memory = factory.CreateGauge("gateway_memory_bytes",
            "Process memory by kind: resident (VmRSS), managed_heap, gc_committed, cache (the response cache's pages and index).",
            new GaugeConfiguration { LabelNames = ["kind"] });
        _descriptors = factory.CreateGauge("gateway_file_descriptors", "File descriptors: open, and limit (RLIMIT_NOFILE, soft).",
            new GaugeConfiguration { LabelNames = ["kind"] });
        _registry = registry ?? Prometheus.Metrics.DefaultRegistry;
        _upstream = factory.CreateHistogram("gateway_upstream_duration_seconds", "Time spent waiting on the upstream.",
            new HistogramConfiguration { LabelNames = ["gateway", "provider"], Buckets = Histogram.ExponentialBuckets(0.0005, 2, 18) });
    }

    public void Record(string gateway, string provider, int status, double totalSeconds, double upstreamSeconds)
    {
        var c = _children.GetOrAdd((gateway, provider), static (key, self) => self.Create(key.Gateway, key.Provider), this);
        int cls = status is >= 100 and < 600 ? (status / 100) - 1 : 5;
        c.Requests[cls].Inc();
        c.Duration.Observe(totalSeconds);
        c.Upstream.Observe(upstreamSeconds);
        c.Overhead.Observe(Math.Max(0, totalSeconds - upstreamSeconds));
    }

    /// <summary>Accounting figures of one logged request (labels are ids from the catalog and the gateway store only).</summary>
    /// <remarks>The labelled children are cached per (gateway, provider, model), so a request allocates no label array; each
    /// is created on its first observation, so a series appears exactly when it would with <c>WithLabels</c>.</remarks>
    public void RecordUsage(string gateway, string provider, string model, int? tokensIn, int? tokensOut, double? cost,
        double? timeToFirstByteSeconds)
    {
        if (tokensIn is not null || tokensOut is not null || cost is not null)
        {
            if (!_usageChildren.TryGetValue((gateway, provider, model), out var usage))
            {
                model = BoundedModel(model);
                usage = _usageChildren.Count < MaxUsageChildren
                    ? _usageChildren.GetOrAdd((gateway, provider, model), static _ => new UsageChildren())
                    : new UsageChildren(); // past the bound (many gateways × providers × models): looked up each time, as before
            }

            if (tokensIn is int i)
            {
                (usage.TokensIn ??= _tokens.WithLabels(gateway, provider, model, "in")).Inc(i);
            }

            if (tokensOut is int o)
            {
                (usage.TokensOut ??= _tokens.WithLabels(gateway, provider, model, "out")).Inc(o);
            }

            if (cost is double c)
            {
                (usage.Cost ??= _cost.WithLabels(gateway, provider, model)).Inc(c);
            }
        }

        if (timeToFirstByteSeconds is double t)
        {
            var children = _children.GetOrAdd((gateway, provider), static (key, self) => self.Create(key.Gateway, key.Provider), this);
            (children.Ttft ??= _ttft.WithLabels(gateway, provider)).Observe(t);
        }
    }

    /// <summary>Most cached (gateway, provider, model) usage entries; each holds at most three children.</summary>
    private const int MaxUsageChildren = 4_096;

    /// <summary>Most distinct model names a process labels; later ones count as <see cref="OtherModel"/>.</summary>
    public const int MaxModels = 200;

    public const string OtherModel = "other";

    private readonly ConcurrentDictionary<string, byte> _models = new(StringComparer.Ordinal);

    /// <summary>
    /// Model names come from request bodies, so they are caller input: the first <see cref="MaxModels"/> distinct ones
    /// become labels, the rest share one, so no caller can grow the series without bound.
    /// </summary>
    private string BoundedModel(string model)
    {
        if (model.Length == 0 || model.Length > 128)
        {
            return model.Length == 0 ? Unknown : OtherModel;
        }

        if (_models.ContainsKey(model) || (_models.Count < MaxModels && _models.TryAdd(model, 0)))
        {
            return model;
        }

        return OtherModel;
    }

    /// <summary>Samples the log queue's depth at each scrape (not per request).</summary>
    public void TrackLogQueue(Func<int> depth) => _registry.AddBeforeCollectCallback(() => _logQueue.Set(depth()));

    /// <summary>Samples a store's folder size and budget at each scrape (a walk of its few dozen files); <paramref name="store"/> is a fixed name.</summary>
    public void TrackStorage(string store, Func<(long Bytes, long BudgetBytes)> read)
    {
        var bytes = _storageBytes.WithLabels(store);
        var budget = _storageBudget.WithLabels(store);
        _registry.AddBeforeCollectCallback(() =>
        {
            var (used, limit) = read();
            bytes.Set(used);
            budget.Set(limit);
        });
    }

    /// <summary>Samples the number of log rows kept at each scrape.</summary>
    public void TrackLogRows(Func<long> rows) => _registry.AddBeforeCollectCallback(() => _logRows.Set(rows()));

    /// <summary>Reads the <c>/health</c> memory and descriptor sections at each scrape into <c>gateway_memory_bytes</c> and
    /// <c>gateway_file_descriptors</c> (a figure the platform cannot give stays unset).</summary>
    public void TrackResources(Func<Hosting.MemoryHealth> memory, Func<Hosting.DescriptorHealth> descriptors)
        => _registry.AddBeforeCollectCallback(() =>
        {
            var m = memory();
            if (m.ResidentBytes is { } resident)
            {
                _memory.WithLabels("resident").Set(resident);
            }

            _memory.WithLabels("managed_heap").Set(m.ManagedHeapBytes);
            _memory.WithLabels("gc_committed").Set(m.GcCommittedBytes);
            _memory.WithLabels("cache").Set(m.CacheBytes);
            var d = descriptors();
            if (d.Open is { } open)
            {
                _descriptors.WithLabels("open").Set(open);
            }

            if (d.Limit is { } limit)
            {
                _descriptors.WithLabels("limit").Set(limit);
            }
        });

    /// <summary>Fleet mode: <c>gateway_redis_up</c>, <c>gateway_redis_errors_total</c> by kind and <c>gateway_replica_info</c>,
    /// sampled from the connection at each scrape (nothing is recorded per request).</summary>
    public void TrackRedis(Fleet.RedisConnection redis)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(_registry);
        var up = factory.CreateGauge("gateway_redis_up", "1 while this replica is connected to Redis and its circuit breaker is closed, else 0.");
        var errors = factory.CreateCounter("gateway_redis_errors_total",
            "Redis calls that failed and connections lost, by kind (connection, timeout, server, other).",
            new CounterConfiguration { LabelNames = ["kind"] });
        factory.CreateGauge("gateway_replica_info", "Always 1; its replica label names this replica in the fleet.",
            new GaugeConfiguration { LabelNames = ["replica"] }).WithLabels(redis.ReplicaId).Set(1);
        var kinds = Enum.GetValues<Fleet.RedisErrorKind>();
        var children = Array.ConvertAll(kinds, kind => errors.WithLabels(Fleet.RedisConnection.Label(kind)));
        _registry.AddBeforeCollectCallback(() =>
        {
            up.Set(redis.IsAvailable ? 1 : 0);
            for (int i = 0; i < kinds.Length; i++)
            {
                children[i].IncTo(redis.Errors(kinds[i]));
            }
        });
    }

    /// <summary>Fleet mode's shared tiers: <c>gateway_fleet_live_replicas</c>, <c>gateway_fleet_rate_limit_fallback_total</c>
    /// (decisions counted locally because Redis could not be asked), <c>gateway_fleet_cache_shared_hits_total</c> and
    /// <c>gateway_fleet_cache_oversize_total</c>, sampled at each scrape.</summary>
    public void TrackFleetTiers(Fleet.LiveReplicas replicas, Fleet.FleetRateLimiter? limiter, Fleet.SharedCacheStore? cache)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(_registry);
        var live = factory.CreateGauge("gateway_fleet_live_replicas", "Replicas whose heartbeat this replica last saw in Redis, itself included.");
        var fallback = factory.CreateCounter("gateway_fleet_rate_limit_fallback_total",
            "Rate-limit decisions counted locally against limit / live replicas because Redis could not be asked.");
        var sharedHits = factory.CreateCounter("gateway_fleet_cache_shared_hits_total", "Cache HITs served from Redis and promoted to the local tier.");
        var oversize = factory.CreateCounter("gateway_fleet_cache_oversize_total", "Cache entries kept out of Redis for their size.");
        _registry.AddBeforeCollectCallback(() =>
        {
            live.Set(replicas.Count);
            fallback.IncTo(limiter?.FallbackDecisions ?? 0);
            sharedHits.IncTo(cache?.SharedHits ?? 0);
            oversize.IncTo(cache?.SharedOversize ?? 0);
        });
    }

    public void RecordRateLimited(string gateway) => _rateLimited.WithLabels(gateway).Inc();

    /// <summary>Counts one cache decision; <paramref name="result"/> is one of the three <c>cf-aig-cache-status</c> constants.</summary>
    public void RecordCache(string gateway, string result)
        => _cacheChildren.GetOrAdd((gateway, result), static (key, self) => self._cache.WithLabels(key.Gateway, key.Result), this).Inc();

    /// <summary>Counts one failed upstream exchange; <paramref name="kind"/> is a fixed label from the forwarding error reporter.</summary>
    public void RecordUpstreamError(string gateway, string provider, string kind)
        => _errorChildren.GetOrAdd((gateway, provider, kind), static (key, self) => self._upstreamErrors.WithLabels(key.Gateway, key.Provider, key.Kind),
            this).Inc();

    private static int _defaultsSuppressed;

    /// <summary>
    /// prometheus-net by default listens to every .NET Meter and EventCounter, which makes ASP.NET Core's hosting record
    /// its own per-request histograms on the proxy path (HostingApplicationDiagnostics showed in a profile under wrk).
    /// Process metrics stay; the gateway's own instruments cover requests. One wrk run showed no RPS change either way.
    /// </summary>
    private static void SuppressPerRequestDefaults()
    {
        if (Interlocked.Exchange(ref _defaultsSuppressed, 1) == 0)
        {
            Prometheus.Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions
            {
                SuppressMeters = true,
                SuppressEventCounters = true,
                SuppressDebugMetrics = true,
                SuppressProcessMetrics = false,
            });
        }
    }

    private Children Create(string gateway, string provider)
    {
        var requests = new Counter.Child[StatusClasses.Length];
        for (int i = 0; i < requests.Length; i++)
        {
            requests[i] = _requests.WithLabels(gateway, provider, StatusClasses[i]);
        }

        return new Children(requests, _duration.WithLabels(gateway, provider), _overhead.WithLabels(gateway, provider),
            _upstream.WithLabels(gateway, provider));
    }

    private sealed record Children(Counter.Child[] Requests, Histogram.Child Duration, Histogram.Child Overhead, Histogram.Child Upstream)
    {
        /// <summary>Time to first byte, created on the first logged answer that had one.</summary>
        public Histogram.Child? Ttft { get; set; }
    }

    /// <summary>One (gateway, provider, model)'s usage children; a field stays null until its first observation.</summary>
    private sealed class UsageChildren
    {
        public Counter.Child? TokensIn;
        public Counter.Child? TokensOut;
        public Counter.Child? Cost;
    }
}
