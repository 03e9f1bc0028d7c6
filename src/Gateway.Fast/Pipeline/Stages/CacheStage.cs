using Gateway.Fast.Caching;
using Gateway.Fast.Metrics;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Pipeline.Stages;

/// <summary>
/// Stage 5, cache: the key, the lookup and a HIT replayed (an event stream as an event stream); on a MISS, the request
/// leads its key's flight or waits for the identical request already on its way (<see cref="CacheFlights"/>). After
/// the relay, <see cref="CommitAsync"/> stores what the relay captured.
/// </summary>
internal sealed class CacheStage(ICacheStore store, CacheFlights flights, GatewayMetrics metrics, TimeProvider time)
{
    /// <summary>
    /// Decides the cache controls and key for this request (or Universal step) and, on a HIT, answers from the cache.
    /// True when the response was served. A body that streamed from the caller (not buffered) is never cached.
    /// </summary>
    public ValueTask<bool> TryServeAsync(RequestContext ctx, IHeaderDictionary controls, string provider,
        ReadOnlySpan<char> path, ReadOnlySpan<char> query, IHeaderDictionary credentials, ReadOnlySpan<byte> body, bool bodyCacheable)
    {
        var gateway = ctx.Gateway!;
        var cache = bodyCacheable ? CacheControls.Parse(controls, gateway.CacheTtl, ctx.IsStream) : CacheControls.Off;
        ctx.Cache.Controls = cache;
        ctx.Recorder.Abandon();
        ctx.Cache.LandFlight(); // a Universal step before this one led a flight and moved on
        ctx.Cache.Completed = false;
        if (cache.Mode != CacheMode.On)
        {
            metrics.RecordCache(gateway.Id, cache.Mode == CacheMode.Bypass ? CacheHeaders.Bypass : CacheHeaders.Miss);
            return new(false);
        }

        long generation = store.GetGeneration(gateway.Id);
        ctx.Cache.Key = cache.HasCustomKey
            ? CacheKey.ForCustomKey(gateway.Id, generation, cache.CustomKey)
            : CacheKey.Compute(gateway.Id, generation, provider, path, query, credentials, body);
        return ServeHitAsync(ctx);
    }

    /// <summary>
    /// Looks the key up; on a MISS, leads the key's flight (goes to the provider) or waits for the identical request
    /// already on its way and looks again (see <see cref="CacheFlights"/>). Metrics count the final answer only.
    /// </summary>
    private async ValueTask<bool> ServeHitAsync(RequestContext ctx)
    {
        var http = ctx.Http;
        while (true)
        {
            if (await TryReplayAsync(ctx))
            {
                return true;
            }

            if (flights.TryLead(ctx.Cache.Key, out var flight, out var inFlight))
            {
                // The previous leader may have stored and landed between the lookup above and TryLead: look once more,
                // so a request that arrives as an identical answer is stored never calls the provider again.
                ctx.Cache.Flight = flight;
                if (await TryReplayAsync(ctx))
                {
                    ctx.Cache.LandFlight();
                    return true;
                }

                metrics.RecordCache(ctx.Gateway!.Id, CacheHeaders.Miss);
                return false;
            }

            if (await flights.WaitAsync(inFlight!, http.RequestAborted))
            {
                metrics.RecordCache(ctx.Gateway!.Id, CacheHeaders.Miss);
                return false; // the leader's answer was whole but uncacheable, or the caller left: no queueing
            }
        }
    }

    /// <summary>Answers from the cache when the key holds a live entry.</summary>
    private async ValueTask<bool> TryReplayAsync(RequestContext ctx)
    {
        var http = ctx.Http;
        using var hit = await store.GetAsync(ctx.Cache.Key, time.GetUtcNow().ToUnixTimeMilliseconds(), http.RequestAborted);
        if (!hit.IsHit)
        {
            return false;
        }

        metrics.RecordCache(ctx.Gateway!.Id, CacheHeaders.Hit);
        ctx.Cache.Hit = true;
        ctx.Log.FirstByteTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        ctx.Log.ResponseBytes = hit.Body.Length;
        if (ctx.Log.CaptureResponse)
        {
            ctx.ResponseCapture.Append(hit.Body);
        }

        if (ctx.Log.Collect && ctx.Provider is { } provider)
        {
            if (hit.TryGetUsage(out var stored))
            {
                ctx.Usage.ResetToKnown(in stored); // read from the provider's answer when the entry was stored
            }
            else
            {
                // The stored bytes are the answer the client got: its usage is read from them once, for the row. A
                // translated answer was stored in OpenAI's shape, whatever the provider's was.
                ctx.Usage.Reset(ctx.Log.Translated ? Accounting.UsageWireFormat.OpenAI
                    : Accounting.UsageFormatSelector.Select(provider.Descriptor.Usage, ContentTypeOf(hit), ctx.ProviderPath));
                ctx.Usage.Append(hit.Body);
            }
        }

        await CacheReplay.WriteAsync(http.Response, hit, http.RequestAborted);
        return true;
    }

    private static string? ContentTypeOf(CachedResponse hit)
    {
        foreach (var header in hit.Headers)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(header.Name, "content-type"u8))
            {
                return HeaderStringCache.Get(header.Value);
            }
        }

        return null;
    }

    /// <summary>After the relay: store the captured entry when the upstream ended normally with 2xx, then land the flight.</summary>
    /// <remarks>
    /// The entry is stored before the response completes (one in-memory upsert), so a client that sends the same
    /// request as soon as it has read this answer gets a HIT. Where the body's end reached the client earlier (a
    /// Content-Length answer), the flight still stands until the store is done, and the second request waits on it.
    /// </remarks>
    public async ValueTask CommitAsync(RequestContext ctx)
    {
        if (!ctx.Cache.Completed)
        {
            ctx.Recorder.Abandon();
            // A whole 2xx the recorder let go (over the size limit): waiting on another leader would store nothing either.
            ctx.Cache.LandFlight(uncacheable: ctx.Http.Response.StatusCode is >= 200 and < 300);
            return;
        }

        // The usage the answer reported goes with it, so a logged HIT need not read the stored body again for its row.
        var usage = ctx.Log.Collect ? ctx.Usage.Complete() : default;
        await ctx.Recorder.CommitAsync(store, ctx.Cache.Key, time.GetUtcNow().ToUnixTimeMilliseconds(), ctx.Cache.Controls.TtlSeconds,
            in usage);
        ctx.Cache.LandFlight();
        await ctx.Http.Response.CompleteAsync();
    }
}
