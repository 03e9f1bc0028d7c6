namespace Gateway.Fast.Accounting;

/// <summary>Token counts for one response: what the provider reported, or an estimate when it reported none.</summary>
/// <remarks>
/// <see cref="InputTokens"/> is every prompt token the provider processed, cached ones included (OpenAI's
/// <c>prompt_tokens</c> convention); Anthropic and Bedrock report cache reads and writes beside <c>input_tokens</c>, so
/// their readers add them in. <see cref="CachedInputTokens"/> is the part of <see cref="InputTokens"/> read from a cache.
/// </remarks>
public readonly struct Usage
{
    public Usage(int inputTokens, int outputTokens, int? cachedInputTokens, bool found, bool estimated = false, string? model = null)
    {
        InputTokens = inputTokens;
        OutputTokens = outputTokens;
        CachedInputTokens = cachedInputTokens;
        Found = found;
        Estimated = estimated;
        Model = model;
    }

    /// <summary>Nothing reported and nothing estimated.</summary>
    public static Usage None => default;

    public int InputTokens { get; }

    public int OutputTokens { get; }

    /// <summary>Prompt tokens served from the provider's cache, when the provider says; included in <see cref="InputTokens"/>.</summary>
    public int? CachedInputTokens { get; }

    /// <summary>True when the response body carried usage figures.</summary>
    public bool Found { get; }

    /// <summary>True when the figures come from <see cref="TokenEstimator"/> rather than from the provider.</summary>
    public bool Estimated { get; }

    /// <summary>The model the response names (<c>model</c>, Gemini <c>modelVersion</c>), when it names one.</summary>
    public string? Model { get; }

    public Usage WithModel(string? model) => new(InputTokens, OutputTokens, CachedInputTokens, Found, Estimated, model);

    public override string ToString() =>
        $"in={InputTokens} out={OutputTokens} cached={CachedInputTokens?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}" +
        $" found={Found} estimated={Estimated} model={Model}";
}
