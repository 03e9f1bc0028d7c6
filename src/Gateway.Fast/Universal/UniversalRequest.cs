using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Gateway.Fast.Universal;

/// <summary>A parsed Universal Endpoint body: the fallback chain, tried in order until a step succeeds (docs/gateway-api.md#universal-endpoint).</summary>
/// <remarks>
/// Cold-ish path (one parse per Universal request), so it reads a <see cref="JsonDocument"/>. Accepts a JSON array of
/// steps, or one step object (our choice). Every refusal is a <see cref="UniversalParseError"/> value, never an exception.
/// </remarks>
public sealed class UniversalRequest
{
    /// <summary>Most steps in one chain (our choice): each may cost up to 5 attempts, and Cloudflare documents no limit.</summary>
    public const int MaxSteps = 10;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    private UniversalRequest(UniversalStep[] steps) => Steps = steps;

    public IReadOnlyList<UniversalStep> Steps { get; }

    public static bool TryParse(ReadOnlyMemory<byte> body, [NotNullWhen(true)] out UniversalRequest? request, out UniversalParseError error,
        int maxSteps = MaxSteps)
    {
        request = null;
        if (!TryOpen(body, out var document))
        {
            error = UniversalParseError.Body(UniversalParseErrorKind.NotJson, "The body is not valid JSON.");
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            UniversalStep[] steps;
            switch (root.ValueKind)
            {
                case JsonValueKind.Object:
                    if (!UniversalStepReader.TryRead(root, 0, out var single, out error))
                    {
                        return false;
                    }

                    steps = [single];
                    break;
                case JsonValueKind.Array:
                    int count = root.GetArrayLength();
                    if (count == 0)
                    {
                        error = UniversalParseError.Body(UniversalParseErrorKind.NoSteps, "The body is an empty array; at least one step is required.");
                        return false;
                    }

                    if (count > maxSteps)
                    {
                        error = UniversalParseError.Body(UniversalParseErrorKind.TooManySteps,
                            $"The body has {count} steps; at most {maxSteps} are allowed.");
                        return false;
                    }

                    steps = new UniversalStep[count];
                    int i = 0;
                    foreach (var element in root.EnumerateArray())
                    {
                        if (!UniversalStepReader.TryRead(element, i, out var step, out error))
                        {
                            return false;
                        }

                        steps[i++] = step;
                    }

                    break;
                default:
                    error = UniversalParseError.Body(UniversalParseErrorKind.NotArrayOrObject,
                        "The body must be a JSON array of steps or a single step object.");
                    return false;
            }

            request = new UniversalRequest(steps);
            error = UniversalParseError.None;
            return true;
        }
    }

    private static bool TryOpen(ReadOnlyMemory<byte> body, [NotNullWhen(true)] out JsonDocument? document)
    {
        document = null;
        if (body.IsEmpty)
        {
            return false;
        }

        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
            return true;
        }
        catch (JsonException)
        {
            return false; // JsonDocument has no Try form; this is the cold path of a bad request
        }
    }
}
