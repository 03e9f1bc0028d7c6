namespace Gateway.Fast.Accounting;

/// <summary>
/// Token counts of request strings seen lately, by a 64-bit hash of their JSON form: a chat client resends its system
/// prompt and the whole conversation so far with every turn, and counting a message again costs what counting it the
/// first time did (the tokenizer's pre-tokenizing regular expression over every character, a few microseconds for a
/// short message). Only request strings go in: an answer's text is new each time.
/// </summary>
/// <remarks>
/// A fixed table of <see cref="Slots"/> 64-bit entries (32 KiB), each written and read whole, so a reader sees an entry
/// one thread wrote or an older one, never half of each, and no lock is taken. An entry keeps the hash's upper 40 bits
/// beside a 24-bit count; the lower bits pick the slot, so 52 bits of the hash must match. Two different strings sharing
/// all 52 bits would share a count, about once in 2^40 lookups of a full table: an estimate's error, not a wrong
/// answer. A newer string takes its slot from an older one. The hash is .NET's per-process seeded one, taken twice
/// with different salts, so a caller cannot aim strings at one slot.
/// </remarks>
internal static class TokenCountCache
{
    private const int Slots = 4096;
    private const int CountBits = 24;
    private const ulong CountMask = (1UL << CountBits) - 1;

    private static readonly ulong[] s_entries = new ulong[Slots];

    /// <summary>The 64-bit key of a string by its JSON bytes (escaped as sent: the same text always arrives the same way).</summary>
    public static ulong Key(ReadOnlySpan<byte> json)
    {
        var low = new HashCode();
        low.AddBytes(json);
        var high = new HashCode();
        high.Add(json.Length);
        high.AddBytes(json);
        return ((ulong)(uint)high.ToHashCode() << 32) | (uint)low.ToHashCode();
    }

    public static bool TryGet(ulong key, out int count)
    {
        ulong entry = Volatile.Read(ref s_entries[Slot(key)]);
        if (entry != 0 && (entry & ~CountMask) == Tag(key))
        {
            count = (int)(entry & CountMask);
            return true;
        }

        count = 0;
        return false;
    }

    public static void Add(ulong key, int count)
    {
        if ((ulong)count <= CountMask)
        {
            Volatile.Write(ref s_entries[Slot(key)], Tag(key) | (uint)count);
        }
    }

    private static int Slot(ulong key) => (int)(key & (Slots - 1));

    private static ulong Tag(ulong key) => key & ~CountMask;
}
