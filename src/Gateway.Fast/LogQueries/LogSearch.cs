using Gateway.Fast.Logging;

namespace Gateway.Fast.LogQueries;

/// <summary>The list's <c>search</c> (our choice, docs/gateway-api.md#logs-api): a case-insensitive substring of id, provider, model, path, metadata or event_id.</summary>
public static class LogSearch
{
    public static bool Matches(LogRecord record, string? search)
    {
        if (string.IsNullOrEmpty(search))
        {
            return true;
        }

        return Has(record.Id, search) || Has(record.Provider, search) || Has(record.Model, search)
            || Has(record.Path, search) || Has(record.Metadata, search) || Has(record.EventId, search);
    }

    private static bool Has(string? field, string search) => field is not null && field.Contains(search, StringComparison.OrdinalIgnoreCase);
}
