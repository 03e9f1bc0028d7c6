namespace Gateway.Fast.Simulator;

/// <summary>The deterministic output text: token i is always the same short word.</summary>
internal static class SimText
{
    private static readonly string[] Words =
    [
        "Hello", " from", " the", " simulated", " provider", ".", " This", " text", " is", " generated",
        " one", " short", " word", " per", " token", ",", " quickly", " and", " predictably", " again",
    ];

    public static string Token(int index) => index == 0 ? Words[0] : Words[1 + ((index - 1) % (Words.Length - 1))];

    public static string Text(int tokens)
    {
        var sb = new System.Text.StringBuilder(tokens * 7);
        for (int i = 0; i < tokens; i++)
        {
            sb.Append(Token(i));
        }

        return sb.ToString();
    }

    /// <summary>A stable pseudo-random id of <paramref name="length"/> alphanumerics, derived from the key.</summary>
    public static string Id(int seed, int length)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        var chars = new char[length];
        uint x = (uint)seed | 1u;
        for (int i = 0; i < length; i++)
        {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            chars[i] = Alphabet[(int)(x % (uint)Alphabet.Length)];
        }

        return new string(chars);
    }

    /// <summary>Bedrock's random-length <c>"p"</c> padding field, made deterministic.</summary>
    public static string Padding(int index)
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return Alphabet[..(1 + (index * 37 % Alphabet.Length))];
    }

    /// <summary>Unix seconds, for <c>created</c> fields.</summary>
    public static long UnixNow() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
