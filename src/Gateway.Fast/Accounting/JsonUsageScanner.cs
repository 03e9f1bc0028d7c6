using System.Buffers;
using System.Runtime.CompilerServices;

namespace Gateway.Fast.Accounting;

/// <summary>
/// Finds usage objects in a JSON byte stream fed in arbitrary pieces: a plain body, SSE <c>data:</c> lines, a streamed
/// JSON array or event-stream payloads all look the same to it, because it never frames lines or documents.
/// </summary>
/// <remarks>
/// <code>
/// Searching   IndexOf for each marker ("usage", "model", "content"…) in what is left of the chunk; the last 15 bytes
///             are kept so a marker split across chunks is found in the seam (tail + head of the next chunk)
/// AfterName   whitespace, then ':' (a marker not followed by ':' was a string value: back to Searching)
/// AfterColon  whitespace, then '{' (usage: capture the object), '"' (model/text: capture the string), else Searching
/// InObject    copy bytes into a pooled buffer, counting depth outside strings; at depth 0 parse it with Utf8JsonReader
/// InString    copy up to the unescaped closing quote
/// </code>
/// Only the usage object is ever parsed, so a token delta costs one vectorised IndexOf per marker and no JSON reader.
/// An unescaped <c>"usage"</c> cannot occur inside a JSON string (its quotes would be <c>\"</c>), so a match is a
/// property name; a nested user object that happens to use the name carries no known numeric fields and changes nothing.
/// </remarks>
internal struct JsonUsageScanner
{
    private const int MaxObjectBytes = 64 * 1024; // usage objects are 50–500 bytes; anything larger is not one
    private const int MaxTextBytes = 1024 * 1024; // response text kept for estimation; beyond it only the length counts
    private const int TailCapacity = 16; // longest marker ("usageMetadata" with quotes) is 15 bytes
    private const int MarkerCount = 4;

    private UsageWireFormat _format;
    private bool _captureText;
    private bool _modelDone;
    private State _state;
    private Marker _pending;
    private int _depth;
    private bool _inString;
    private bool _escaped;
    private byte[]? _object;
    private int _objectLength;
    private byte[]? _text;
    private int _textLength;
    private int _pieceStart;
    private long _textDropped;
    private TailBytes _tail;
    private int _tailLength;
    private ModelBytes _model;
    private int _modelLength;
    private UsageAccumulator _usage;

    private enum State : byte { Searching, AfterName, AfterColon, InObject, InString, SkipString }

    // Search order: the most frequent marker first, so the rarer ones are searched only up to it.
    private enum Marker : byte { Text, Model, Usage, Usage2 }

    public readonly UsageAccumulator Accumulated => _usage;

    public readonly long TextDroppedBytes => _textDropped;

    public readonly ReadOnlySpan<byte> CapturedText => _text is null ? default : _text.AsSpan(0, _textLength);

    /// <summary>The first model name the response gave, decoded; null when it gave none.</summary>
    public readonly string? ReadModel()
    {
        if (!_modelDone || _modelLength < 2)
        {
            return null;
        }

        ReadOnlySpan<byte> json = _model;
        var reader = new System.Text.Json.Utf8JsonReader(json[.._modelLength]);
        if (!reader.Read() || reader.TokenType != System.Text.Json.JsonTokenType.String)
        {
            return null;
        }

        // A model name without escapes is its own UTF-8: the string is made once per distinct name, not per response.
        return reader.ValueIsEscaped ? reader.GetString() : Logging.LogModelNames.Get(reader.ValueSpan);
    }

    public void Reset(UsageWireFormat format, bool captureText)
    {
        Release();
        this = default;
        _format = format;
        _captureText = captureText;
    }

    public void Release()
    {
        ReturnBuffer(ref _object);
        ReturnBuffer(ref _text);
        _objectLength = _textLength = 0;
    }

    /// <summary>A count read outside the JSON stream (Bedrock's invocation metrics inside a base64 chunk).</summary>
    public void SetUsage(UsageSlot slot, int value) => _usage.Set(slot, value);

    /// <summary>Ends one JSON document (an event-stream payload): a capture still open there is dropped.</summary>
    public void EndDocument()
    {
        if (_state == State.InString && _pending == Marker.Text)
        {
            DropPiece();
        }

        _state = State.Searching;
        _tailLength = 0;
        _depth = 0;
        _inString = _escaped = false;
        _objectLength = 0;
    }

    public void Feed(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return; // keeps the tail: a marker may still straddle this empty read
        }

        int i = 0;
        if (_state == State.Searching && _tailLength > 0)
        {
            i = SearchSeam(data);
        }

        while (i < data.Length)
        {
            switch (_state)
            {
                case State.Searching:
                    int found = FindEarliest(data[i..], out _pending, out int length);
                    if (found < 0)
                    {
                        KeepTail(data, i);
                        return;
                    }

                    i += found + length;
                    _state = State.AfterName;
                    break;
                case State.AfterName:
                    i = SkipWhitespace(data, i);
                    if (i < data.Length)
                    {
                        if (data[i] == (byte)':')
                        {
                            _state = State.AfterColon;
                            i++;
                        }
                        else
                        {
                            _state = State.Searching;
                        }
                    }

                    break;
                case State.AfterColon:
                    i = SkipWhitespace(data, i);
                    if (i < data.Length)
                    {
                        StartValue(data[i]);
                        if (_state != State.Searching)
                        {
                            i++; // the '{' or '"' was recorded by StartValue
                        }
                    }

                    break;
                case State.InObject:
                    i = ContinueObject(data, i);
                    break;
                default:
                    i = ContinueString(data, i);
                    break;
            }
        }

        _tailLength = 0; // ended inside a value: its bytes are not marker candidates
    }

    private void StartValue(byte first)
    {
        _state = State.Searching;
        if (first == (byte)'{' && _pending is Marker.Usage or Marker.Usage2)
        {
            _state = State.InObject;
            _depth = 1;
            _inString = _escaped = false;
            _objectLength = 0;
            AppendObject([first]);
        }
        else if (first == (byte)'"' && _pending is Marker.Model or Marker.Text)
        {
            _state = State.InString;
            _escaped = false;
            if (_pending == Marker.Model)
            {
                _modelLength = 0;
                AppendModel([first]);
            }
            else
            {
                _pieceStart = _textLength;
                AppendText(_textLength > 0 ? " \""u8 : "\""u8); // pieces are read back as JSON values separated by spaces
            }
        }
    }

    private int ContinueObject(ReadOnlySpan<byte> data, int start)
    {
        int j = start;
        bool closed = false;
        for (; j < data.Length; j++)
        {
            byte b = data[j];
            if (_inString)
            {
                if (_escaped)
                {
                    _escaped = false;
                }
                else if (b == (byte)'\\')
                {
                    _escaped = true;
                }
                else if (b == (byte)'"')
                {
                    _inString = false;
                }
            }
            else if (b == (byte)'"')
            {
                _inString = true;
            }
            else if (b is (byte)'{' or (byte)'[')
            {
                _depth++;
            }
            else if (b is (byte)'}' or (byte)']' && --_depth == 0)
            {
                j++;
                closed = true;
                break;
            }
        }

        if (!AppendObject(data[start..j]))
        {
            _state = State.Searching; // not a usage object: too big to be one
            _objectLength = 0;
            return j;
        }

        if (closed)
        {
            UsageObjectParser.Apply(_format, _object!.AsSpan(0, _objectLength), ref _usage);
            _objectLength = 0;
            _state = State.Searching;
        }

        return j;
    }

    private int ContinueString(ReadOnlySpan<byte> data, int start)
    {
        int j = start;
        bool closed = false;
        while (j < data.Length)
        {
            if (_escaped)
            {
                _escaped = false;
                j++;
                continue;
            }

            int k = data[j..].IndexOfAny((byte)'"', (byte)'\\');
            if (k < 0)
            {
                j = data.Length;
                break;
            }

            j += k + 1;
            if (data[j - 1] == (byte)'\\')
            {
                _escaped = true;
                continue;
            }

            closed = true;
            break;
        }

        var piece = data[start..j];
        if (_state == State.SkipString)
        {
            // the rest of a model id too long to keep
        }
        else if (_pending == Marker.Model)
        {
            AppendModel(piece);
            if (closed)
            {
                _modelDone = _modelLength > 0;
            }
        }
        else
        {
            AppendText(piece);
        }

        if (closed)
        {
            _state = State.Searching;
        }

        return j;
    }

    private int FindEarliest(ReadOnlySpan<byte> span, out Marker marker, out int length)
    {
        int best = -1;
        marker = default;
        length = 0;
        for (int m = 0; m < MarkerCount; m++)
        {
            var needle = MarkerBytes((Marker)m);
            if (needle.IsEmpty)
            {
                continue;
            }

            // Only bytes before the best match so far can hold an earlier one: every byte is searched once per marker.
            var range = best < 0 ? span : span[..Math.Min(span.Length, best + needle.Length - 1)];
            int at = range.IndexOf(needle);
            if (at >= 0 && (best < 0 || at < best))
            {
                best = at;
                marker = (Marker)m;
                length = needle.Length;
            }
        }

        return best;
    }

    /// <summary>Looks for a marker that starts in the kept tail and ends in <paramref name="data"/>; returns where to go on.</summary>
    private int SearchSeam(ReadOnlySpan<byte> data)
    {
        Span<byte> seam = stackalloc byte[TailCapacity * 2];
        int head = Math.Min(data.Length, TailCapacity - 1);
        ReadOnlySpan<byte> tail = _tail;
        tail[.._tailLength].CopyTo(seam);
        data[..head].CopyTo(seam[_tailLength..]);
        seam = seam[..(_tailLength + head)];

        int bestEnd = -1;
        for (int m = 0; m < MarkerCount; m++)
        {
            var needle = MarkerBytes((Marker)m);
            if (needle.IsEmpty)
            {
                continue;
            }

            int from = Math.Max(0, _tailLength - needle.Length + 1);
            int at = seam[from..].IndexOf(needle);
            if (at >= 0 && at + from < _tailLength)
            {
                int end = from + at + needle.Length - _tailLength;
                if (bestEnd < 0 || end < bestEnd)
                {
                    bestEnd = end;
                    _pending = (Marker)m;
                }
            }
        }

        if (bestEnd < 0)
        {
            return 0;
        }

        _tailLength = 0;
        _state = State.AfterName;
        return bestEnd;
    }

    private void KeepTail(ReadOnlySpan<byte> data, int searchedFrom)
    {
        const int keep = TailCapacity - 1;
        var rest = data[searchedFrom..];
        Span<byte> tail = _tail;
        if (rest.Length >= keep)
        {
            rest[^keep..].CopyTo(tail);
            _tailLength = keep;
            return;
        }

        int old = searchedFrom == 0 ? Math.Min(_tailLength, keep - rest.Length) : 0;
        tail.Slice(_tailLength - old, old).CopyTo(tail); // overlapping copy keeps memmove semantics
        rest.CopyTo(tail[old..]);
        _tailLength = old + rest.Length;
    }

    private readonly ReadOnlySpan<byte> MarkerBytes(Marker marker) => marker switch
    {
        Marker.Usage => _format == UsageWireFormat.Gemini ? UsageStrings.UsageMetadataMarker : UsageStrings.UsageMarker,
        Marker.Usage2 => _format == UsageWireFormat.Cohere ? UsageStrings.MetaMarker : default,
        Marker.Model => _modelDone ? default : _format switch
        {
            UsageWireFormat.OpenAI or UsageWireFormat.Anthropic => UsageStrings.ModelMarker,
            UsageWireFormat.Gemini => UsageStrings.ModelVersionMarker,
            _ => default,
        },
        _ => !_captureText ? default : _format switch
        {
            UsageWireFormat.OpenAI => UsageStrings.ContentMarker,
            UsageWireFormat.WorkersAi => UsageStrings.ResponseMarker,
            _ => UsageStrings.TextMarker,
        },
    };

    private static int SkipWhitespace(ReadOnlySpan<byte> data, int i)
    {
        while (i < data.Length && data[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        return i;
    }

    private bool AppendObject(ReadOnlySpan<byte> bytes)
    {
        int needed = _objectLength + bytes.Length;
        if (needed > MaxObjectBytes)
        {
            return false;
        }

        Ensure(ref _object, _objectLength, needed, 512);
        bytes.CopyTo(_object.AsSpan(_objectLength));
        _objectLength = needed;
        return true;
    }

    private void AppendText(ReadOnlySpan<byte> bytes)
    {
        if (_pieceStart < 0)
        {
            _textDropped += bytes.Length; // this piece no longer fits
            return;
        }

        int needed = _textLength + bytes.Length;
        if (needed > MaxTextBytes)
        {
            DropPiece();
            _textDropped += bytes.Length;
            return;
        }

        // Starts small and doubles: a stream's text arrives a token at a time and is held until the stream ends, so a
        // 4 KiB start held that much for every open stream whose text was a few hundred bytes.
        Ensure(ref _text, _textLength, needed, 256);
        bytes.CopyTo(_text.AsSpan(_textLength));
        _textLength = needed;
    }

    private void DropPiece()
    {
        if (_pieceStart >= 0)
        {
            _textDropped += _textLength - _pieceStart;
            _textLength = _pieceStart; // the separator goes too
            _pieceStart = -1;
        }
    }

    private void AppendModel(ReadOnlySpan<byte> bytes)
    {
        Span<byte> model = _model;
        if (_modelLength + bytes.Length > model.Length)
        {
            _modelLength = 0; // a model id longer than 128 bytes is not worth keeping
            _modelDone = true;
            _state = State.SkipString;
            return;
        }

        bytes.CopyTo(model[_modelLength..]);
        _modelLength += bytes.Length;
    }

    private static void Ensure([System.Diagnostics.CodeAnalysis.NotNull] ref byte[]? buffer, int used, int needed, int initial)
    {
        if (buffer is not null && buffer.Length >= needed)
        {
            return;
        }

        Grow(ref buffer, used, needed, initial);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Grow([System.Diagnostics.CodeAnalysis.NotNull] ref byte[]? buffer, int used, int needed, int initial)
    {
        var next = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(initial, (buffer?.Length ?? 0) * 2)));
        if (buffer is not null)
        {
            buffer.AsSpan(0, used).CopyTo(next);
            ArrayPool<byte>.Shared.Return(buffer);
        }

        buffer = next;
    }

    private static void ReturnBuffer(ref byte[]? buffer)
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = null;
        }
    }

    [InlineArray(TailCapacity)]
    private struct TailBytes
    {
        private byte _element;
    }

    [InlineArray(128)]
    private struct ModelBytes
    {
        private byte _element;
    }
}
