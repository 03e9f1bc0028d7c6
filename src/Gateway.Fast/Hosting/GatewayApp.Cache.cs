using Gateway.Fast.Caching;
using Gateway.Fast.Errors;
using Gateway.Fast.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Hosting;

/// <summary>The cache stage (design §2 stage 7): look up before dispatch, commit after a complete 2xx relay.</summary>
internal sealed partial class GatewayApp
{
    /// <summary>
    /// Decides the cache controls and key for this request (or Universal step) and, on a HIT, answers from the cache.
    /// True when the response was served. A body that streamed from the caller (not buffered) is never cached.
    /// </summary>
    private ValueTask<bool> TryServeFromCacheAsync(RequestContext ctx, IHeaderDictionary controls, string provider,
        ReadOnlySpan<char> path, ReadOnlySpan<char> query, IHeaderDictionary credentials, ReadOnlySpan<byte> body, bool bodyCacheable)
    {
        var gateway = ctx.Gateway!;
        var cache = bodyCacheable ? CacheControls.Parse(controls, gateway.CacheTtl, ctx.IsStream) : CacheControls.Off;
        ctx.CacheControls = cache;
        ctx.Recorder.Abandon();
        ctx.CacheCompleted = false;
        if (cache.Mode != CacheMode.On)
        {
            _metrics.RecordCache(gateway.Id, cache.Mode == CacheMode.Bypass ? CacheHeaders.Bypass : CacheHeaders.Miss);
            return new(false);
        }

        long generation = _cache.GetGeneration(gateway.Id);
        ctx.CacheKey = cache.HasCustomKey
            ? CacheKey.ForCustomKey(gateway.Id, generation, cache.CustomKey)
            : CacheKey.Compute(gateway.Id, generation, provider, path, query, credentials, body);
        return ServeHitAsync(ctx);
    }

    private async ValueTask<bool> ServeHitAsync(RequestContext ctx)
    {
        var http = ctx.Http;
        using var hit = await _cache.GetAsync(ctx.CacheKey, _time.GetUtcNow().ToUnixTimeMilliseconds(), http.RequestAborted);
        _metrics.RecordCache(ctx.Gateway!.Id, hit.IsHit ? CacheHeaders.Hit : CacheHeaders.Miss);
        if (!hit.IsHit)
        {
            return false;
        }

        ctx.CacheHit = true;
        ctx.FirstByteTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        ctx.ResponseBytes = hit.Body.Length;
        if (ctx.CaptureResponse)
        {
            ctx.ResponseCapture.Append(hit.Body);
        }

        if (ctx.CollectLog && ctx.Provider is { } provider)
        {
            // The stored bytes are the provider's answer: its usage is read from them once, for the row.
            ctx.Usage.Reset(Accounting.UsageFormatSelector.Select(provider.Id, ContentTypeOf(hit), ctx.ProviderPath));
            ctx.Usage.Append(hit.Body);
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
                return System.Text.Encoding.UTF8.GetString(header.Value);
            }
        }

        return null;
    }

    /// <summary>After the relay: store the captured entry when the upstream ended normally with 2xx.</summary>
    /// <remarks>The response is completed first, so the client never waits on the store.</remarks>
    private async ValueTask CommitCacheAsync(RequestContext ctx)
    {
        if (!ctx.CacheCompleted)
        {
            ctx.Recorder.Abandon();
            return;
        }

        await ctx.Http.Response.CompleteAsync();
        await ctx.Recorder.CommitAsync(_cache, ctx.CacheKey, _time.GetUtcNow().ToUnixTimeMilliseconds(), ctx.CacheControls.TtlSeconds);
    }
}
