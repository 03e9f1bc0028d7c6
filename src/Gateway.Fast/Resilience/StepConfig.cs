using Gateway.Fast.Configuration;

namespace Gateway.Fast.Resilience;

/// <summary>A Universal step's <c>config</c> object (docs/gateway-api.md#universal-endpoint); a null field leaves the decision to the next source.</summary>
/// <remarks>Values are kept as parsed; <see cref="PolicyResolver"/> clamps them to the same bounds as the headers.</remarks>
public readonly record struct StepConfig(int? RequestTimeoutMs, int? MaxAttempts, int? RetryDelayMs, RetryBackoff? Backoff)
{
    public bool IsEmpty => RequestTimeoutMs is null && MaxAttempts is null && RetryDelayMs is null && Backoff is null;
}
