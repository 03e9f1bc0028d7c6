namespace Gateway.Fast.Client.Logs;

/// <summary>
/// What <see cref="AiGateway.PatchLogAsync"/> changes on a row. A field is sent only when its <c>Set…</c> flag is on, so
/// "leave as is" (not sent) and "clear" (sent as null) stay distinct; the convenience properties set both.
/// </summary>
public sealed record LogPatch
{
    private readonly int? _feedback;
    private readonly double? _score;
    private readonly IReadOnlyDictionary<string, object?>? _metadata;

    /// <summary>-1 (down), 1 (up), 0 or null (none).</summary>
    public int? Feedback
    {
        get => _feedback;
        init
        {
            _feedback = value;
            SetFeedback = true;
        }
    }

    /// <summary>Any number; null clears it.</summary>
    public double? Score
    {
        get => _score;
        init
        {
            _score = value;
            SetScore = true;
        }
    }

    /// <summary>Replaces the row's metadata (at most 5 entries); null clears it.</summary>
    public IReadOnlyDictionary<string, object?>? Metadata
    {
        get => _metadata;
        init
        {
            _metadata = value;
            SetMetadata = true;
        }
    }

    public bool SetFeedback { get; init; }

    public bool SetScore { get; init; }

    public bool SetMetadata { get; init; }
}
