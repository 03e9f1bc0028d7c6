using System.Buffers;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Guardrails;

namespace Gateway.Fast.Tests.Guardrails;

public sealed class DlpPolicyTests
{
    internal static DlpPolicySet Policies(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return DlpPolicySet.Parse(doc.RootElement.Clone()) ?? throw new InvalidOperationException("no policies");
    }

    private const string TwoPolicies = """
        {"enabled":true,"policies":[
          {"id":"pii","action":"FLAG","check":["REQUEST","RESPONSE"],"enabled":true,"profiles":["email"]},
          {"id":"keys","action":"BLOCK","check":["REQUEST"],"enabled":true,"profiles":["secrets","credit_card"]},
          {"id":"off","action":"BLOCK","check":["REQUEST"],"enabled":false,"profiles":["email"]}]}
        """;

    [Fact]
    public void SinglePolicyShape_ChecksBothSides()
    {
        var set = Policies("""{"enabled":true,"action":"BLOCK","profiles":["email"]}""");
        var policy = Assert.Single(set.Policies);
        Assert.Equal(("default", GuardAction.Block, true, true), (policy.Id, policy.Action, policy.ChecksRequest, policy.ChecksResponse));
        Assert.Equal(DlpEntries.Email, set.RequestEntries);
        Assert.Equal(DlpEntries.Email, set.ResponseEntries);
    }

    [Theory]
    [InlineData("""{"enabled":false,"action":"BLOCK","profiles":["email"]}""")]
    [InlineData("""{"enabled":true,"action":"BLOCK","profiles":["no-such-profile"]}""")]
    [InlineData("""{"enabled":true,"action":"SHOUT","profiles":["email"]}""")]
    [InlineData("""{"enabled":true,"policies":[{"id":"p","action":"FLAG","check":[],"profiles":["email"]}]}""")]
    [InlineData("""{"enabled":true,"policies":"nope"}""")]
    public void DisabledOrUnusableSettings_CompileToNothing(string json)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.Null(DlpPolicySet.Parse(doc.RootElement.Clone()));
        Assert.Null(DlpPolicySet.Parse(null));
    }

    [Fact]
    public void Policies_SplitDetectorsBySide_AndSkipDisabledOnes()
    {
        var set = Policies(TwoPolicies);
        Assert.Equal(2, set.Policies.Length);
        Assert.Equal(DlpEntries.Email | DlpEntries.Secrets | DlpEntries.CreditCard, set.RequestEntries);
        Assert.Equal(DlpEntries.Email, set.ResponseEntries);
    }

    [Fact]
    public void WorstAction_Wins()
    {
        var set = Policies(TwoPolicies);
        Assert.Equal(GuardAction.Flag, set.ActionFor(GuardCheck.Request, DlpEntries.Email));
        Assert.Equal(GuardAction.Block, set.ActionFor(GuardCheck.Request, DlpEntries.Email | DlpEntries.AwsAccessKey));
        Assert.Equal(GuardAction.None, set.ActionFor(GuardCheck.Response, DlpEntries.AwsAccessKey));
    }

    [Fact]
    public void Header_HasTheSpecShape()
    {
        var set = Policies(TwoPolicies);
        var request = DlpRequestScanner.Check(set, """{"messages":[{"role":"user","content":"I am bob@example.com, key AKIAIOSFODNN7EXAMPLE"}]}"""u8);
        Assert.Equal(GuardAction.Block, request.Action);
        string? header = DlpFindings.ToHeader(set, request, DlpVerdict.None(GuardCheck.Response));
        Assert.Equal(
            """{"findings":[{"profile":{"context":{},"entry_ids":["email"],"profile_id":"email"},"policy_ids":["pii"],"check":"REQUEST"},"""
            + """{"profile":{"context":{},"entry_ids":["aws_access_key"],"profile_id":"secrets"},"policy_ids":["keys"],"check":"REQUEST"}],"action":"BLOCK"}""",
            header);
        Assert.DoesNotContain("AKIA", header);
    }

    [Fact]
    public void Header_IsAbsentWithoutFindings()
    {
        var set = Policies(TwoPolicies);
        var request = DlpRequestScanner.Check(set, """{"messages":[{"role":"user","content":"hello"}]}"""u8);
        Assert.False(request.Matched);
        Assert.Null(DlpFindings.ToHeader(set, request, DlpVerdict.None(GuardCheck.Response)));
    }

    [Fact]
    public void EscapedStrings_AreScannedUnescaped()
    {
        var set = Policies("""{"enabled":true,"action":"FLAG","profiles":["email"]}""");
        // "bob\u0040example.com" is bob@example.com once unescaped.
        var verdict = DlpRequestScanner.Check(set, """{"prompt":"mail bob\u0040example.com\nplease"}"""u8);
        Assert.Equal((GuardAction.Flag, DlpEntries.Email), (verdict.Action, verdict.Matches));
    }

    [Fact]
    public void PropertyNamesAndNumbers_AreScannedToo_AndWhatIsThereCannotBeMasked()
    {
        // A caller must not slip a secret past the check by putting it where no string value is.
        var block = Policies("""{"enabled":true,"action":"BLOCK","profiles":["email","credit_card"]}""");
        Assert.Equal(GuardAction.Block, DlpRequestScanner.Check(block, """{"bob@example.com":1}"""u8).Action);
        Assert.Equal(GuardAction.Block, DlpRequestScanner.Check(block, """{"card":4111111111111111}"""u8).Action);

        var mask = Policies("""{"enabled":true,"action":"MASK","profiles":["email"]}""");
        Assert.Equal(GuardAction.Block, DlpRequestScanner.Check(mask, """{"bob@example.com":1}"""u8).Action);
        Assert.Equal(GuardAction.Mask, DlpRequestScanner.Check(mask, """{"text":"to bob@example.com"}"""u8).Action);
    }

    [Fact]
    public void Verdicts_Merge_ToEveryMatch_AndTheWorstAction()
    {
        var flag = new DlpVerdict(GuardAction.Flag, DlpEntries.Email, GuardCheck.Request);
        var block = new DlpVerdict(GuardAction.Block, DlpEntries.CreditCard, GuardCheck.Request);

        var merged = flag.Merge(block);

        Assert.Equal(GuardAction.Block, merged.Action);
        Assert.Equal(DlpEntries.Email | DlpEntries.CreditCard, merged.Matches);
        Assert.Equal(merged, DlpVerdict.None(GuardCheck.Request).Merge(block).Merge(flag));
    }

    [Fact]
    public void NonJsonBody_IsScannedRaw_AndMaskBecomesBlock()
    {
        var set = Policies("""{"enabled":true,"action":"MASK","profiles":["email"]}""");
        var verdict = DlpRequestScanner.Check(set, "plain text from bob@example.com"u8);
        Assert.Equal((GuardAction.Block, DlpEntries.Email), (verdict.Action, verdict.Matches));
        Assert.Equal(-1, DlpRequestScanner.Mask(set, "plain text from bob@example.com"u8, new ArrayBufferWriter<byte>()));
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"mail bob@example.com or 4111 1111 1111 1111"}],"model":"gpt-4o"}""",
        """{"messages":[{"role":"user","content":"mail [REDACTED:email] or [REDACTED:credit_card]"}],"model":"gpt-4o"}""", 2)]
    [InlineData("""{"a":["x bob@example.com y", 5, {"b":"AKIAIOSFODNN7EXAMPLE"}]}""",
        """{"a":["x [REDACTED:email] y", 5, {"b":"[REDACTED:aws_access_key]"}]}""", 2)]
    [InlineData("""{"prompt":"line1\n\"bob\u0040example.com\"\ttab"}""",
        """{"prompt":"line1\n\"[REDACTED:email]\"\ttab"}""", 1)]
    [InlineData("""{"prompt":"nothing here"}""", """{"prompt":"nothing here"}""", 0)]
    public void Mask_ReplacesMatchesInsideStrings_AndKeepsValidJson(string body, string expected, int count)
    {
        var set = Policies("""{"enabled":true,"action":"MASK","profiles":["all"]}""");
        var verdict = DlpRequestScanner.Check(set, Encoding.UTF8.GetBytes(body));
        Assert.Equal(count > 0 ? GuardAction.Mask : GuardAction.None, verdict.Action);
        var output = new ArrayBufferWriter<byte>();
        Assert.Equal(count, DlpRequestScanner.Mask(set, Encoding.UTF8.GetBytes(body), output));
        Assert.Equal(expected, Encoding.UTF8.GetString(output.WrittenSpan));
        using var _ = JsonDocument.Parse(output.WrittenMemory);
    }

    [Fact]
    public void Mask_TouchesOnlyTheMaskPoliciesDetectors()
    {
        var set = Policies("""
            {"enabled":true,"policies":[
              {"id":"m","action":"MASK","check":["REQUEST"],"profiles":["email"]},
              {"id":"f","action":"FLAG","check":["REQUEST"],"profiles":["credit_card"]}]}
            """);
        var body = """{"p":"bob@example.com 4111111111111111"}"""u8;
        var verdict = DlpRequestScanner.Check(set, body);
        Assert.Equal((GuardAction.Mask, DlpEntries.Email | DlpEntries.CreditCard), (verdict.Action, verdict.Matches));
        var output = new ArrayBufferWriter<byte>();
        Assert.Equal(1, DlpRequestScanner.Mask(set, body, output));
        Assert.Equal("""{"p":"[REDACTED:email] 4111111111111111"}""", Encoding.UTF8.GetString(output.WrittenSpan));
    }
}
