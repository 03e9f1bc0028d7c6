namespace Gateway.Fast.Utilities;

/// <summary>
/// Remembers a computed answer for a few recent strings (header names, request paths), so a per-request question whose
/// answer depends only on a string from a small set (a header name's log verdict, a path's model type) is asked once,
/// not with several case-insensitive searches on every request.
/// </summary>
/// <remarks>
/// A direct-mapped table of immutable entries: a lookup hashes the string, reads one slot and compares ordinally; a
/// miss computes the answer and takes the slot (one small allocation). Thread-safe without locks: an entry is
/// published whole, and a lost race only computes once more. Strings longer than <see cref="MaxLength"/> are not kept.
/// </remarks>
internal sealed class StringMemo<T>(Func<string, T> compute)
{
    private const int Slots = 128; // a power of two
    private const int MaxLength = 256;
    private readonly Entry?[] _table = new Entry?[Slots];

    public T Get(string key)
    {
        if (key.Length > MaxLength)
        {
            return compute(key);
        }

        int slot = key.GetHashCode() & (Slots - 1);
        var entry = Volatile.Read(ref _table[slot]);
        if (entry is not null && string.Equals(entry.Key, key))
        {
            return entry.Value;
        }

        var value = compute(key);
        Volatile.Write(ref _table[slot], new Entry(key, value));
        return value;
    }

    private sealed record Entry(string Key, T Value);
}
