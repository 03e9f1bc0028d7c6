namespace Gateway.Fast.LogQueries;

/// <summary>A filter's comparison. The first five are the wire operators; the inclusive two come only from deprecated params.</summary>
public enum LogFilterOperator : byte
{
    Eq,

    /// <summary>None of the values equals the field (the negation of <see cref="Eq"/>, so values still combine sensibly).</summary>
    Neq,

    /// <summary>Case-insensitive substring, text keys only.</summary>
    Contains,
    Lt,
    Gt,

    /// <summary>≥, from <c>min_*</c> and <c>start_date</c>.</summary>
    Gte,

    /// <summary>≤, from <c>max_*</c> and <c>end_date</c>.</summary>
    Lte,
}
