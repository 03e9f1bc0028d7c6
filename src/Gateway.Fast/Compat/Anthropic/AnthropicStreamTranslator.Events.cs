using System.Text.Json;
using Gateway.Fast.Json;

namespace Gateway.Fast.Compat.Anthropic;

/// <summary>Reading one stream event's JSON, its properties in any order (the padded recording shows the wire is not canonical).</summary>
internal sealed partial class AnthropicStreamTranslator
{
    private enum EventType : byte
    {
        Unknown,
        MessageStart,
        BlockStart,
        BlockDelta,
        BlockStop,
        MessageDelta,
        Error,
    }

    private Event Parse(ReadOnlySpan<byte> data)
    {
        var e = default(Event);
        var reader = new Utf8JsonReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return e;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                e.Type = Classify(reader.ValueSpan);
            }
            else if (reader.ValueTextEquals("content_block"u8) || reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                ReadBlock(ref reader, ref e);
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                ReadMessage(ref reader);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                _usage.Read(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return e;
    }

    private static EventType Classify(ReadOnlySpan<byte> type)
    {
        if (type.SequenceEqual("content_block_delta"u8))
        {
            return EventType.BlockDelta; // the common case first
        }

        if (type.SequenceEqual("content_block_start"u8))
        {
            return EventType.BlockStart;
        }

        if (type.SequenceEqual("content_block_stop"u8))
        {
            return EventType.BlockStop;
        }

        if (type.SequenceEqual("message_delta"u8))
        {
            return EventType.MessageDelta;
        }

        if (type.SequenceEqual("message_start"u8))
        {
            return EventType.MessageStart;
        }

        return type.SequenceEqual("error"u8) ? EventType.Error : EventType.Unknown;
    }

    /// <summary><c>content_block</c> of a start or <c>delta</c> of a block delta or message delta: the one object an event carries.</summary>
    private void ReadBlock(ref Utf8JsonReader reader, ref Event e)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                e.BlockType = reader.ValueSpan;
            }
            else if (reader.ValueTextEquals("text"u8) || reader.ValueTextEquals("thinking"u8) || reader.ValueTextEquals("partial_json"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    e.Text = Unescape(ref reader);
                }
            }
            else if (reader.ValueTextEquals("stop_reason"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    e.StopReason = reader.ValueSpan;
                }
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                e.Id = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                e.Name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary><c>message_start.message</c>: only its usage matters (id and model are the gateway's own in OpenAI chunks).</summary>
    private void ReadMessage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool usage = reader.ValueTextEquals("usage"u8);
            reader.Read();
            if (usage)
            {
                _usage.Read(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>A string value's UTF-8 text: in place when it has no escapes, else unescaped into the pooled scratch buffer.</summary>
    private ReadOnlySpan<byte> Unescape(scoped ref Utf8JsonReader reader) => Utf8JsonStrings.Unescape(ref reader, ref _scratch);

    /// <summary>What one event says; the spans point into the event's data or the scratch buffer.</summary>
    private ref struct Event
    {
        public EventType Type;
        public ReadOnlySpan<byte> BlockType;
        public ReadOnlySpan<byte> Text;
        public ReadOnlySpan<byte> StopReason;
        public string? Id;
        public string? Name;

        /// <summary>A delta's <c>type</c> (<c>text_delta</c>, <c>input_json_delta</c>…): the same field as a block's.</summary>
        public readonly ReadOnlySpan<byte> DeltaType => BlockType;
    }
}
