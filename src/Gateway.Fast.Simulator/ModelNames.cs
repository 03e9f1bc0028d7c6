using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace Gateway.Fast.Simulator;

/// <summary>Interns model names so that peeking <c>model</c> allocates no string once a name has been seen.</summary>
internal static class ModelNames
{
    // Load tests use a handful of models; a hostile caller could send endless names, so stop interning past this.
    private const int MaxEntries = 4096;

    private static readonly ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Lookup =
        Names.GetAlternateLookup<ReadOnlySpan<char>>();

    public static string Intern(ref Utf8JsonReader reader)
    {
        if (reader.HasValueSequence || reader.ValueIsEscaped || reader.ValueSpan.Length > 256)
        {
            return Intern(reader.GetString().AsSpan());
        }

        ReadOnlySpan<byte> utf8 = reader.ValueSpan;
        Span<char> chars = stackalloc char[256];
        int n = Encoding.UTF8.GetChars(utf8, chars);
        return Intern(chars[..n]);
    }

    public static string Intern(ReadOnlySpan<char> name)
    {
        if (Lookup.TryGetValue(name, out var existing))
        {
            return existing;
        }

        string s = name.ToString();
        return Names.Count < MaxEntries ? Names.GetOrAdd(s, s) : s;
    }
}
