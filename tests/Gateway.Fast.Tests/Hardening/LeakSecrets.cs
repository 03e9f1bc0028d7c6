using System.Text;

namespace Gateway.Fast.Tests.Hardening;

/// <summary>
/// The secrets of one leak-test run, each unique (a fresh GUID, or a value the gateway generated), and the searches that
/// look for them in text and raw bytes. A match can only come from this run, never from a constant another test shares.
/// </summary>
internal sealed class LeakSecrets
{
    private readonly List<(string Name, string Value)> _all = [];
    private readonly HashSet<string> _inUrls = [];

    /// <summary>A new secret named <paramref name="name"/>: a recognisable prefix and 32 random hex digits.</summary>
    /// <param name="name">What the secret is, as the findings name it.</param>
    /// <param name="prefix">A provider-like prefix, so the value looks like what it stands for.</param>
    /// <param name="inUrl">True when the secret travels in a request URL (<c>?key=</c>, <c>?auth_token=</c>, a team key path).</param>
    public string New(string name, string prefix = "sk-", bool inUrl = false)
        => Add(name, prefix + "leak" + Guid.NewGuid().ToString("N"), inUrl);

    /// <summary>Tracks a secret, e.g. one the gateway generated (a gateway token, a team key).</summary>
    public string Add(string name, string value, bool inUrl = false)
    {
        Assert.False(string.IsNullOrEmpty(value), name);
        _all.Add((name, value));
        if (inUrl)
        {
            _inUrls.Add(name);
        }

        return value;
    }

    /// <summary>True when the secret named <paramref name="name"/> travels in a request URL.</summary>
    public bool IsInUrl(string name) => _inUrls.Contains(name);

    public int Count => _all.Count;

    /// <summary>The names of the secrets <paramref name="text"/> holds.</summary>
    public IEnumerable<string> FoundIn(string text)
    {
        foreach (var (name, value) in _all)
        {
            if (text.Contains(value, StringComparison.OrdinalIgnoreCase))
            {
                yield return name;
            }
        }
    }

    /// <summary>The names of the secrets <paramref name="bytes"/> holds, as UTF-8 or UTF-16 (either byte order).</summary>
    public IEnumerable<string> FoundIn(ReadOnlyMemory<byte> bytes)
    {
        foreach (var (name, value) in _all)
        {
            if (bytes.Span.IndexOf(Encoding.UTF8.GetBytes(value)) >= 0 || bytes.Span.IndexOf(Encoding.Unicode.GetBytes(value)) >= 0
                || bytes.Span.IndexOf(Encoding.BigEndianUnicode.GetBytes(value)) >= 0)
            {
                yield return name;
            }
        }
    }
}
