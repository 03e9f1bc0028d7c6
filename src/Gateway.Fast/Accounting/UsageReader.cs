namespace Gateway.Fast.Accounting;

/// <summary>
/// Reads token usage from a response body as it streams to the client: <see cref="Append"/> each chunk exactly as it is
/// written, then <see cref="Complete"/> once. Allocation-free per chunk; keeps only pooled buffers for a usage object,
/// a model name or a marker split across chunks, and (when asked) the response text for a later estimate.
/// </summary>
/// <remarks>
/// One reader per response; <see cref="Reset"/> makes it reusable (pooled <c>RequestContext</c>), <see cref="Dispose"/>
/// returns its buffers. Not thread-safe: the copy loop is its only caller.
/// A translated answer (unified API) is not scanned here: its translator reads the provider's usage as it translates,
/// with the same per-provider reader, and hands the figure over through <see cref="Report"/>
/// (<see cref="ResetForTranslation"/>), so the bytes are read once and the caller and the log see one reading.
/// </remarks>
public sealed class UsageReader : IDisposable
{
    private JsonUsageScanner _json;
    private EventStreamScanner _events;
    private Usage _reported;
    private bool _translated;

    public UsageReader(UsageWireFormat format, bool captureText = true) => Reset(format, captureText);

    /// <summary>A reader for this provider's response, per <see cref="UsageFormatSelector.Select(string, string?, string?)"/>.</summary>
    public static UsageReader For(string provider, string? contentType, string? path, bool captureText = true) =>
        new(UsageFormatSelector.Select(provider, contentType, path), captureText);

    public UsageWireFormat Format { get; private set; }

    /// <summary>Body bytes seen so far.</summary>
    public long BytesSeen { get; private set; }

    /// <summary>Bedrock event-stream only: how many <c>metadata</c> events arrived.</summary>
    public int MetadataEvents => _events.MetadataEvents;

    /// <summary>Starts over for a new response; <paramref name="captureText"/> keeps the response text for estimation.</summary>
    public void Reset(UsageWireFormat format, bool captureText = true)
    {
        _json.Reset(format, captureText && format != UsageWireFormat.None);
        _events.Reset();
        Format = format;
        BytesSeen = 0;
        _translated = false;
        _reported = default;
    }

    /// <summary>Starts over for a translated answer: the bytes are not scanned, and <see cref="Report"/> gives the figure.</summary>
    public void ResetForTranslation()
    {
        Reset(UsageWireFormat.None, captureText: false);
        _translated = true;
    }

    /// <summary>Starts over for an answer whose usage is already known (a cache HIT whose entry stored it): the bytes are
    /// not scanned, and <see cref="Complete"/> returns <paramref name="usage"/>.</summary>
    public void ResetToKnown(in Usage usage)
    {
        ResetForTranslation();
        _reported = usage;
    }

    /// <summary>The usage a translator read from the provider's answer (after <see cref="ResetForTranslation"/>; ignored otherwise).</summary>
    public void Report(in Usage usage)
    {
        if (_translated)
        {
            _reported = usage;
        }
    }

    /// <summary>Feeds the next chunk of the body, as it goes to the client.</summary>
    public void Append(ReadOnlySpan<byte> chunk)
    {
        BytesSeen += chunk.Length;
        switch (Format)
        {
            case UsageWireFormat.None:
                return;
            case UsageWireFormat.BedrockEventStream:
                _events.Feed(chunk, ref _json);
                return;
            default:
                _json.Feed(chunk);
                return;
        }
    }

    /// <summary>The usage the body reported (<see cref="Usage.Found"/> false when it reported none), with its model name.</summary>
    public Usage Complete() => _translated ? _reported
        : UsageObjectParser.ToUsage(Format, _json.Accumulated).WithModel(_json.ReadModel());

    /// <summary>
    /// Output tokens counted over the captured response text (<c>content</c>/<c>text</c> strings), for a response
    /// that reported no usage; text past the 1 MiB capture is counted at 4 bytes a token.
    /// </summary>
    public int EstimateOutputTokens() =>
        TokenEstimator.CountJsonStrings(_json.CapturedText) + (int)Math.Min(int.MaxValue, _json.TextDroppedBytes / 4);

    /// <summary>True when <see cref="CompleteOrEstimate"/> would run the tokenizer: the body reported no usage.</summary>
    public bool WouldEstimate => !(Format == UsageWireFormat.None && !_translated) && !Complete().Found;

    /// <summary>
    /// The reported usage, or when the body had none an estimate over the request's message text and the captured
    /// response text (<see cref="Usage.Estimated"/> true). Runs the tokenizer only in that second case.
    /// </summary>
    public Usage CompleteOrEstimate(ReadOnlySpan<byte> requestBody)
    {
        var usage = Complete();
        if (usage.Found || (Format == UsageWireFormat.None && !_translated))
        {
            return usage;
        }

        return new Usage(TokenEstimator.CountRequestText(requestBody), EstimateOutputTokens(), null, found: false, estimated: true,
            usage.Model);
    }

    public void Dispose()
    {
        _json.Release();
        _events.Release();
    }
}
