namespace Gateway.Fast.LogQueries;

/// <summary>Splits a raw query string into decoded name/value pairs in wire order.</summary>
/// <remarks>
/// <c>IQueryCollection</c> groups repeated names, which loses the order the SDKs' dotted filters rely on
/// (<c>filters.key=a&amp;filters.value=1&amp;filters.value=2&amp;filters.key=b…</c>: each <c>filters.key</c> opens a filter).
/// </remarks>
public static class QueryStringReader
{
    public static List<KeyValuePair<string, string>> Read(string? queryString)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrEmpty(queryString))
        {
            return pairs;
        }

        var span = queryString.AsSpan();
        if (span[0] == '?')
        {
            span = span[1..];
        }

        while (!span.IsEmpty)
        {
            var amp = span.IndexOf('&');
            var part = amp < 0 ? span : span[..amp];
            span = amp < 0 ? default : span[(amp + 1)..];
            if (part.IsEmpty)
            {
                continue;
            }

            var eq = part.IndexOf('=');
            var name = Decode(eq < 0 ? part : part[..eq]);
            var value = eq < 0 ? "" : Decode(part[(eq + 1)..]);
            pairs.Add(new(name, value));
        }

        return pairs;
    }

    private static string Decode(ReadOnlySpan<char> raw)
    {
        var text = raw.ToString().Replace('+', ' ');
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return text;
        }
    }
}
