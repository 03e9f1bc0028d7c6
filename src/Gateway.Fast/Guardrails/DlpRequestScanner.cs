using System.Buffers;

namespace Gateway.Fast.Guardrails;

/// <summary>Runs a gateway's request-side DLP policies over a request body, and masks it when a MASK policy says so.</summary>
/// <remarks>
/// Usage on the request path:
/// <code>
///   var verdict = DlpRequestScanner.Check(policies, body);
///   if (verdict.Action == GuardAction.Block) → GatewayError.DlpRequestBlocked
///   if (verdict.Action == GuardAction.Mask)  → DlpRequestScanner.Mask(policies, body, writer); send the writer's bytes upstream
///   if (verdict.Matched)                      → cf-aig-dlp: DlpFindings.ToHeader(policies, verdict, responseVerdict)
/// </code>
/// The scan reads the JSON string values (the prompt text, with escapes resolved); a body that is not JSON is scanned as
/// raw text, and since it cannot be masked without knowing its format a MASK on it becomes a BLOCK: the policy's intent
/// is that the data does not leave, and forwarding it unmasked would break that.
/// </remarks>
public static class DlpRequestScanner
{
    public static DlpVerdict Check(DlpPolicySet policies, ReadOnlySpan<byte> body)
    {
        var entries = policies.RequestEntries;
        if (entries == DlpEntries.None || body.IsEmpty)
        {
            return DlpVerdict.None(GuardCheck.Request);
        }

        var found = DlpEntries.None;
        var strings = new JsonStringValues(body);
        bool json;
        try
        {
            while (strings.MoveNext())
            {
                found |= DlpScanner.Detect(strings.Text, entries);
            }

            json = !strings.Failed;
        }
        finally
        {
            strings.Dispose();
        }

        // The raw bytes too: a secret in a property name or a number is no string value, and a caller must not be able
        // to slip one past the check by where in the JSON it puts it. What only the raw pass found cannot be masked.
        var outsideStrings = DlpScanner.Detect(body, entries) & ~found;
        found |= outsideStrings;
        var action = policies.ActionFor(GuardCheck.Request, found);
        if (action == GuardAction.Mask && (!json || outsideStrings != DlpEntries.None))
        {
            action = GuardAction.Block;
        }

        return new DlpVerdict(action, found, GuardCheck.Request);
    }

    /// <summary>
    /// Writes <paramref name="body"/> to <paramref name="output"/> with each match of the MASK policies' detectors inside a
    /// JSON string value replaced by <c>[REDACTED:&lt;entry id&gt;]</c>; returns how many matches were replaced.
    /// </summary>
    /// <remarks>
    /// Only string contents change, so the output is valid JSON whenever the input was. A value written with escapes is
    /// unescaped, masked and escaped again (quotes, backslashes and control characters), since a match may span an escape.
    /// Returns -1 without writing when the body is not valid JSON.
    /// </remarks>
    public static int Mask(DlpPolicySet policies, ReadOnlySpan<byte> body, IBufferWriter<byte> output)
        => Mask(body, policies.MaskEntries, output);

    /// <inheritdoc cref="Mask(DlpPolicySet, ReadOnlySpan{byte}, IBufferWriter{byte})"/>
    public static int Mask(ReadOnlySpan<byte> body, DlpEntries entries, IBufferWriter<byte> output)
    {
        // First pass validates the whole document, so a truncated body is never half-written.
        var check = new JsonStringValues(body);
        try
        {
            while (check.MoveNext())
            {
            }

            if (check.Failed || !check.Started)
            {
                return -1;
            }
        }
        finally
        {
            check.Dispose();
        }

        int replaced = 0;
        int copied = 0;
        var strings = new JsonStringValues(body);
        try
        {
            while (strings.MoveNext())
            {
                var text = strings.Text;
                var matches = DlpScanner.EnumerateMatches(text, entries);
                if (!matches.MoveNext())
                {
                    continue;
                }

                output.Write(body[copied..strings.RawStart]);
                int at = 0;
                do
                {
                    var m = matches.Current;
                    WriteText(output, text[at..m.Start], strings.IsEscaped);
                    output.Write("[REDACTED:"u8);
                    output.Write(DlpProfiles.EntryIdUtf8(m.Entry));
                    output.Write("]"u8);
                    at = m.End;
                    replaced++;
                }
                while (matches.MoveNext());

                WriteText(output, text[at..], strings.IsEscaped);
                copied = strings.RawStart + strings.RawLength;
            }
        }
        finally
        {
            strings.Dispose();
        }

        output.Write(body[copied..]);
        return replaced;
    }

    /// <summary>Copies unescaped string content back into a JSON string, escaping only what JSON requires.</summary>
    private static void WriteText(IBufferWriter<byte> output, ReadOnlySpan<byte> text, bool escape)
    {
        if (!escape)
        {
            output.Write(text); // the value had no escapes, so its bytes need none
            return;
        }

        Span<byte> esc = stackalloc byte[6];
        while (!text.IsEmpty)
        {
            int special = IndexOfSpecial(text);
            if (special < 0)
            {
                output.Write(text);
                return;
            }

            output.Write(text[..special]);
            byte b = text[special];
            int n = 2;
            esc[0] = (byte)'\\';
            switch (b)
            {
                case (byte)'"': esc[1] = (byte)'"'; break;
                case (byte)'\\': esc[1] = (byte)'\\'; break;
                case (byte)'\n': esc[1] = (byte)'n'; break;
                case (byte)'\r': esc[1] = (byte)'r'; break;
                case (byte)'\t': esc[1] = (byte)'t'; break;
                default:
                    "u00"u8.CopyTo(esc[1..]);
                    esc[4] = Hex[b >> 4];
                    esc[5] = Hex[b & 0xF];
                    n = 6;
                    break;
            }

            output.Write(esc[..n]);
            text = text[(special + 1)..];
        }
    }

    private static int IndexOfSpecial(ReadOnlySpan<byte> text) => text.IndexOfAny(JsonSpecial);

    // What RFC 8259 §7 requires escaped inside a string: quote, backslash, U+0000–U+001F.
    private static readonly SearchValues<byte> JsonSpecial = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\a\b\t\n\v\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\"\\"u8);

    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;
}
