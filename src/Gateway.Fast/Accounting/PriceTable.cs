using System.Text.Json;
using Gateway.Fast.Utilities;
using Microsoft.Extensions.Configuration;

namespace Gateway.Fast.Accounting;

/// <summary>Per-provider, per-model token prices: the shipped defaults, optionally overridden by <c>Gateway:PricesFile</c>.</summary>
public sealed partial class PriceTable
{
    // Bedrock cross-region inference profiles put a geography before the model id: us.amazon.nova-micro-v1:0.
    private static readonly string[] BedrockRegionPrefixes = ["us.", "eu.", "apac.", "global.", "us-gov.", "jp.", "au.", "ca."];
    private static readonly Lazy<PriceTable> DefaultTable = new(static () => Parse(DefaultJson, null));

    private readonly Dictionary<string, ProviderRows> _providers;
    private readonly Dictionary<string, string> _aliases;

    private PriceTable(Dictionary<string, ProviderRows> providers, Dictionary<string, string> aliases)
    {
        _providers = providers;
        _aliases = aliases;
    }

    public static PriceTable Default => DefaultTable.Value;

    /// <summary>The defaults with the rows of <c>Gateway:PricesFile</c> (same JSON shape) laid over them, when it is set.</summary>
    public static PriceTable FromConfiguration(IConfiguration configuration)
    {
        string? path = configuration["Gateway:PricesFile"];
        return string.IsNullOrWhiteSpace(path) ? Default : Load(path);
    }

    /// <summary>The defaults overlaid with a prices file; a row in the file replaces the default row of that provider and model.</summary>
    public static PriceTable Load(string path) => Parse(DefaultJson, File.ReadAllBytes(path));

    /// <summary>Parses one prices document over the defaults (for tests and callers that hold the JSON).</summary>
    public static PriceTable FromJson(ReadOnlySpan<byte> overrides) => Parse(DefaultJson, overrides.ToArray());

    /// <summary>Every priced model, by provider: the catalog <c>/v1/models</c> lists.</summary>
    public IEnumerable<(string Provider, string Model)> Models()
    {
        foreach (var (provider, rows) in _providers)
        {
            foreach (var row in rows.Rows)
            {
                yield return (provider, row.Key);
            }
        }
    }

    public bool TryGet(string provider, string? model, out ModelPrice price)
    {
        price = default;
        if (string.IsNullOrEmpty(model))
        {
            return false;
        }

        if (!_providers.TryGetValue(provider, out var rows) &&
            !(_aliases.TryGetValue(provider, out string? alias) && _providers.TryGetValue(alias, out rows)))
        {
            return false;
        }

        int at = rows.RowOf.Get(model);
        if (at < 0)
        {
            return false;
        }

        price = rows.Rows[at].Price;
        return true;
    }

    /// <summary>The index of the row that prices <paramref name="model"/>; -1 when none does.</summary>
    private static int Find(Row[] rows, string model)
    {
        var id = Normalize(model);
        for (int i = 0; i < rows.Length; i++) // longest key first, so gpt-4o-mini wins over gpt-4o
        {
            var key = rows[i].Key;
            if (id.StartsWith(key, StringComparison.OrdinalIgnoreCase) && (id.Length == key.Length || IsSeparator(id[key.Length])))
            {
                return i;
            }
        }

        return -1;
    }

    private static ReadOnlySpan<char> Normalize(string model)
    {
        var id = model.AsSpan();
        if (id.StartsWith("models/", StringComparison.Ordinal))
        {
            id = id["models/".Length..]; // Gemini resource names
        }

        foreach (string prefix in BedrockRegionPrefixes)
        {
            if (id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return id[prefix.Length..];
            }
        }

        return id;
    }

    // What may follow a key inside a longer id: a date (-2024-07-18, -20250929), a version (:0, %3A0, @001), a variant.
    private static bool IsSeparator(char c) => c is '-' or ':' or '@' or '%' or '.' or '_' or '/';

    private static PriceTable Parse(ReadOnlySpan<byte> defaults, byte[]? overrides)
    {
        var providers = new Dictionary<string, Dictionary<string, ModelPrice>>(StringComparer.Ordinal);
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        Read(defaults.ToArray(), providers, aliases);
        if (overrides is not null)
        {
            Read(overrides, providers, aliases);
        }

        var table = new Dictionary<string, ProviderRows>(StringComparer.Ordinal);
        foreach (var (provider, models) in providers)
        {
            var rows = new Row[models.Count];
            int i = 0;
            foreach (var (key, price) in models)
            {
                rows[i++] = new Row(key, price);
            }

            Array.Sort(rows, static (a, b) => b.Key.Length.CompareTo(a.Key.Length));
            table[provider] = new ProviderRows(rows);
        }

        return new PriceTable(table, aliases);
    }

    private static void Read(byte[] json, Dictionary<string, Dictionary<string, ModelPrice>> providers, Dictionary<string, string> aliases)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var root = doc.RootElement;
        if (root.TryGetProperty("aliases", out var aliasElement))
        {
            foreach (var alias in aliasElement.EnumerateObject())
            {
                aliases[alias.Name] = alias.Value.GetString() ?? throw new InvalidDataException($"Price alias '{alias.Name}' is not a string.");
            }
        }

        if (!root.TryGetProperty("providers", out var providerElement))
        {
            return;
        }

        foreach (var provider in providerElement.EnumerateObject())
        {
            if (!providers.TryGetValue(provider.Name, out var models))
            {
                providers[provider.Name] = models = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
            }

            foreach (var model in provider.Value.EnumerateObject())
            {
                var p = model.Value;
                models[model.Name] = new ModelPrice(p.GetProperty("input").GetDouble(), p.GetProperty("output").GetDouble(),
                    p.TryGetProperty("cached_input", out var cached) ? cached.GetDouble() : null);
            }
        }
    }

    private readonly record struct Row(string Key, ModelPrice Price);

    /// <summary>A provider's rows, and which of them prices each model name seen.</summary>
    /// <remarks>Every logged request prices its usage: the search took eight region-prefix checks and a case-insensitive
    /// prefix comparison per row until one matched, about 1 % of a logged cache HIT's CPU in a profile. A gateway bills
    /// few distinct model names, so the answer is kept per name (bounded: names past the memo's capacity are searched
    /// each time).</remarks>
    private sealed class ProviderRows
    {
        public ProviderRows(Row[] rows)
        {
            Rows = rows;
            RowOf = new StringMemo<int>(model => Find(rows, model));
        }

        public Row[] Rows { get; }

        public StringMemo<int> RowOf { get; }
    }
}
