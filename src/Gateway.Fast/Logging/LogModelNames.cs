using System.Collections.Concurrent;
using System.Text;

namespace Gateway.Fast.Logging;

/// <summary>The <c>model</c> of request bodies as strings, made once per distinct name rather than once per request.</summary>
/// <remarks>
/// The log row and the metrics both want the model as a string; decoding it from the body was one allocation per
/// logged request. Names are caller input, so at most <see cref="MaxNames"/> distinct ones are kept (the metrics bound
/// the same way); later ones are decoded each time.
/// </remarks>
internal static class LogModelNames
{
    public const int MaxNames = 1024;

    // Longer names are decoded each time: a real model id is far shorter.
    private const int MaxChars = 128;

    private static readonly ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> ByChars
        = Names.GetAlternateLookup<ReadOnlySpan<char>>();

    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return "";
        }

        if (utf8.Length > MaxChars)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        Span<char> chars = stackalloc char[MaxChars];
        chars = chars[..Encoding.UTF8.GetChars(utf8, chars)];
        if (ByChars.TryGetValue(chars, out var name))
        {
            return name;
        }

        name = new string(chars);
        return Names.Count < MaxNames ? Names.GetOrAdd(name, name) : name;
    }
}
