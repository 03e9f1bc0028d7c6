namespace Gateway.Fast.Universal;

/// <summary>A refused Universal body: the reason, the step it was found in (-1 for the body as a whole) and a message for the caller.</summary>
public readonly record struct UniversalParseError(UniversalParseErrorKind Kind, int Step, string Message)
{
    public static UniversalParseError None => default;

    public static UniversalParseError Body(UniversalParseErrorKind kind, string message) => new(kind, -1, message);

    public static UniversalParseError InStep(UniversalParseErrorKind kind, int step, string message)
        => new(kind, step, $"Step {step}: {message}");
}
