using System.Text;
using Gateway.Fast.Configuration;
using Gateway.Fast.Universal;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Tests.Universal;

public sealed class UniversalRequestTests
{
    // A two-step chain in the shape of docs/gateway-api.md#universal-endpoint (per-step headers and config, a streamed
    // second step), every message list written out.
    private const string SpecExample = """
        [{"provider":"workers-ai","endpoint":"@cf/meta/llama-3.1-8b-instruct",
          "headers":{"Authorization":"Bearer {cf_token}"},
          "config":{"requestTimeout":1000,"maxAttempts":2,"retryDelay":1000,"backoff":"constant"},
          "query":{"messages":[{"role":"user","content":"Hi"}]}},
         {"provider":"openai","endpoint":"chat/completions","headers":{"Authorization":"Bearer {key}","cf-aig-cache-ttl":"0"},
          "query":{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Hi"}]}}]
        """;

    private static UniversalRequest Parse(string json)
    {
        Assert.True(UniversalRequest.TryParse(Encoding.UTF8.GetBytes(json), out var request, out var error), error.Message);
        Assert.Equal(UniversalParseErrorKind.None, error.Kind);
        return request;
    }

    private static UniversalParseError Refuse(string json, int maxSteps = UniversalRequest.MaxSteps)
    {
        Assert.False(UniversalRequest.TryParse(Encoding.UTF8.GetBytes(json), out var request, out var error, maxSteps));
        Assert.Null(request);
        Assert.NotEqual(UniversalParseErrorKind.None, error.Kind);
        Assert.False(string.IsNullOrEmpty(error.Message));
        return error;
    }

    private static string Text(byte[] body) => Encoding.UTF8.GetString(body);

    [Fact]
    public void SpecExample_ParsesToTwoStepsWithEveryField()
    {
        var steps = Parse(SpecExample).Steps;
        Assert.Equal(2, steps.Count);

        var first = steps[0];
        Assert.Equal(0, first.Index);
        Assert.Equal("workers-ai", first.Provider);
        Assert.Equal("@cf/meta/llama-3.1-8b-instruct", first.Endpoint);
        Assert.Equal([new("Authorization", "Bearer {cf_token}")], first.Headers);
        Assert.Equal(1_000, first.Config.RequestTimeoutMs);
        Assert.Equal(2, first.Config.MaxAttempts);
        Assert.Equal(1_000, first.Config.RetryDelayMs);
        Assert.Equal(RetryBackoff.Constant, first.Config.Backoff);
        Assert.Equal("""{"messages":[{"role":"user","content":"Hi"}]}""", Text(first.Body));

        var second = steps[1];
        Assert.Equal(1, second.Index);
        Assert.Equal("openai", second.Provider);
        Assert.Equal("chat/completions", second.Endpoint);
        Assert.Equal([new("Authorization", "Bearer {key}"), new("cf-aig-cache-ttl", "0")], second.Headers);
        Assert.True(second.Config.IsEmpty);
        Assert.Equal("""{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Hi"}]}""", Text(second.Body));
    }

    [Fact]
    public void SpecExample_StepPolicies_FollowConfigThenHeadersThenGateway()
    {
        var steps = Parse(SpecExample).Steps;
        var gateway = new GatewaySettings { Id = "g", RetryMaxAttempts = 4, RetryDelay = 50, RetryBackoff = RetryBackoff.Linear };
        var headers = new HeaderDictionary { ["cf-aig-request-timeout"] = "7000" };
        var options = new GatewayOptions();

        var first = steps[0].ResolvePolicy(gateway, headers, options);
        Assert.Equal((1_000, 2, 1_000, RetryBackoff.Constant), (first.TimeoutMs, first.MaxAttempts, first.RetryDelayMs, first.Backoff));

        var second = steps[1].ResolvePolicy(gateway, headers, options);
        Assert.Equal((7_000, 4, 50, RetryBackoff.Linear), (second.TimeoutMs, second.MaxAttempts, second.RetryDelayMs, second.Backoff));
    }

    [Fact]
    public void SingleObject_IsAChainOfOneStep()
    {
        var steps = Parse("""{"provider":"openai","endpoint":"chat/completions","query":{"model":"m"}}""").Steps;
        var step = Assert.Single(steps);
        Assert.Equal(0, step.Index);
        Assert.Equal("openai", step.Provider);
        Assert.Equal("""{"model":"m"}""", Text(step.Body));
    }

    [Fact]
    public void Endpoint_LosesLeadingSlashesAndSplitsOffItsQuery()
    {
        var step = Parse("""{"provider":"azure-openai","endpoint":"//res/dep/chat/completions?api-version=2024-10-21"}""").Steps[0];
        Assert.Equal("res/dep/chat/completions?api-version=2024-10-21", step.Endpoint);
        Assert.Equal("res/dep/chat/completions", step.Path);
        Assert.Equal("?api-version=2024-10-21", step.Query);

        step = Parse("""{"provider":"openai","endpoint":"/chat/completions"}""").Steps[0];
        Assert.Equal("chat/completions", step.Path);
        Assert.Equal("", step.Query);
    }

    [Fact]
    public void LegacyAuthorization_BecomesTheAuthorizationHeader()
    {
        var step = Parse("""{"provider":"openai","endpoint":"chat/completions","authorization":"Bearer sk-1"}""").Steps[0];
        Assert.Equal([new("Authorization", "Bearer sk-1")], step.Headers);
    }

    [Fact]
    public void ExplicitAuthorizationHeader_WinsOverTheLegacyField()
    {
        var step = Parse("""
            {"provider":"openai","endpoint":"chat/completions","authorization":"Bearer old","headers":{"authorization":"Bearer new"}}
            """).Steps[0];
        Assert.Equal([new("authorization", "Bearer new")], step.Headers);
    }

    [Fact]
    public void Query_IsReserialisedCompactlyKeepingNonAsciiText()
    {
        var step = Parse("""{"provider":"openai","endpoint":"e","query":{ "a" : [ 1 , 2.50 ], "t" : "héllo + <b> \u00e9" }}""").Steps[0];
        Assert.Equal("""{"a":[1,2.50],"t":"héllo + <b> é"}""", Text(step.Body));
    }

    [Theory]
    [InlineData("""{"provider":"openai","endpoint":"e"}""")]
    [InlineData("""{"provider":"openai","endpoint":"e","query":null}""")]
    public void AbsentQuery_GivesAnEmptyBody(string json)
    {
        Assert.Empty(Parse(json).Steps[0].Body);
    }

    [Fact]
    public void NumberAndBooleanHeaderValues_AreKeptAsText()
    {
        var step = Parse("""{"provider":"openai","endpoint":"e","headers":{"cf-aig-cache-ttl":0,"cf-aig-skip-cache":true,"x-skip":null}}""").Steps[0];
        Assert.Equal([new("cf-aig-cache-ttl", "0"), new("cf-aig-skip-cache", "true")], step.Headers);
    }

    [Fact]
    public void Config_AcceptsNullsIntegralFloatsAndHugeNumbersForClamping()
    {
        var config = Parse("""
            {"provider":"p","endpoint":"e","config":{"requestTimeout":null,"maxAttempts":2.0,"retryDelay":1e30,"backoff":"Exponential","other":"x"}}
            """).Steps[0].Config;
        Assert.Null(config.RequestTimeoutMs);
        Assert.Equal(2, config.MaxAttempts);
        Assert.Equal(int.MaxValue, config.RetryDelayMs);
        Assert.Equal(RetryBackoff.Exponential, config.Backoff);
    }

    [Fact]
    public void TenSteps_AreAllowedAndElevenAreNot()
    {
        string step = """{"provider":"openai","endpoint":"e"}""";
        Assert.Equal(10, Parse("[" + string.Join(',', Enumerable.Repeat(step, 10)) + "]").Steps.Count);

        var error = Refuse("[" + string.Join(',', Enumerable.Repeat(step, 11)) + "]");
        Assert.Equal(UniversalParseErrorKind.TooManySteps, error.Kind);
        Assert.Equal(-1, error.Step);
    }

    [Fact]
    public void StepLimit_CanBeLowered()
    {
        string step = """{"provider":"openai","endpoint":"e"}""";
        Assert.Equal(UniversalParseErrorKind.TooManySteps, Refuse($"[{step},{step}]", maxSteps: 1).Kind);
    }

    [Theory]
    [InlineData("", UniversalParseErrorKind.NotJson, -1)]
    [InlineData("not json", UniversalParseErrorKind.NotJson, -1)]
    [InlineData("""[{"provider":"openai",""", UniversalParseErrorKind.NotJson, -1)]
    [InlineData("""{"a":1} {"b":2}""", UniversalParseErrorKind.NotJson, -1)]
    [InlineData("\"steps\"", UniversalParseErrorKind.NotArrayOrObject, -1)]
    [InlineData("42", UniversalParseErrorKind.NotArrayOrObject, -1)]
    [InlineData("null", UniversalParseErrorKind.NotArrayOrObject, -1)]
    [InlineData("[]", UniversalParseErrorKind.NoSteps, -1)]
    [InlineData("""[{"provider":"openai","endpoint":"e"}, 5]""", UniversalParseErrorKind.StepNotObject, 1)]
    [InlineData("""[[{"provider":"openai","endpoint":"e"}]]""", UniversalParseErrorKind.StepNotObject, 0)]
    [InlineData("""{"endpoint":"e"}""", UniversalParseErrorKind.InvalidProvider, 0)]
    [InlineData("""{"provider":"","endpoint":"e"}""", UniversalParseErrorKind.InvalidProvider, 0)]
    [InlineData("""{"provider":"  ","endpoint":"e"}""", UniversalParseErrorKind.InvalidProvider, 0)]
    [InlineData("""{"provider":7,"endpoint":"e"}""", UniversalParseErrorKind.InvalidProvider, 0)]
    [InlineData("""{"provider":"openai"}""", UniversalParseErrorKind.InvalidEndpoint, 0)]
    [InlineData("""{"provider":"openai","endpoint":""}""", UniversalParseErrorKind.InvalidEndpoint, 0)]
    [InlineData("""{"provider":"openai","endpoint":"/"}""", UniversalParseErrorKind.InvalidEndpoint, 0)]
    [InlineData("""{"provider":"openai","endpoint":["chat"]}""", UniversalParseErrorKind.InvalidEndpoint, 0)]
    [InlineData("""{"provider":"openai","endpoint":"chat/completions\r\nHost: evil"}""", UniversalParseErrorKind.InvalidEndpoint, 0)]
    [InlineData("""{"provider":"openai","endpoint":"chat completions"}""", UniversalParseErrorKind.InvalidEndpoint, 0)]
    [InlineData("""{"provider":"openai","endpoint":"e","headers":["Authorization"]}""", UniversalParseErrorKind.InvalidHeaders, 0)]
    [InlineData("""{"provider":"openai","endpoint":"e","authorization":42}""", UniversalParseErrorKind.InvalidHeaders, 0)]
    [InlineData("""{"provider":"openai","endpoint":"e","config":[]}""", UniversalParseErrorKind.InvalidConfig, 0)]
    [InlineData("""{"provider":"openai","endpoint":"e","config":{"maxAttempts":"2"}}""", UniversalParseErrorKind.InvalidConfig, 0)]
    [InlineData("""{"provider":"openai","endpoint":"e","config":{"maxAttempts":1.5}}""", UniversalParseErrorKind.InvalidConfig, 0)]
    [InlineData("""{"provider":"openai","endpoint":"e","config":{"requestTimeout":true}}""", UniversalParseErrorKind.InvalidConfig, 0)]
    [InlineData("""{"provider":"openai","endpoint":"e","config":{"retryDelay":{}}}""", UniversalParseErrorKind.InvalidConfig, 0)]
    [InlineData("""{"provider":"openai","endpoint":"e","config":{"backoff":"fast"}}""", UniversalParseErrorKind.InvalidConfig, 0)]
    [InlineData("""{"provider":"openai","endpoint":"e","config":{"backoff":1}}""", UniversalParseErrorKind.InvalidConfig, 0)]
    public void BadBodies_AreRefusedWithAReasonAndTheStep(string json, UniversalParseErrorKind kind, int step)
    {
        var error = Refuse(json);
        Assert.Equal(kind, error.Kind);
        Assert.Equal(step, error.Step);
        if (step >= 0)
        {
            Assert.StartsWith($"Step {step}: ", error.Message);
        }
    }

    [Theory]
    [InlineData("""{"X-Evil\r\nHost":"a"}""")]
    [InlineData("""{"X-Ok":"a\r\nX-Injected: 1"}""")]
    [InlineData("""{"X-Ok":"a\nb"}""")]
    [InlineData("""{"X-Ok":"a\u0000b"}""")]
    [InlineData("""{"X-Ok":"naïve"}""")]
    [InlineData("""{"Bad Name":"a"}""")]
    [InlineData("""{"":"a"}""")]
    [InlineData("""{"X-Colon:":"a"}""")]
    [InlineData("""{"X-Ok":{"nested":1}}""")]
    [InlineData("""{"X-Ok":["a","b"]}""")]
    public void HeaderInjectionAndBadHeaders_AreParseErrors(string headers)
    {
        var error = Refuse($$"""{"provider":"openai","endpoint":"e","headers":{{headers}}}""");
        Assert.Equal(UniversalParseErrorKind.InvalidHeaders, error.Kind);
        Assert.DoesNotContain('\r', error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void LegacyAuthorizationWithCrLf_IsRefused()
    {
        var error = Refuse("""{"provider":"openai","endpoint":"e","authorization":"Bearer x\r\nX-Injected: 1"}""");
        Assert.Equal(UniversalParseErrorKind.InvalidHeaders, error.Kind);
    }

    [Fact]
    public void TabsInsideHeaderValues_AreAllowed()
    {
        Assert.Equal("a\tb", Parse("""{"provider":"p","endpoint":"e","headers":{"X-T":"a\tb"}}""").Steps[0].Headers[0].Value);
    }

    [Fact]
    public void ErrorInALaterStep_NamesThatStep()
    {
        var error = Refuse("""[{"provider":"a","endpoint":"e"},{"provider":"b","endpoint":"e"},{"provider":"c"}]""");
        Assert.Equal(UniversalParseErrorKind.InvalidEndpoint, error.Kind);
        Assert.Equal(2, error.Step);
    }
}
