using System.Buffers;

namespace Gateway.Fast.Universal;

/// <summary>Checks header names and values taken from a Universal body before they can reach an upstream request.</summary>
/// <remarks>
/// Names are RFC 9110 §5.6.2 tokens. Values are printable ASCII, space and tab (RFC 9110 §5.5 without obs-text):
/// CR, LF and NUL would split or end the header (injection), and non-ASCII would make <c>SocketsHttpHandler</c> throw at
/// send time, where it would look like an unreachable upstream instead of the caller's mistake.
/// </remarks>
public static class HeaderSyntax
{
    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    public static bool IsValidName(ReadOnlySpan<char> name) => !name.IsEmpty && !name.ContainsAnyExcept(TokenChars);

    public static bool IsValidValue(ReadOnlySpan<char> value) => !value.ContainsAnyExceptInRange(' ', '~') || IsValidWithTabs(value);

    private static bool IsValidWithTabs(ReadOnlySpan<char> value)
    {
        foreach (char c in value)
        {
            if (c != '\t' && c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
