using System.Text;

namespace Gateway.Fast.Compat;

/// <summary>What <see cref="DataUrl.Parse(ReadOnlySpan{char}, out ReadOnlySpan{char}, out ReadOnlySpan{char})"/> found.</summary>
internal enum DataUrlKind : byte
{
    /// <summary>The URL does not start with <c>data:</c> (an http(s) link, say).</summary>
    NotDataUrl,

    /// <summary>A <c>data:</c> URL whose header does not end in <c>;base64</c>: percent-encoded text, which no provider takes.</summary>
    NotBase64,

    /// <summary><c>data:{media type};base64,{data}</c>.</summary>
    Base64,
}

/// <summary>Splits the <c>data:</c> URLs of OpenAI image and file parts (RFC 2397) into media type and base64 data, for every translator.</summary>
/// <remarks>
/// <c>data:image/png;base64,iVBOR…</c> gives media type <c>image/png</c> (any parameters before <c>;base64</c> stay in it:
/// a translator that wants the bare type cuts at the first <c>;</c>) and the data after the first comma. The scheme and
/// <c>;base64</c> match in any case, as RFC 2397 allows. Each translator words its own error for each outcome; the
/// media type may be empty (<c>data:;base64,…</c>), which a provider that needs one rejects itself.
/// The byte overload reads the raw UTF-8 of a JSON string, so a megabyte of base64 is never copied into a string.
/// </remarks>
internal static class DataUrl
{
    private const string Scheme = "data:";
    private const string Base64Marker = ";base64";

    public static DataUrlKind Parse(ReadOnlySpan<char> url, out ReadOnlySpan<char> mediaType, out ReadOnlySpan<char> data)
    {
        mediaType = data = default;
        if (!url.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return DataUrlKind.NotDataUrl;
        }

        int comma = url.IndexOf(',');
        var header = comma < 0 ? default : url[Scheme.Length..comma];
        if (comma < 0 || !header.EndsWith(Base64Marker, StringComparison.OrdinalIgnoreCase))
        {
            return DataUrlKind.NotBase64;
        }

        mediaType = header[..^Base64Marker.Length];
        data = url[(comma + 1)..];
        return DataUrlKind.Base64;
    }

    public static DataUrlKind Parse(ReadOnlySpan<byte> url, out ReadOnlySpan<byte> mediaType, out ReadOnlySpan<byte> data)
    {
        mediaType = data = default;
        if (url.Length < Scheme.Length || !Ascii.EqualsIgnoreCase(url[..Scheme.Length], "data:"u8))
        {
            return DataUrlKind.NotDataUrl;
        }

        int comma = url.IndexOf((byte)',');
        var header = comma < 0 ? default : url[Scheme.Length..comma];
        if (comma < 0 || header.Length < Base64Marker.Length
            || !Ascii.EqualsIgnoreCase(header[^Base64Marker.Length..], ";base64"u8))
        {
            return DataUrlKind.NotBase64;
        }

        mediaType = header[..^Base64Marker.Length];
        data = url[(comma + 1)..];
        return DataUrlKind.Base64;
    }
}
