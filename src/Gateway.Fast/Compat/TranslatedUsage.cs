using System.Text.Json;
using Gateway.Fast.Accounting;

namespace Gateway.Fast.Compat;

/// <summary>
/// The usage of one translated answer, read once by the provider's own usage reader (<see cref="UsageObjectParser"/>)
/// as the translator meets each usage object: the caller's <c>usage</c> and the log row's figures both come from it.
/// </summary>
/// <remarks>Later objects overwrite the fields they carry: Anthropic's <c>message_delta</c> after <c>message_start</c>,
/// Gemini's last chunk after the partial figures of the earlier ones.</remarks>
internal struct TranslatedUsage(UsageWireFormat format)
{
    private UsageAccumulator _figures;

    /// <summary>Reads the usage object the reader stands on, leaving it on the object's end.</summary>
    public void Read(ref Utf8JsonReader reader) => UsageObjectParser.Read(format, ref reader, ref _figures);

    /// <summary>What the caller sees in OpenAI's <c>usage</c>.</summary>
    public readonly ChatUsage ForCaller => ChatUsage.From(UsageObjectParser.ToProcessedUsage(format, _figures));

    /// <summary>What the log row records and the cost is computed from.</summary>
    public readonly Usage ForLog => UsageObjectParser.ToUsage(format, _figures);
}
