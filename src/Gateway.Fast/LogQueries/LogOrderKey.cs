namespace Gateway.Fast.LogQueries;

/// <summary>What a logs query sorts by. The list takes the first six; DELETE also the numeric ones.</summary>
public enum LogOrderKey : byte
{
    CreatedAt,
    Provider,
    Model,
    ModelType,
    Success,
    Cached,
    Cost,
    TokensIn,
    TokensOut,
    Duration,
    Feedback,
}

/// <summary>Which query a parse is for: the list (paging, search, meta_info) or DELETE (limit, wider order_by).</summary>
public enum LogQueryMode : byte
{
    List,
    Delete,
}
