using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Gateway.Fast.Configuration;

namespace Gateway.Fast.RateLimiting;

/// <summary>In-process, lock-free <see cref="IRateLimiter"/>: fixed and sliding windows per key, counted with CompareExchange.</summary>
/// <remarks>
/// <para>Each key owns one <see cref="WindowState"/> (the only allocation, when a key is first seen) holding two 64-bit
/// slots. A slot packs the unix second its window starts at and the requests admitted in it:</para>
/// <code>
/// slot = [ window start, unix seconds : 32 | admitted : 32 ]     (unix seconds fit 32 bits until 2106)
/// window index i = ⌊now / interval⌋, start = i · interval        (clock-aligned, as Cloudflare's "fixed" is)
/// current window → slot[i &amp; 1], previous window → slot[(i − 1) &amp; 1]
/// </code>
/// <para><b>Fixed</b>: read the current slot; a start older than this window means a new window (write start, 1);
/// otherwise admit while admitted &lt; limit (write +1). Both writes are one CompareExchange on the one word that holds the
/// count and its window, so racing callers can never admit more than the limit: a loser re-reads and re-decides.
/// A denial writes nothing, so a key hammered past its limit costs readers only.</para>
/// <para><b>Sliding</b> ("the last N seconds"): the sliding-window counter of Cloudflare's own limiter. With e the time
/// elapsed in the current window and prev the previous window's count (0 unless that slot holds exactly the previous
/// window), admit when <c>current + prev · (interval − e) / interval &lt; limit</c>, compared exactly in 128-bit ticks.
/// The previous slot is only read; the admit is the same CompareExchange on the current slot as fixed, so the
/// current window alone also never passes the limit. Why an approximation: an exact sliding log needs a timestamp per
/// admitted request (limit × 8 bytes per key, allocated or pooled per key, and a multi-word update that cannot be one
/// CAS). The counter is two words, one CAS, and it assumes the previous window's requests were spread evenly; a
/// burst at the end of one window followed by one at the start of the next is held to about the limit, not 2× as
/// with fixed windows.</para>
/// <para><b>Policy changes</b> apply to the next call: the policy is an argument and counts are kept, so a lowered limit
/// denies at once and a raised one admits the difference. Fixed and sliding share the slots, so switching technique
/// keeps the counts. A changed interval starts counting in the new interval's windows (a slot whose start is not the
/// new window's is stale); a slot whose start lies after "now" (the clock stepped back, or the interval grew) is kept
/// as the current window until the clock passes it, which errs on the side of denying.</para>
/// <para><b>Expiry</b>: <see cref="Sweep"/> removes keys whose newest window ended two intervals ago. It first swaps
/// both slots to a retired marker with CompareExchange, so a caller that raced it fails its own CAS and looks the key
/// up again instead of counting into a removed state. That caller spins only while a sweep is between its two CASes
/// on that one idle key; everything else is lock-free.</para>
/// <para><b>Caller keys</b> (<c>cf-aig-rate-limit-key</c>) are chosen by callers, so their number is bounded too; see
/// <see cref="DefaultMaxCallerKeys"/>.</para>
/// </remarks>
public sealed partial class LocalRateLimiter : IRateLimiter
{
    private const long TicksPerSecond = TimeSpan.TicksPerSecond;
    private const long UnixEpochTicks = 621_355_968_000_000_000; // DateTimeOffset.UnixEpoch.Ticks

    private readonly ConcurrentDictionary<RateLimitKey, WindowState> _states = new();
    private readonly TimeProvider _time;

    public LocalRateLimiter(TimeProvider time)
        : this(time, DefaultMaxCallerKeys)
    {
    }

    /// <summary>A limiter that tracks at most <paramref name="maxCallerKeys"/> caller keys at once (tests use a small bound).</summary>
    internal LocalRateLimiter(TimeProvider time, int maxCallerKeys)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCallerKeys);
        _time = time;
        _coarse = ReferenceEquals(time, TimeProvider.System);
        _maxCallerKeys = maxCallerKeys;
    }

    /// <summary>Keys currently tracked (takes the dictionary's locks; for tests and metrics, not the hot path).</summary>
    public int KeyCount => _states.Count;

    /// <inheritdoc />
    /// <remarks>Always completes synchronously: <see cref="TryAcquire"/>.</remarks>
    public ValueTask<RateLimitDecision> AcquireAsync(in RateLimitKey key, in RateLimitPolicy policy) => new(TryAcquire(key, policy));

    /// <summary>Counts one request for <paramref name="key"/> if <paramref name="policy"/> admits it (see <see cref="IRateLimiter.AcquireAsync"/>).</summary>
    public RateLimitDecision TryAcquire(in RateLimitKey key, in RateLimitPolicy policy)
    {
        int limit = policy.Limit;
        int interval = policy.IntervalSeconds;
        if (limit <= 0 || interval <= 0)
        {
            return RateLimitDecision.Allow; // default(RateLimitPolicy): limiting is off
        }

        long now = NowTicks();
        if (!_states.TryGetValue(key, out var state))
        {
            state = GetOrAdd(key);
        }

        if (state.IntervalSeconds != interval)
        {
            state.IntervalSeconds = interval; // for Sweep only; a racing write of another policy's interval is harmless
        }

        var window = new Window(now, interval);
        RateLimitDecision decision;
        while (!(policy.Technique == RateLimitingTechnique.Sliding
            ? TryAcquireSliding(state, in window, (uint)limit, out decision)
            : TryAcquireFixed(state, in window, (uint)limit, out decision)))
        {
            state = Reacquire(key, state); // swept under us: count in the key's new state
        }

        return decision;
    }

    private static bool TryAcquireFixed(WindowState state, in Window window, uint limit, out RateLimitDecision decision)
    {
        ref long slot = ref state.Slot(window.Index);
        long word = Volatile.Read(ref slot);
        while (true)
        {
            if (word == WindowState.Retired)
            {
                decision = default;
                return false;
            }

            uint start = Start(word);
            long next;
            if (start < window.Start)
            {
                next = Pack(window.Start, 1); // first request of a new window
            }
            else if (Count(word) < limit)
            {
                next = word + 1;
            }
            else
            {
                decision = DenyFixed(in window, start);
                return true;
            }

            long seen = Interlocked.CompareExchange(ref slot, next, word);
            if (seen == word)
            {
                decision = RateLimitDecision.Allow;
                return true;
            }

            word = seen;
        }
    }

    private static bool TryAcquireSliding(WindowState state, in Window window, uint limit, out RateLimitDecision decision)
    {
        long previous = Volatile.Read(ref state.Slot(window.Index - 1));
        ref long slot = ref state.Slot(window.Index);
        long word = Volatile.Read(ref slot);
        if (previous == WindowState.Retired)
        {
            decision = default;
            return false;
        }

        // Only the window right before this one weighs; an older or foreign slot counts 0.
        uint previousCount = Start(previous) == window.Start - window.Interval && window.Start >= window.Interval
            ? Count(previous) : 0;
        while (true)
        {
            if (word == WindowState.Retired)
            {
                decision = default;
                return false;
            }

            uint start = Start(word);
            bool stale = start < window.Start;
            uint current = stale ? 0 : Count(word);

            // current + previous · (I − e) / I < limit, multiplied through by I (ticks) so nothing rounds.
            UInt128 weighed = (UInt128)current * (ulong)window.IntervalTicks + (UInt128)previousCount * (ulong)window.RemainingTicks;
            if (weighed >= (UInt128)limit * (ulong)window.IntervalTicks)
            {
                decision = DenySliding(in window, limit, current, previousCount);
                return true;
            }

            long next = stale ? Pack(window.Start, 1) : word + 1;
            long seen = Interlocked.CompareExchange(ref slot, next, word);
            if (seen == word)
            {
                decision = RateLimitDecision.Allow;
                return true;
            }

            word = seen;
        }
    }

    /// <summary>Wait until this window ends (or, after a clock step back, until the kept window ends).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static RateLimitDecision DenyFixed(in Window window, uint keptStart)
    {
        long end = ((long)Math.Max(keptStart, window.Start) + window.Interval) * TicksPerSecond;
        return RateLimitDecision.DenyTicks(end - window.Now);
    }

    /// <summary>Wait until the weighted count first drops below the limit, if nobody else is admitted meanwhile.</summary>
    /// <remarks>
    /// The condition is strict (&lt;), so the earliest admitting instant is one tick after the boundary computed here;
    /// <see cref="RateLimitDecision.DenyTicks"/> rounds that up, which makes a whole-second boundary one second more.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static RateLimitDecision DenySliding(in Window window, uint limit, uint current, uint previous)
        => SlidingWait(window.IntervalTicks, window.ElapsedTicks, limit, current, previous);

    /// <summary>The denial of a sliding window in which <paramref name="elapsedTicks"/> of <paramref name="intervalTicks"/> have
    /// passed, <paramref name="current"/> requests counted and <paramref name="previous"/> in the window before (shared with
    /// the fleet's limiter, whose counts come from Redis).</summary>
    internal static RateLimitDecision SlidingWait(long intervalTicks, long elapsedTicks, uint limit, uint current, uint previous)
    {
        long wait;
        if (current < limit && previous > 0)
        {
            // Still this window, once previous · (I − e) < (limit − current) · I, i.e. e > I − (limit − current) · I / previous.
            long headroom = (long)((UInt128)(limit - current) * (ulong)intervalTicks / previous);
            wait = intervalTicks - headroom - elapsedTicks;
        }
        else
        {
            // Next window, where this one's count weighs as previous: e' > I − limit · I / current.
            long headroom = (long)((UInt128)limit * (ulong)intervalTicks / Math.Max(current, 1));
            wait = intervalTicks - elapsedTicks + intervalTicks - headroom;
        }

        return RateLimitDecision.DenyTicks(wait + 1);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private WindowState GetOrAdd(in RateLimitKey key)
        => key.Scope == RateLimitScope.Caller ? GetOrAddCaller(key) : _states.GetOrAdd(key, static _ => new WindowState());

    /// <summary>The state that now stands for <paramref name="key"/>, after <paramref name="retired"/> was (being) swept.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private WindowState Reacquire(in RateLimitKey key, WindowState retired)
    {
        var spin = new SpinWait();
        while (true)
        {
            if (!_states.TryGetValue(key, out var state))
            {
                return GetOrAdd(key);
            }

            if (!ReferenceEquals(state, retired) || !state.IsRetiring)
            {
                return state; // a new state, or the sweep backed off and restored this one
            }

            spin.SpinOnce(); // a sweep is between its two CASes on this idle key
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Pack(uint start, uint count) => (long)(((ulong)start << 32) | count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Start(long word) => (uint)((ulong)word >> 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Count(long word) => (uint)word;
}
