namespace Gateway.Fast.Compat.Cohere;

/// <summary>Reads Cohere's error body <c>{"id","message"}</c> (fixtures/cohere/cassette-error-404-embed.yaml).</summary>
internal static class CohereErrors
{
    public static string? ReadMessage(ReadOnlySpan<byte> native) => ErrorMessageReader.Read(native);
}
