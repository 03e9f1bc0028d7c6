namespace Gateway.Fast.Hosting;

/// <summary>Kestrel and thread-pool limits for an edge proxy (<c>Gateway:Server</c>).</summary>
/// <remarks>
/// Each held stream costs two descriptors (caller and upstream), so a ramp to 10,000 streams needs a descriptor limit above
/// 20,000 (<c>ulimit -n</c>, systemd <c>LimitNOFILE</c>, Docker <c>--ulimit nofile</c>) and an accept queue deeper than
/// the socket transport's default of 512.
/// </remarks>
public sealed class ServerLimitsOptions
{
    public const string SectionName = "Gateway:Server";

    /// <summary>Connections the kernel queues before the gateway accepts them. Linux caps it at <c>net.core.somaxconn</c>
    /// (4096 by default since kernel 5.4); 512, the transport's default, overflowed during a ramp to 10,000 streams.</summary>
    public int ListenBacklog { get; set; } = 4096;

    /// <summary>How long a stopping gateway (SIGTERM) lets requests in flight, streams included, finish before it aborts
    /// them; it takes no new connections meanwhile. Then the log is flushed. Keep it under the orchestrator's grace
    /// period (Kubernetes: 30 s by default).</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 25;

    /// <summary>Open connections Kestrel accepts before it refuses new ones. Null (the default) derives it from the
    /// process's descriptor limit: (limit − <see cref="DescriptorReserve"/>) / 2, each connection's stream needing a
    /// second descriptor upstream; unlimited where the limit is unknown or unlimited.</summary>
    /// <remarks>Without a cap, a ramp past the descriptor limit failed upstream connects and then took the process down:
    /// at 10,000 streams under a 20,000 limit the runtime itself could not open what it needed and aborted ("Out of
    /// memory."). With the cap, connections past it are closed at accept and the streams already held go on.</remarks>
    public long? MaxConcurrentConnections { get; set; }

    /// <summary>Descriptors kept out of the derived connection cap for everything else the process opens: the stores'
    /// files, the log's segments, Redis, the runtime's own.</summary>
    public int DescriptorReserve { get; set; } = 1024;

    /// <summary>The connection cap Kestrel gets: the configured one, else the one the descriptor limit allows.</summary>
    public long? EffectiveMaxConcurrentConnections(long? descriptorLimit)
    {
        if (MaxConcurrentConnections is { } configured)
        {
            return configured;
        }

        return descriptorLimit is { } limit && limit - DescriptorReserve >= 2 ? (limit - DescriptorReserve) / 2 : null;
    }

    /// <summary>Upgraded (WebSocket) connections allowed at once; null leaves it unlimited.</summary>
    public long? MaxConcurrentUpgradedConnections { get; set; }

    /// <summary>Thread-pool threads added to its minimum for storage writes that block a thread.</summary>
    /// <remarks>On Linux, FASTER's file device writes with a blocking <c>pwrite</c> (write-through, unbuffered) on a pool
    /// thread, and its commit and checkpoint metadata writes wait on a semaphore on another one. A cache checkpoint and a
    /// request-log commit together hold up to eight such threads for as long as the disk takes; with the pool's minimum of
    /// one thread per core, request handling then waited for the pool's starvation injection (about one thread per 0.5 s).
    /// Raising the minimum costs nothing at idle: threads are created only when work is queued and none is free.</remarks>
    public int BlockingIoThreads { get; set; } = 8;
}
