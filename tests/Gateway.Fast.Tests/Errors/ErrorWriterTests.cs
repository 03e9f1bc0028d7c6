using System.Text.Json;
using Gateway.Fast.Errors;

namespace Gateway.Fast.Tests.Errors;

public sealed class ErrorWriterTests
{
    public static TheoryData<GatewayError, ErrorShape> EveryErrorInEveryShape()
    {
        var data = new TheoryData<GatewayError, ErrorShape>();
        foreach (var e in Enum.GetValues<GatewayError>())
        {
            if (e == GatewayError.None)
            {
                continue;
            }

            foreach (var s in Enum.GetValues<ErrorShape>())
            {
                data.Add(e, s);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryErrorInEveryShape))]
    public void EveryError_HasAStatusAndABodyInEveryShape(GatewayError error, ErrorShape shape)
    {
        var d = ErrorDescription.For(error);
        Assert.InRange(d.Status, 400, 599);
        Assert.NotEqual(2099, d.Code); // 2099 is the fallback for an unmapped member
        using var doc = JsonDocument.Parse(ErrorWriter.BodyOf(error, shape));
        var root = doc.RootElement;
        switch (shape)
        {
            case ErrorShape.OpenAI:
                Assert.Equal(d.Message, root.GetProperty("error").GetProperty("message").GetString());
                Assert.Equal(d.Code, root.GetProperty("error").GetProperty("code").GetInt32());
                Assert.False(string.IsNullOrEmpty(root.GetProperty("error").GetProperty("type").GetString()));
                break;
            case ErrorShape.Anthropic:
                Assert.Equal("error", root.GetProperty("type").GetString());
                Assert.Equal(d.Message, root.GetProperty("error").GetProperty("message").GetString());
                break;
            default:
                Assert.False(root.GetProperty("success").GetBoolean());
                Assert.Equal(d.Code, root.GetProperty("error")[0].GetProperty("code").GetInt32());
                Assert.Equal(d.Status, root.GetProperty("httpCode").GetInt32());
                Assert.Equal(d.Code, root.GetProperty("internalCode").GetInt32());
                Assert.Equal("AiGatewayError", root.GetProperty("name").GetString());
                break;
        }
    }

    [Theory]
    [MemberData(nameof(EveryErrorInEveryShape))]
    public void EveryMessage_SaysWhatWentWrongAndWhatToDo_WithoutACloudflareDashboard(GatewayError error, ErrorShape shape)
    {
        var d = ErrorDescription.For(error);
        using var doc = JsonDocument.Parse(ErrorWriter.BodyOf(error, shape));
        var message = shape switch
        {
            ErrorShape.Cloudflare => doc.RootElement.GetProperty("message").GetString(),
            _ => doc.RootElement.GetProperty("error").GetProperty("message").GetString(),
        };

        Assert.Equal($"{d.Title}: {d.Hint}", message);
        Assert.False(string.IsNullOrWhiteSpace(d.Title));
        Assert.True(d.Hint.Length > 20, $"{error}: '{d.Hint}' says too little");
        Assert.DoesNotContain("dashboard", message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Cloudflare", message, StringComparison.OrdinalIgnoreCase);
    }

    // SDKs and callers branch on these: every member's status, code and types, as they were before the messages changed.
    [Theory]
    [InlineData(GatewayError.MalformedPath, 400, 2000, "invalid_request_error", "invalid_request_error")]
    [InlineData(GatewayError.GatewayNotFound, 400, 2001, "invalid_request_error", "invalid_request_error")]
    [InlineData(GatewayError.Unauthorized, 401, 2009, "authentication_error", "authentication_error")]
    [InlineData(GatewayError.ByokCredentialNotFound, 400, 2040, "invalid_request_error", "invalid_request_error")]
    [InlineData(GatewayError.InvalidProvider, 400, 2008, "invalid_request_error", "invalid_request_error")]
    [InlineData(GatewayError.RequestBodyTooLarge, 413, 2010, "invalid_request_error", "request_too_large")]
    [InlineData(GatewayError.UpstreamUnavailable, 502, 2005, "api_error", "api_error")]
    [InlineData(GatewayError.UpstreamTimeout, 504, 2005, "timeout_error", "timeout_error")]
    [InlineData(GatewayError.RateLimited, 429, 2003, "rate_limit_error", "rate_limit_error")]
    [InlineData(GatewayError.InvalidUniversalRequest, 400, 2013, "invalid_request_error", "invalid_request_error")]
    [InlineData(GatewayError.InvalidMetadata, 400, 2014, "invalid_request_error", "invalid_request_error")]
    [InlineData(GatewayError.RouteNotAvailable, 501, 2011, "invalid_request_error", "invalid_request_error")]
    [InlineData(GatewayError.ChatCompletionBadFormat, 400, 2019, "invalid_request_error", "invalid_request_error")]
    [InlineData(GatewayError.ModelNotAllowed, 403, 2015, "permission_error", "permission_error")]
    [InlineData(GatewayError.ClientClosed, 499, 2012, "api_error", "api_error")]
    [InlineData(GatewayError.PromptBlocked, 424, 2016, "invalid_request_error", "invalid_request_error")]
    [InlineData(GatewayError.ResponseBlocked, 424, 2017, "invalid_request_error", "invalid_request_error")]
    [InlineData(GatewayError.DlpRequestBlocked, 424, 2029, "invalid_request_error", "invalid_request_error")]
    [InlineData(GatewayError.DlpResponseBlocked, 424, 2030, "invalid_request_error", "invalid_request_error")]
    public void StatusCodeAndTypes_AreUnchanged(GatewayError error, int status, int code, string openAIType, string anthropicType)
    {
        var d = ErrorDescription.For(error);
        Assert.Equal((status, code, openAIType, anthropicType), (d.Status, d.Code, d.OpenAIType, d.AnthropicType));
    }

    [Fact]
    public async Task ADetail_TakesTheHintsPlace_AfterTheTitle()
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;

        await ErrorWriter.WriteAsync(context, GatewayError.GatewayNotFound, ErrorShape.OpenAI, ErrorDetails.UnknownGateway("my-gw")!);
        await context.Response.Body.FlushAsync();

        Assert.Equal(400, context.Response.StatusCode);
        using var doc = JsonDocument.Parse(body.ToArray());
        Assert.Equal(
            """Gateway not found: gateway 'my-gw' does not exist; create it with POST /api/management/gateways {"id":"my-gw"} and Authorization: Bearer $CF_AIG_MANAGEMENT_API_TOKEN""",
            doc.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("UPPER")]
    [InlineData("has space")]
    [InlineData("quote\"here")]
    [InlineData("<script>")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123x")]
    public void APathSegmentThatCannotBeAGatewayId_IsNeverEchoed(string id)
    {
        Assert.Null(ErrorDetails.UnknownGateway(id));
    }

    [Theory]
    [InlineData("no-such-provider", true)]
    [InlineData("Open.AI_2", true)]
    [InlineData("<img src=x>", false)]
    [InlineData("a\"b", false)]
    [InlineData("", false)]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123x", false)]
    public void OnlyAPlainProviderSlug_IsEchoed(string slug, bool echoed)
    {
        var detail = ErrorDetails.UnknownProvider(slug);

        Assert.Equal(echoed, detail is not null);
        if (detail is not null)
        {
            Assert.StartsWith($"'{slug}' is not a provider this gateway knows", detail);
        }
    }

    [Theory]
    [InlineData(GatewayError.GatewayNotFound, 400, 2001)]
    [InlineData(GatewayError.InvalidProvider, 400, 2008)]
    [InlineData(GatewayError.UpstreamUnavailable, 502, 2005)]
    [InlineData(GatewayError.UpstreamTimeout, 504, 2005)]
    [InlineData(GatewayError.RequestBodyTooLarge, 413, 2010)]
    public void SpecCodes_AreKept(GatewayError error, int status, int code)
    {
        var d = ErrorDescription.For(error);
        Assert.Equal((status, code), (d.Status, d.Code));
    }
}
