using System.Buffers;
using System.Text.Json;
using Gateway.Fast.Json;

namespace Gateway.Fast.Guardrails;

/// <summary>Walks a JSON document's string values (not property names) with <see cref="Utf8JsonReader"/>, unescaping only when needed.</summary>
/// <remarks>
/// <see cref="Text"/> is the value as UTF-8: the body's own bytes when the string has no escapes (the common case, no
/// copy), else an unescaped copy in a pooled scratch buffer that lives until the next <see cref="MoveNext"/>.
/// <see cref="RawStart"/>/<see cref="RawLength"/> locate the value between its quotes in the body, for masking.
/// A malformed document stops the walk with <see cref="Failed"/> set; it never throws.
/// Dispose returns the scratch buffer.
/// </remarks>
public ref struct JsonStringValues
{
    private readonly ReadOnlySpan<byte> _json;
    private Utf8JsonReader _reader;
    private byte[] _scratch;
    private int _nameStart;
    private int _nameLength;

    public JsonStringValues(ReadOnlySpan<byte> json)
    {
        _json = json;
        _nameStart = 0;
        _nameLength = 0;
        _reader = new Utf8JsonReader(json, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            MaxDepth = 256,
        });
        _scratch = [];
        Text = default;
    }

    /// <summary>The current string value, unescaped.</summary>
    public ReadOnlySpan<byte> Text { get; private set; }

    /// <summary>Offset of the value's first byte after its opening quote.</summary>
    public int RawStart { get; private set; }

    /// <summary>Length of the value as written in the document (escapes included).</summary>
    public int RawLength { get; private set; }

    /// <summary>True when the value as written holds escapes, so <see cref="Text"/> is a copy.</summary>
    public bool IsEscaped { get; private set; }

    /// <summary>The property name the value belongs to, as written (escapes not resolved); empty for an array element.</summary>
    public readonly ReadOnlySpan<byte> PropertyName => _json.Slice(_nameStart, _nameLength);

    /// <summary>True when the document was malformed or truncated; the walk stopped there.</summary>
    public bool Failed { get; private set; }

    /// <summary>True once the walk has read at least one token, i.e. the body began as JSON.</summary>
    public readonly bool Started => _reader.BytesConsumed > 0;

    public bool MoveNext()
    {
        if (Failed)
        {
            return false;
        }

        try
        {
            int nameStart = 0, nameLength = 0;
            while (_reader.Read())
            {
                if (_reader.TokenType == JsonTokenType.PropertyName)
                {
                    nameStart = (int)_reader.TokenStartIndex + 1;
                    nameLength = _reader.ValueSpan.Length;
                    continue;
                }

                if (_reader.TokenType != JsonTokenType.String)
                {
                    nameLength = 0;
                    continue;
                }

                _nameStart = nameStart;
                _nameLength = nameLength;

                RawStart = (int)_reader.TokenStartIndex + 1;
                RawLength = _reader.ValueSpan.Length;
                IsEscaped = _reader.ValueIsEscaped;
                Text = Utf8JsonStrings.Unescape(ref _reader, ref _scratch, minimumRent: 256);
                return true;
            }
        }
        catch (JsonException)
        {
            Failed = true;
        }
        catch (InvalidOperationException)
        {
            Failed = true; // CopyString on invalid UTF-8 inside an escaped string
        }

        Text = default;
        return false;
    }

    public void Dispose()
    {
        if (_scratch.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = [];
        }
    }
}
