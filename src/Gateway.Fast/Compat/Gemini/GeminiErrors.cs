namespace Gateway.Fast.Compat.Gemini;

/// <summary>Reads <c>{"error":{"code","message","status"}}</c>, which Google also wraps in an array on JSON-array streams.</summary>
internal static class GeminiErrors
{
    public static string? ReadMessage(ReadOnlySpan<byte> native) => ErrorMessageReader.Read(native, "error"u8);
}
