using System.Buffers;
using System.Text.Json;
using Gateway.Fast.Json;

namespace Gateway.Fast.Compat.Gemini;

/// <summary>
/// Reads one <c>GenerateContentResponse</c> object (a whole answer or one <c>alt=sse</c> chunk) with
/// <see cref="Utf8JsonReader"/> and reports its first candidate's parts, finish reason and usage to a sink.
/// </summary>
/// <remarks>
/// Shape (fixtures/google): <c>{"candidates":[{"content":{"parts":[{"text"|"functionCall", "thought"?, "thoughtSignature"?}],
/// "role":"model"},"finishReason","index"}],"usageMetadata":{…},"promptFeedback"?,"modelVersion","responseId"}</c>.
/// A part's keys come in any order (<c>thought</c> may follow <c>text</c>), so a part is reported when its object ends, and
/// <c>finishReason</c> when its candidate ends, after the parts. Only candidate 0 is read: the translator asks for one.
/// Text is unescaped into <see cref="_scratch"/>, which the caller owns and reuses, so a text chunk allocates nothing.
/// </remarks>
internal ref struct GeminiChunkReader
{
    private Utf8JsonReader _reader;
    private byte[] _scratch;
    private readonly ReadOnlySpan<byte> _json;

    private GeminiChunkReader(ReadOnlySpan<byte> json, byte[] scratch)
    {
        _json = json;
        _reader = new Utf8JsonReader(json);
        _scratch = scratch;
    }

    /// <summary>Reads <paramref name="json"/> into <paramref name="sink"/>; <paramref name="scratch"/> is a pooled buffer that may be swapped for a bigger one.</summary>
    /// <exception cref="JsonException">The body is not JSON.</exception>
    public static void Read<TSink>(ReadOnlySpan<byte> json, TSink sink, ref byte[] scratch)
        where TSink : IGeminiChunkSink
    {
        var reader = new GeminiChunkReader(json, scratch);
        try
        {
            reader.ReadResponse(sink);
        }
        finally
        {
            scratch = reader._scratch;
        }
    }

    private void ReadResponse<TSink>(TSink sink)
        where TSink : IGeminiChunkSink
    {
        if (!_reader.Read() || _reader.TokenType != JsonTokenType.StartObject)
        {
            return;
        }

        while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
        {
            if (_reader.ValueTextEquals("candidates"u8))
            {
                _reader.Read();
                ReadCandidates(sink);
            }
            else if (_reader.ValueTextEquals("usageMetadata"u8))
            {
                _reader.Read();
                ReadUsage(sink);
            }
            else if (_reader.ValueTextEquals("promptFeedback"u8))
            {
                _reader.Read();
                if (ReadBlockReason())
                {
                    sink.Blocked();
                }
            }
            else
            {
                _reader.Read();
                _reader.Skip();
            }
        }
    }

    private void ReadCandidates<TSink>(TSink sink)
        where TSink : IGeminiChunkSink
    {
        if (_reader.TokenType != JsonTokenType.StartArray)
        {
            _reader.Skip();
            return;
        }

        bool first = true;
        while (_reader.Read() && _reader.TokenType != JsonTokenType.EndArray)
        {
            if (first && _reader.TokenType == JsonTokenType.StartObject)
            {
                first = false;
                ReadCandidate(sink);
            }
            else
            {
                _reader.Skip();
            }
        }
    }

    private void ReadCandidate<TSink>(TSink sink)
        where TSink : IGeminiChunkSink
    {
        ReadOnlySpan<byte> finish = default;
        while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
        {
            if (_reader.ValueTextEquals("content"u8))
            {
                _reader.Read();
                ReadContent(sink);
            }
            else if (_reader.ValueTextEquals("finishReason"u8))
            {
                _reader.Read();
                if (_reader.TokenType == JsonTokenType.String)
                {
                    finish = _json.Slice((int)_reader.TokenStartIndex + 1, _reader.ValueSpan.Length); // enum names carry no escapes
                }
            }
            else
            {
                _reader.Read();
                _reader.Skip();
            }
        }

        if (!finish.IsEmpty)
        {
            sink.Finish(finish);
        }
    }

    private void ReadContent<TSink>(TSink sink)
        where TSink : IGeminiChunkSink
    {
        if (_reader.TokenType != JsonTokenType.StartObject)
        {
            _reader.Skip();
            return;
        }

        while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
        {
            bool parts = _reader.ValueTextEquals("parts"u8);
            _reader.Read();
            if (parts && _reader.TokenType == JsonTokenType.StartArray)
            {
                while (_reader.Read() && _reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadPart(sink);
                }
            }
            else
            {
                _reader.Skip();
            }
        }
    }

    private void ReadPart<TSink>(TSink sink)
        where TSink : IGeminiChunkSink
    {
        int textStart = -1, textLength = 0;
        bool textInScratch = false, thought = false, call = false;
        string? name = null, id = null, signature = null;
        int argsStart = -1, argsEnd = -1;
        while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
        {
            if (_reader.ValueTextEquals("text"u8))
            {
                _reader.Read();
                if (_reader.ValueIsEscaped)
                {
                    textLength = Unescape();
                    textInScratch = true;
                    textStart = 0;
                }
                else
                {
                    textStart = (int)_reader.TokenStartIndex + 1;
                    textLength = _reader.ValueSpan.Length;
                }
            }
            else if (_reader.ValueTextEquals("thought"u8))
            {
                _reader.Read();
                thought = _reader.TokenType == JsonTokenType.True;
            }
            else if (_reader.ValueTextEquals("thoughtSignature"u8))
            {
                _reader.Read();
                signature = _reader.TokenType == JsonTokenType.String ? _reader.GetString() : null;
            }
            else if (_reader.ValueTextEquals("functionCall"u8))
            {
                _reader.Read();
                call = true;
                ReadFunctionCall(ref name, ref id, ref argsStart, ref argsEnd);
            }
            else
            {
                _reader.Read();
                _reader.Skip();
            }
        }

        if (call)
        {
            if (name is not null)
            {
                ReadOnlySpan<byte> args = argsStart < 0 ? default : MinifyArgs(argsStart, argsEnd);
                sink.FunctionCall(name, args, id, signature);
            }
        }
        else if (textStart >= 0)
        {
            sink.Text(textInScratch ? _scratch.AsSpan(0, textLength) : _json.Slice(textStart, textLength), thought);
        }
    }

    private void ReadFunctionCall(ref string? name, ref string? id, ref int argsStart, ref int argsEnd)
    {
        if (_reader.TokenType != JsonTokenType.StartObject)
        {
            _reader.Skip();
            return;
        }

        while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
        {
            if (_reader.ValueTextEquals("name"u8))
            {
                _reader.Read();
                name = _reader.TokenType == JsonTokenType.String ? _reader.GetString() : null;
            }
            else if (_reader.ValueTextEquals("id"u8))
            {
                _reader.Read();
                id = _reader.TokenType == JsonTokenType.String ? _reader.GetString() : null;
            }
            else if (_reader.ValueTextEquals("args"u8))
            {
                _reader.Read();
                argsStart = (int)_reader.TokenStartIndex;
                _reader.Skip();
                argsEnd = (int)_reader.BytesConsumed;
            }
            else
            {
                _reader.Read();
                _reader.Skip();
            }
        }
    }

    /// <summary>Copies the <c>args</c> value without insignificant whitespace (recorded bodies are pretty-printed) into the scratch, which a call part leaves free.</summary>
    private ReadOnlySpan<byte> MinifyArgs(int start, int end)
    {
        ReadOnlySpan<byte> raw = _json[start..end];
        Grow(raw.Length);
        int n = JsonMinifier.Minify(raw, _scratch);
        return _scratch.AsSpan(0, n);
    }

    private int Unescape() => Utf8JsonStrings.Unescape(ref _reader, ref _scratch).Length;

    private void Grow(int needed)
    {
        if (_scratch.Length < needed)
        {
            ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = ArrayPool<byte>.Shared.Rent(needed);
        }
    }

    /// <summary>Every chunk repeats <c>usageMetadata</c> whole, so each reading replaces the last.</summary>
    private void ReadUsage<TSink>(TSink sink)
        where TSink : IGeminiChunkSink
    {
        var usage = new TranslatedUsage(Accounting.UsageWireFormat.Gemini);
        usage.Read(ref _reader);
        sink.Usage(usage);
    }

    private bool ReadBlockReason()
    {
        if (_reader.TokenType != JsonTokenType.StartObject)
        {
            _reader.Skip();
            return false;
        }

        bool blocked = false;
        while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
        {
            blocked |= _reader.ValueTextEquals("blockReason"u8);
            _reader.Read();
            _reader.Skip();
        }

        return blocked;
    }
}
