using System.Buffers;
using Gateway.Fast.Json;

namespace Gateway.Fast.Guardrails;

/// <summary>Gathers the prose of a JSON request body (its string values, minus ids and binary payloads) for guardrail checks.</summary>
/// <remarks>
/// Values are joined with '\n' and written unescaped. Skipped: values of <c>model</c>, <c>role</c>, <c>type</c>,
/// <c>id</c>, <c>tool_call_id</c>, <c>url</c>, <c>image_url</c>, <c>data</c>, <c>b64_json</c>, <c>detail</c> and
/// <c>format</c>, which carry identifiers or base64 rather than what anyone wrote. A body that is not JSON is taken whole.
/// DLP does not use this: a key can hide in any field, so it scans every string value.
/// </remarks>
public static class PromptText
{
    /// <summary>Writes the text to <paramref name="output"/>; returns the number of bytes written.</summary>
    public static int Collect(ReadOnlySpan<byte> body, IBufferWriter<byte> output)
    {
        int written = 0;
        var strings = new JsonStringValues(body);
        try
        {
            while (strings.MoveNext())
            {
                if (JsonTextProperties.IsNotProse(strings.PropertyName) || strings.Text.IsEmpty)
                {
                    continue;
                }

                if (written > 0)
                {
                    output.Write("\n"u8);
                    written++;
                }

                output.Write(strings.Text);
                written += strings.Text.Length;
            }

            if (!strings.Failed)
            {
                return written;
            }
        }
        finally
        {
            strings.Dispose();
        }

        // Not JSON (or broken part-way): the raw body is the text. What was written so far is a prefix of it anyway.
        if (written > 0)
        {
            output.Write("\n"u8);
            written++;
        }

        output.Write(body);
        return written + body.Length;
    }

    /// <summary>
    /// Writes the text into <paramref name="destination"/>, which must be at least as long as <paramref name="body"/>:
    /// each value is no longer unescaped than escaped and each '\n' replaces at least the closing quote of the value
    /// before it, so the text never outgrows the body. Returns the bytes written.
    /// </summary>
    public static int Collect(ReadOnlySpan<byte> body, Span<byte> destination)
    {
        if (destination.Length < body.Length)
        {
            throw new ArgumentException("The destination must be at least as long as the body.", nameof(destination));
        }

        int written = 0;
        var strings = new JsonStringValues(body);
        try
        {
            while (strings.MoveNext())
            {
                if (JsonTextProperties.IsNotProse(strings.PropertyName) || strings.Text.IsEmpty)
                {
                    continue;
                }

                if (written > 0)
                {
                    destination[written++] = (byte)'\n';
                }

                strings.Text.CopyTo(destination[written..]);
                written += strings.Text.Length;
            }

            if (!strings.Failed)
            {
                return written;
            }
        }
        finally
        {
            strings.Dispose();
        }

        body.CopyTo(destination); // not JSON: the raw body is the text
        return body.Length;
    }
}
