using Gateway.Fast.Configuration;
using Gateway.Fast.Resilience;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Tests.Resilience;

public sealed class PolicyResolverTests
{
    private static readonly GatewayOptions Options = new() { UpstreamTimeoutMs = 9_000 };

    private static readonly GatewaySettings Bare = new() { Id = "g" };

    // One distinct value per source, so the winner of each field can be read off the result.
    private static readonly StepConfig ConfigValues = new(RequestTimeoutMs: 1_000, MaxAttempts: 2, RetryDelayMs: 100, Backoff: RetryBackoff.Linear);

    private static readonly KeyValuePair<string, string>[] StepHeaderValues =
    [
        new("cf-aig-request-timeout", "2000"), new("cf-aig-max-attempts", "3"), new("cf-aig-retry-delay", "200"),
        new("cf-aig-backoff", "exponential"),
    ];

    private static readonly GatewaySettings GatewayValues = new()
    {
        Id = "g", RetryMaxAttempts = 5, RetryDelay = 400, RetryBackoff = RetryBackoff.Linear,
    };

    private static HeaderDictionary RequestHeaderValues() => new()
    {
        ["cf-aig-request-timeout"] = "3000", ["cf-aig-max-attempts"] = "4", ["cf-aig-retry-delay"] = "300",
        ["cf-aig-backoff"] = "constant",
    };

    [Fact]
    public void NothingSet_GivesProcessDefaults_OneAttemptNoDelayConstant()
    {
        var policy = PolicyResolver.Resolve(Bare, new HeaderDictionary(), null, Options);
        Assert.Equal(9_000, policy.TimeoutMs);
        Assert.Equal(1, policy.MaxAttempts);
        Assert.Equal(0, policy.RetryDelayMs);
        Assert.Equal(RetryBackoff.Constant, policy.Backoff);
    }

    [Theory]
    [InlineData(true, true, true, true, 1_000, 2, 100)]
    [InlineData(false, true, true, true, 2_000, 3, 200)]
    [InlineData(false, false, true, true, 3_000, 4, 300)]
    [InlineData(false, false, false, true, 9_000, 5, 400)] // gateways have no timeout setting: the process default
    [InlineData(false, false, false, false, 9_000, 1, 0)]
    [InlineData(true, false, false, true, 1_000, 2, 100)]
    [InlineData(false, true, false, true, 2_000, 3, 200)]
    [InlineData(true, false, true, false, 1_000, 2, 100)]
    public void EachSource_BeatsEverySourceBelowIt(bool config, bool stepHeaders, bool requestHeaders, bool gateway,
        int timeout, int attempts, int delay)
    {
        var policy = PolicyResolver.Resolve(gateway ? GatewayValues : Bare, requestHeaders ? RequestHeaderValues() : new HeaderDictionary(),
            config ? ConfigValues : null, Options, stepHeaders ? StepHeaderValues : null);

        Assert.Equal(timeout, policy.TimeoutMs);
        Assert.Equal(attempts, policy.MaxAttempts);
        Assert.Equal(delay, policy.RetryDelayMs);
    }

    [Theory]
    [InlineData(true, true, true, true, RetryBackoff.Linear)]
    [InlineData(false, true, true, true, RetryBackoff.Exponential)]
    [InlineData(false, false, true, true, RetryBackoff.Constant)]
    [InlineData(false, false, false, true, RetryBackoff.Linear)]
    [InlineData(false, false, false, false, RetryBackoff.Constant)]
    public void Backoff_FollowsTheSamePrecedence(bool config, bool stepHeaders, bool requestHeaders, bool gateway, RetryBackoff expected)
    {
        var policy = PolicyResolver.Resolve(gateway ? GatewayValues : Bare, requestHeaders ? RequestHeaderValues() : new HeaderDictionary(),
            config ? ConfigValues : null, Options, stepHeaders ? StepHeaderValues : null);
        Assert.Equal(expected, policy.Backoff);
    }

    [Fact]
    public void Fields_FallThroughIndependently()
    {
        var config = new StepConfig(null, MaxAttempts: 3, null, null);
        KeyValuePair<string, string>[] stepHeaders = [new("CF-AIG-REQUEST-TIMEOUT", "1500")];
        var headers = new HeaderDictionary { ["cf-aig-retry-delay"] = "250" };
        var gateway = new GatewaySettings { Id = "g", RetryMaxAttempts = 5, RetryDelay = 1_000, RetryBackoff = RetryBackoff.Exponential };

        var policy = PolicyResolver.Resolve(gateway, headers, config, Options, stepHeaders);

        Assert.Equal(1_500, policy.TimeoutMs);       // step header
        Assert.Equal(3, policy.MaxAttempts);         // step config
        Assert.Equal(250, policy.RetryDelayMs);      // request header
        Assert.Equal(RetryBackoff.Exponential, policy.Backoff); // gateway
    }

    [Theory]
    [InlineData("0", 1)]
    [InlineData("-2", 1)]
    [InlineData("6", 5)]
    [InlineData("99999999999", 5)]
    [InlineData(" 3 ", 3)]
    [InlineData("+4", 4)]
    public void AttemptsHeader_IsClampedToOneThroughFive(string value, int expected)
    {
        var policy = PolicyResolver.Resolve(Bare, new HeaderDictionary { ["cf-aig-max-attempts"] = value }, null, Options);
        Assert.Equal(expected, policy.MaxAttempts);
    }

    [Theory]
    [InlineData("6000", 5_000)]
    [InlineData("-5", 0)]
    [InlineData("0", 0)]
    [InlineData("5000", 5_000)]
    public void DelayHeader_IsClampedToZeroThroughFiveSeconds(string value, int expected)
    {
        var gateway = new GatewaySettings { Id = "g", RetryDelay = 777 };
        var policy = PolicyResolver.Resolve(gateway, new HeaderDictionary { ["cf-aig-retry-delay"] = value }, null, Options);
        Assert.Equal(expected, policy.RetryDelayMs);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("1.5")]
    [InlineData("3 4")]
    [InlineData("0x3")]
    [InlineData("99999999999999999999999")]
    public void InvalidNumbers_AreIgnoredInFavourOfTheGateway(string value)
    {
        var headers = new HeaderDictionary
        {
            ["cf-aig-max-attempts"] = value, ["cf-aig-retry-delay"] = value, ["cf-aig-request-timeout"] = value,
        };
        var policy = PolicyResolver.Resolve(GatewayValues, headers, null, Options);
        Assert.Equal(5, policy.MaxAttempts);
        Assert.Equal(400, policy.RetryDelayMs);
        Assert.Equal(9_000, policy.TimeoutMs);
    }

    [Fact]
    public void AHeaderGivenTwice_IsIgnored()
    {
        var headers = new HeaderDictionary { ["cf-aig-max-attempts"] = new(["2", "3"]) };
        Assert.Equal(5, PolicyResolver.Resolve(GatewayValues, headers, null, Options).MaxAttempts);

        KeyValuePair<string, string>[] stepHeaders = [new("cf-aig-max-attempts", "2"), new("cf-aig-max-attempts", "3")];
        Assert.Equal(5, PolicyResolver.Resolve(GatewayValues, new HeaderDictionary(), null, Options, stepHeaders).MaxAttempts);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-100")]
    public void NonPositiveTimeouts_AreIgnored(string value)
    {
        var policy = PolicyResolver.Resolve(Bare, new HeaderDictionary { ["cf-aig-request-timeout"] = value }, null, Options);
        Assert.Equal(9_000, policy.TimeoutMs);
    }

    [Fact]
    public void NonPositiveTimeoutInStepConfig_FallsThroughToHeaders()
    {
        var policy = PolicyResolver.Resolve(Bare, new HeaderDictionary { ["cf-aig-request-timeout"] = "1234" },
            new StepConfig(0, null, null, null), Options);
        Assert.Equal(1_234, policy.TimeoutMs);
    }

    [Fact]
    public void OutOfRangeStepConfig_IsClampedLikeHeaders()
    {
        var policy = PolicyResolver.Resolve(Bare, new HeaderDictionary(), new StepConfig(null, 12, 60_000, null), Options);
        Assert.Equal(5, policy.MaxAttempts);
        Assert.Equal(5_000, policy.RetryDelayMs);

        policy = PolicyResolver.Resolve(Bare, new HeaderDictionary(), new StepConfig(null, 0, -1, null), Options);
        Assert.Equal(1, policy.MaxAttempts);
        Assert.Equal(0, policy.RetryDelayMs);
    }

    [Theory]
    [InlineData("EXPONENTIAL", RetryBackoff.Exponential)]
    [InlineData("Linear", RetryBackoff.Linear)]
    [InlineData(" constant ", RetryBackoff.Constant)]
    [InlineData("fast", RetryBackoff.Linear)] // invalid: the gateway's
    [InlineData("", RetryBackoff.Linear)]
    public void BackoffHeader_IsCaseInsensitiveAndInvalidIsIgnored(string value, RetryBackoff expected)
    {
        var gateway = new GatewaySettings { Id = "g", RetryBackoff = RetryBackoff.Linear };
        var policy = PolicyResolver.Resolve(gateway, new HeaderDictionary { ["cf-aig-backoff"] = value }, null, Options);
        Assert.Equal(expected, policy.Backoff);
    }

    [Fact]
    public void InvalidStepHeader_FallsThroughToTheRequestHeader()
    {
        KeyValuePair<string, string>[] stepHeaders = [new("cf-aig-max-attempts", "many")];
        var headers = new HeaderDictionary { ["cf-aig-max-attempts"] = "4" };
        Assert.Equal(4, PolicyResolver.Resolve(Bare, headers, null, Options, stepHeaders).MaxAttempts);
    }

    [Fact]
    public void FinalAttempt_WaitsLongerOnlyOnTheLastStepOfAChain()
    {
        var policy = new RequestPolicy(timeoutMs: 1_000, maxAttempts: 2, retryDelayMs: 0, RetryBackoff.Constant);

        Assert.Equal(1_000, policy.AttemptTimeoutMs(1, waitsOnFinalAttempt: true, processTimeoutMs: 120_000));
        Assert.Equal(120_000, policy.AttemptTimeoutMs(2, waitsOnFinalAttempt: true, processTimeoutMs: 120_000));
        Assert.Equal(1_000, policy.AttemptTimeoutMs(2, waitsOnFinalAttempt: false, processTimeoutMs: 120_000));
        Assert.True(policy.HasAttemptAfter(1));
        Assert.False(policy.HasAttemptAfter(2));
    }

    [Fact]
    public void Resolving_AllocatesNothing()
    {
        var headers = RequestHeaderValues();
        StepConfig? config = new StepConfig(null, 3, null, null);
        _ = PolicyResolver.Resolve(GatewayValues, headers, config, Options, StepHeaderValues); // JIT and first-use caches

        long before = GC.GetAllocatedBytesForCurrentThread();
        RequestPolicy policy = default;
        for (int i = 0; i < 100; i++)
        {
            policy = PolicyResolver.Resolve(GatewayValues, headers, config, Options, StepHeaderValues);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(3, policy.MaxAttempts);
    }
}
