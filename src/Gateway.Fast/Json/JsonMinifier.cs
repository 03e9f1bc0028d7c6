namespace Gateway.Fast.Json;

/// <summary>Drops insignificant whitespace from valid JSON, so tool-call arguments read like OpenAI's (<c>{"a":1}</c>).</summary>
internal static class JsonMinifier
{
    /// <summary>Copies <paramref name="json"/> (already validated by the reader) into <paramref name="destination"/> (at least as long); returns the bytes written.</summary>
    public static int Minify(ReadOnlySpan<byte> json, Span<byte> destination)
    {
        int n = 0;
        bool inString = false, escaped = false;
        foreach (byte b in json)
        {
            if (inString)
            {
                destination[n++] = b;
                if (escaped)
                {
                    escaped = false;
                }
                else if (b == (byte)'\\')
                {
                    escaped = true;
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }
            }
            else if (b is not ((byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
            {
                destination[n++] = b;
                inString = b == (byte)'"';
            }
        }

        return n;
    }
}
