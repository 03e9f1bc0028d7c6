using Gateway.Fast.Errors;
using Gateway.Fast.Resilience;

namespace Gateway.Fast.Tests.Resilience;

public sealed class RetryClassifierTests
{
    [Theory]
    [InlineData(200, false, false, false)]
    [InlineData(201, false, false, false)]
    [InlineData(500, false, true, true)]
    [InlineData(502, false, true, true)]
    [InlineData(503, false, true, true)]
    [InlineData(504, false, true, true)]
    [InlineData(599, false, true, true)]
    [InlineData(429, false, true, true)]
    [InlineData(400, false, false, true)]
    [InlineData(401, false, false, true)]
    [InlineData(403, false, false, true)]
    [InlineData(404, false, false, true)]
    [InlineData(408, false, false, true)]
    [InlineData(422, false, false, true)]
    [InlineData(302, false, false, true)]
    [InlineData(500, true, false, false)]
    [InlineData(429, true, false, false)]
    [InlineData(400, true, false, false)]
    [InlineData(200, true, false, false)]
    public void UpstreamStatuses_AreClassified(int status, bool started, bool retry, bool fallBack)
    {
        Assert.Equal(retry, RetryClassifier.ShouldRetry(status, GatewayError.None, started));
        Assert.Equal(fallBack, RetryClassifier.ShouldFallBack(status, GatewayError.None, started));
    }

    [Theory]
    [InlineData(GatewayError.UpstreamUnavailable, false, true, true)]
    [InlineData(GatewayError.UpstreamTimeout, false, true, true)]
    [InlineData(GatewayError.ClientClosed, false, false, false)]
    [InlineData(GatewayError.InvalidProvider, false, false, true)]
    [InlineData(GatewayError.MalformedPath, false, false, true)]
    [InlineData(GatewayError.UpstreamUnavailable, true, false, false)]
    [InlineData(GatewayError.UpstreamTimeout, true, false, false)]
    [InlineData(GatewayError.ClientClosed, true, false, false)]
    public void GatewayErrors_AreClassified(GatewayError error, bool started, bool retry, bool fallBack)
    {
        Assert.Equal(retry, RetryClassifier.ShouldRetry(0, error, started));
        Assert.Equal(fallBack, RetryClassifier.ShouldFallBack(0, error, started));
    }

    [Fact]
    public void EveryGatewayError_HasAnAnswerWithoutThrowing()
    {
        foreach (var error in Enum.GetValues<GatewayError>())
        {
            bool retry = RetryClassifier.ShouldRetry(0, error, responseStarted: false);
            bool fallBack = RetryClassifier.ShouldFallBack(0, error, responseStarted: false);
            Assert.True(!retry || fallBack, $"{error}: whatever is retried must also fall back once attempts run out");
        }
    }
}
