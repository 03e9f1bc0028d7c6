using System.Buffers;
using System.Text.Json;

namespace Gateway.Fast.Simulator;

/// <summary>Builds a <see cref="SimResponse"/> event by event; used only when a response is first computed (cold path).</summary>
internal sealed class ResponseBuilder
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Providers send non-ASCII text as UTF-8, and '+', '<', '\'' unescaped.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly ArrayBufferWriter<byte> _body = new(4096);
    private readonly ArrayBufferWriter<byte> _scratch = new(512);
    private readonly List<int> _ends = new();
    private readonly Utf8JsonWriter _json = new(Stream.Null, WriterOptions);
    private int _prelude = -1;
    private int _tokens;

    /// <summary>Starts a JSON value written straight into the body.</summary>
    public Utf8JsonWriter Json()
    {
        _json.Reset(_body);
        return _json;
    }

    /// <summary>Starts an SSE event: <c>event: {name}\n</c> (when a name is given), then <c>data: </c>; returns the JSON writer.</summary>
    public Utf8JsonWriter SseEvent(ReadOnlySpan<byte> name = default)
    {
        if (!name.IsEmpty)
        {
            Raw("event: "u8);
            Raw(name);
            Raw("\n"u8);
        }

        Raw("data: "u8);
        return Json();
    }

    /// <summary>Starts a JSON payload in scratch space (for framing by <see cref="EndEventStream"/>).</summary>
    public Utf8JsonWriter Payload()
    {
        _scratch.ResetWrittenCount();
        _json.Reset(_scratch);
        return _json;
    }

    /// <summary>Frames the payload started by <see cref="Payload"/> as one AWS event-stream message and ends the event.</summary>
    public void EndEventStream(ReadOnlySpan<byte> eventType)
    {
        _json.Flush();
        EventStreamWriter.WriteEvent(_body, eventType, _scratch.WrittenSpan);
        _ends.Add(_body.WrittenCount);
    }

    /// <summary>Flushes the JSON writer, appends <paramref name="terminator"/> and ends the event.</summary>
    public void End(ReadOnlySpan<byte> terminator)
    {
        _json.Flush();
        Raw(terminator);
        _ends.Add(_body.WrittenCount);
    }

    public void Raw(ReadOnlySpan<byte> bytes)
    {
        _json.Flush();
        _body.Write(bytes);
    }

    /// <summary>Ends an event made only of <see cref="Raw"/> bytes.</summary>
    public void EndRaw() => _ends.Add(_body.WrittenCount);

    /// <summary>Marks that the events written so far are the prelude; the following ones are token events.</summary>
    public void BeginTokens() => _prelude = _ends.Count;

    /// <summary>Marks the end of the token events; the following ones are the tail.</summary>
    public void EndTokens() => _tokens = _ends.Count - _prelude;

    public SimResponse Build(string contentType, bool isStream, int status = 200, KeyValuePair<string, string>? extraHeader = null)
    {
        _json.Flush();
        if (_ends.Count == 0 || _ends[^1] != _body.WrittenCount)
        {
            _ends.Add(_body.WrittenCount);
        }

        int prelude = _prelude < 0 ? _ends.Count : _prelude;
        return new SimResponse(_body.WrittenSpan.ToArray(), _ends.ToArray(), prelude, _tokens, contentType, isStream, status)
        {
            ExtraHeader = extraHeader,
        };
    }
}
