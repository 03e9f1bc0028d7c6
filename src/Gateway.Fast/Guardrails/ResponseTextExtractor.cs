using Gateway.Fast.Json;
using Gateway.Fast.Sse;

namespace Gateway.Fast.Guardrails;

/// <summary>Pulls the generated text out of OpenAI-shaped responses (SSE chunks or a whole JSON body) and feeds it to a <see cref="ResponseScanner"/>.</summary>
/// <remarks>
/// Text is every string value of a property named <c>content</c>, <c>text</c>, <c>refusal</c>, <c>arguments</c>,
/// <c>reasoning_content</c>, <c>thinking</c> or <c>partial_json</c>: OpenAI's <c>choices[].delta.content</c> and
/// <c>message.content</c>, completions' <c>text</c>, tool-call arguments, and Anthropic's and Gemini's <c>text</c> parts
/// come out without a per-provider reader. Deltas are fed back to back with nothing between them, so a phrase or a key
/// split across two events is whole to the scanner. Non-text events (<c>[DONE]</c>, pings) feed nothing.
/// Usage while relaying a stream: <c>var v = extractor.FeedSse(chunk, scanner);</c> per chunk, then
/// <c>extractor.CompleteSse(scanner)</c> at the end. One extractor per response; dispose returns its buffers.
/// </remarks>
public sealed class ResponseTextExtractor : IDisposable
{
    private readonly SseEventReader _events = new();

    /// <summary>Feeds one chunk of an SSE response, as it arrived (events may be split anywhere).</summary>
    public ResponseVerdict FeedSse(ReadOnlySpan<byte> chunk, ResponseScanner scanner)
    {
        _events.Append(chunk);
        while (_events.TryRead(out _, out var data))
        {
            FeedJson(data, scanner);
        }

        return scanner.Verdict;
    }

    /// <summary>Feeds an event left without its closing blank line, then completes the scanner.</summary>
    public ResponseVerdict CompleteSse(ResponseScanner scanner)
    {
        if (_events.TryReadTrailing(out _, out var data))
        {
            FeedJson(data, scanner);
        }

        return scanner.Complete();
    }

    /// <summary>Feeds the text of one JSON document (a whole non-streamed body, or one event's data).</summary>
    public static ResponseVerdict FeedJson(ReadOnlySpan<byte> json, ResponseScanner scanner)
    {
        var strings = new JsonStringValues(json);
        try
        {
            while (strings.MoveNext())
            {
                if (JsonTextProperties.IsResponseText(strings.PropertyName))
                {
                    scanner.Feed(strings.Text);
                }
            }
        }
        finally
        {
            strings.Dispose();
        }

        return scanner.Verdict;
    }

    public void Dispose() => _events.Dispose();
}
