using System.Text;

namespace Gateway.Fast.Logging;

/// <summary>The last string decoded for each low-cardinality field of a row, reused while the next row's bytes are equal.</summary>
/// <remarks>
/// Listing decodes every row of a gateway; without this, each row made ~10 new strings that are almost always equal
/// to the previous row's. One instance per scan (not thread-safe).
/// </remarks>
internal sealed class LogStringCache
{
    public const int GatewayId = 0;
    public const int Provider = 1;
    public const int Model = 2;
    public const int ModelType = 3;
    public const int Path = 4;
    public const int RequestType = 5;
    public const int RequestContentType = 6;
    public const int ResponseContentType = 7;
    public const int UserAgent = 8;
    public const int DlpAction = 9;
    public const int TeamId = 10;
    public const int TeamName = 11;
    public const int GuardrailFlags = 12;
    private const int Slots = 13;

    // Longer values (a long user agent) are decoded every time rather than kept.
    private const int MaxCachedBytes = 256;

    private readonly byte[][] _bytes = new byte[Slots][];
    private readonly string[] _strings = new string[Slots];

    public string Get(int slot, ReadOnlySpan<byte> utf8)
    {
        if (_strings[slot] is { } last && utf8.SequenceEqual(_bytes[slot]))
        {
            return last;
        }

        var value = Encoding.UTF8.GetString(utf8);
        if (utf8.Length <= MaxCachedBytes)
        {
            _bytes[slot] = utf8.ToArray();
            _strings[slot] = value;
        }

        return value;
    }
}
