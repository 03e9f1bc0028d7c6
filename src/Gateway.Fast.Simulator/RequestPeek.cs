using System.Buffers;
using System.Text.Json;

namespace Gateway.Fast.Simulator;

/// <summary>The few request-body facts the simulator needs, peeked with <see cref="Utf8JsonReader"/> (no DOM).</summary>
internal readonly struct RequestPeek
{
    public string? Model { get; init; }
    public bool Stream { get; init; }
    public bool IncludeUsage { get; init; }
    public bool Base64 { get; init; }
    public int Dimensions { get; init; }
    /// <summary>Number of inputs for embeddings (1 for a single string).</summary>
    public int InputCount { get; init; }
    public long BodyLength { get; init; }
    /// <summary>The request offers tools (a named one in <c>tools</c>, or Bedrock's <c>toolConfig</c>).</summary>
    public bool HasTools { get; init; }

    /// <summary>The first <c>name</c> inside <c>tools</c> (every provider's tool list names its functions so), interned; null without tools.</summary>
    public string? ToolName { get; init; }

    /// <summary>Prompt tokens for usage: max(1, body bytes / 4).</summary>
    public int PromptTokens => (int)Math.Clamp(BodyLength / 4, 1, int.MaxValue);

    public static RequestPeek Parse(in ReadOnlySequence<byte> body)
    {
        if (body.IsEmpty)
        {
            return new RequestPeek { InputCount = 1 };
        }

        try
        {
            return ParseCore(body);
        }
        catch (JsonException)
        {
            // Not JSON (or not an object): the simulator still answers, with defaults.
            return new RequestPeek { BodyLength = body.Length, InputCount = 1 };
        }
    }

    private static RequestPeek ParseCore(in ReadOnlySequence<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        string? model = null, tool = null;
        bool stream = false, includeUsage = false, base64 = false;
        int dimensions = 0, inputs = 1;

        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return new RequestPeek { BodyLength = body.Length, InputCount = 1 };
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    model = ModelNames.Intern(ref reader);
                }

                reader.Skip(); // passes over a non-string model whole; on a string it does not move
            }
            else if (reader.ValueTextEquals("stream"u8))
            {
                reader.Read();
                stream = reader.TokenType == JsonTokenType.True;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("stream_options"u8))
            {
                reader.Read();
                includeUsage = ReadIncludeUsage(ref reader);
            }
            else if (reader.ValueTextEquals("encoding_format"u8))
            {
                reader.Read();
                base64 = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("base64"u8);
            }
            else if (reader.ValueTextEquals("dimensions"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int d) && d > 0)
                {
                    dimensions = Math.Min(d, 8192);
                }
            }
            else if (reader.ValueTextEquals("tools"u8) || reader.ValueTextEquals("toolConfig"u8))
            {
                reader.Read();
                tool ??= FirstName(ref reader); // Bedrock's toolConfig.tools[].toolSpec.name included
            }
            else if (reader.ValueTextEquals("input"u8) || reader.ValueTextEquals("texts"u8) || reader.ValueTextEquals("requests"u8))
            {
                reader.Read();
                inputs = CountInputs(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new RequestPeek
        {
            Model = model,
            Stream = stream,
            IncludeUsage = includeUsage,
            Base64 = base64,
            Dimensions = dimensions,
            InputCount = inputs,
            BodyLength = body.Length,
            ToolName = tool,
            HasTools = tool is not null,
        };
    }

    /// <summary>Skips the value the reader stands on, returning the first string property called <c>name</c> inside it.</summary>
    private static string? FirstName(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.StartArray or JsonTokenType.StartObject))
        {
            reader.Skip();
            return null;
        }

        string? name = null;
        int depth = reader.CurrentDepth;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (name is null && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = reader.TokenType == JsonTokenType.String ? ModelNames.Intern(ref reader) : null;
            }
        }

        return name;
    }

    private static bool ReadIncludeUsage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        bool include = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isIt = reader.ValueTextEquals("include_usage"u8);
            reader.Read();
            if (isIt)
            {
                include = reader.TokenType == JsonTokenType.True;
            }

            reader.Skip();
        }

        return include;
    }

    private static int CountInputs(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return 1;
        }

        // ["a","b"] is two inputs; [1,2,3] (one pre-tokenised input) is one; [[1,2],[3]] is two.
        int count = 0;
        bool numbers = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            numbers |= reader.TokenType == JsonTokenType.Number;
            count++;
            reader.Skip();
        }

        return numbers ? 1 : Math.Clamp(count, 1, 2048);
    }
}
