using System.Collections.Concurrent;

namespace Gateway.Fast.Utilities;

/// <summary>
/// Remembers a computed answer per string (header names, request paths), so a per-request question whose answer depends
/// only on a string from a small set (a header name's log verdict, a path's model type) is asked once, not with several
/// case-insensitive searches on every request.
/// </summary>
/// <remarks>
/// A lookup of a known string is one hash and one ordinal compare, with no allocation. The first <c>capacity</c>
/// distinct strings (of at most 256 characters) are kept; past that, answers are computed every time, so strings that
/// never repeat (a path with an id in it) cannot grow it. A direct-mapped table was tried first: two header names of
/// one response that shared a slot evicted each other on every request.
/// </remarks>
internal sealed class StringMemo<T>(Func<string, T> compute, int capacity = 1_024)
{
    private const int MaxLength = 256;
    private readonly ConcurrentDictionary<string, T> _known = new();
    private int _count;

    public T Get(string key)
    {
        if (_known.TryGetValue(key, out var value))
        {
            return value;
        }

        value = compute(key);
        if (key.Length <= MaxLength && Volatile.Read(ref _count) < capacity && _known.TryAdd(key, value))
        {
            Interlocked.Increment(ref _count);
        }

        return value;
    }
}
