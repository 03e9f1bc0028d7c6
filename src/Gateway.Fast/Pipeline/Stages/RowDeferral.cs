using System.Collections.Concurrent;
using System.Diagnostics;
using Gateway.Fast.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.ObjectPool;
using Microsoft.Extensions.Options;

namespace Gateway.Fast.Pipeline.Stages;

/// <summary>
/// The pool of request contexts and the end of a request's life: a logged request's row is built, encoded and queued
/// after the request delegate returns, on the thread pool, and its context goes back to the pool after that.
/// </summary>
/// <remarks>
/// <para>
/// On an HTTP/1.1 keep-alive connection Kestrel writes a chunked response's last chunk and reads the connection's next
/// request only once the delegate returns: a row built before that (the usage read or estimated over the bodies, the
/// cost, the encoding with bodies) held up the end of a stream and the caller's next request. What is only valid during
/// the request (status, headers) is taken first (<see cref="RequestContext.Detach"/>); the row then owns the context.
/// </para>
/// <para>
/// At most <see cref="RequestLogOptions.MaxDeferredRows"/> rows wait at once (each holds its request's pooled buffers).
/// Past that bound a request builds and queues its own row before it ends, as every request did before, and so waits
/// when the log's queue is full: the back-pressure on callers is kept, and no row is dropped. Disposing (after Kestrel
/// has drained its requests at shutdown, before the log store closes, which was created first) waits for every
/// deferred row to reach the log's queue.
/// </para>
/// <para>
/// The rows wait in one queue that a single thread-pool work item drains while it has rows: under load one wake-up
/// writes many rows, where a work item per row asked the pool for a thread per request; at one request in flight the
/// item runs on the thread that ended the request (its local queue), once Kestrel awaits the connection's next request.
/// </para>
/// </remarks>
internal sealed partial class RowDeferral : IAsyncDisposable, IThreadPoolWorkItem
{
    private readonly ObjectPool<RequestContext> _pool =
        new DefaultObjectPool<RequestContext>(new DefaultPooledObjectPolicy<RequestContext>(), Environment.ProcessorCount * 64);

    private readonly RecordStage _record;
    private readonly ILogger _logger;
    private readonly int _bound;
    private readonly ConcurrentQueue<RequestContext> _waiting = new();
    private int _draining; // 1 while the drain is queued or running
    private int _inFlight;
    private volatile bool _stopping;
    private TaskCompletionSource? _drained;

    public RowDeferral(RecordStage record, IOptions<RequestLogOptions> options, ILogger<RowDeferral> logger)
    {
        _record = record;
        _logger = logger;
        int bound = options.Value.MaxDeferredRows;
        _bound = bound > 0 ? bound : Environment.ProcessorCount * 64;
    }

    /// <summary>Rows taken off their requests and not yet in the log's queue.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public RequestContext Rent() => _pool.Get();

    /// <summary>
    /// Ends the request: an unlogged one's context goes back to the pool; a logged one's row is deferred, or written
    /// now when <see cref="RequestLogOptions.MaxDeferredRows"/> rows already wait.
    /// </summary>
    public ValueTask EndAsync(RequestContext ctx)
    {
        if (!ctx.Log.Collect)
        {
            _pool.Return(ctx);
            return default;
        }

        ctx.Detach(Stopwatch.GetTimestamp());
        if (Interlocked.Increment(ref _inFlight) <= _bound && !_stopping)
        {
            _waiting.Enqueue(ctx);
            if (Interlocked.Exchange(ref _draining, 1) == 0)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
            }

            return default;
        }

        return WriteNowAsync(ctx);
    }

    // Past the bound: the request's own time, as before deferral; its failure reaches Kestrel like any other.
    private async ValueTask WriteNowAsync(RequestContext ctx)
    {
        try
        {
            await _record.AppendAsync(ctx).ConfigureAwait(false);
        }
        finally
        {
            Finish(ctx);
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        while (true)
        {
            while (_waiting.TryDequeue(out var ctx))
            {
                Write(ctx);
            }

            // A row enqueued after the last dequeue but before the flag dropped found the drain running: look again.
            Volatile.Write(ref _draining, 0);
            if (_waiting.IsEmpty || Interlocked.Exchange(ref _draining, 1) != 0)
            {
                return;
            }
        }
    }

    // On the thread pool: the row is built and queued; a full log queue is awaited without holding the thread.
    private void Write(RequestContext ctx)
    {
        ValueTask pending;
        try
        {
            pending = _record.AppendAsync(ctx);
        }
        catch (Exception e)
        {
            Log.RowFailed(_logger, e);
            Finish(ctx);
            return;
        }

        if (pending.IsCompletedSuccessfully)
        {
            pending.GetAwaiter().GetResult();
            Finish(ctx);
            return;
        }

        _ = AwaitRoomAsync(pending, ctx);
    }

    private async Task AwaitRoomAsync(ValueTask pending, RequestContext ctx)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.RowFailed(_logger, e); // nobody awaits a deferred row: its failure is logged here
        }
        finally
        {
            Finish(ctx);
        }
    }

    private void Finish(RequestContext ctx)
    {
        _pool.Return(ctx);
        if (Interlocked.Decrement(ref _inFlight) == 0 && Volatile.Read(ref _drained) is { } drained)
        {
            drained.TrySetResult();
        }
    }

    /// <summary>Waits until every deferred row is in the log's queue; rows of requests that end later are written inline.</summary>
    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _drained, drained);
        if (Volatile.Read(ref _inFlight) == 0)
        {
            drained.TrySetResult();
        }

        await drained.Task.ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "A request's log row could not be built or queued")]
        public static partial void RowFailed(ILogger logger, Exception exception);
    }
}
