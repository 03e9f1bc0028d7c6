using System.Text.Json;
using Gateway.Fast.Configuration;
using Xunit;

namespace Gateway.Fast.Tests.Management;

public sealed class GatewaySettingsReaderTests
{
    private const string Core = """
        "cache_invalidate_on_update":false,"cache_ttl":0,"collect_logs":true,"rate_limiting_interval":0,"rate_limiting_limit":0
        """;

    private static readonly GatewaySettings Blank = new() { Id = "" };

    private static (bool Ok, GatewaySettings Settings, List<GatewaySettingsError> Errors) Read(
        string json, GatewaySettingsInput input = GatewaySettingsInput.Create, GatewaySettings? baseline = null)
    {
        using var doc = JsonDocument.Parse(json);
        var errors = new List<GatewaySettingsError>();
        var ok = GatewaySettingsReader.TryRead(doc.RootElement, baseline ?? Blank, input, out var settings, errors);
        return (ok, settings, errors);
    }

    private static string FieldsOf(List<GatewaySettingsError> errors) => string.Join(",", errors.Select(e => e.Field).Order());

    [Fact]
    public void CreateRequiresIdAndTheSixCoreFields()
    {
        var (ok, _, errors) = Read("{}");

        Assert.False(ok);
        Assert.Equal(
            "cache_invalidate_on_update,cache_ttl,collect_logs,id,rate_limiting_interval,rate_limiting_limit",
            FieldsOf(errors));
        Assert.All(errors, e => Assert.EndsWith("is required", e.Message));
    }

    [Fact]
    public void CreateWithDefaults_NeedsOnlyTheId_AndTheRestIsTheDocumentedDefaults()
    {
        var (ok, settings, errors) = Read("""{"id":"my-first-gateway","name":"Primary App Gateway"}""",
            GatewaySettingsInput.CreateWithDefaults, GatewaySettings.WithDefaults(""));

        Assert.True(ok, string.Join("; ", errors));
        Assert.Equal(("my-first-gateway", "Primary App Gateway"), (settings.Id, settings.Name));
        Assert.Equal((0, true, 0, 0), (settings.CacheTtl, settings.CollectLogs, settings.RateLimitingInterval, settings.RateLimitingLimit));
        Assert.False(settings.Authentication);
        Assert.False(settings.CacheInvalidateOnUpdate);
        Assert.False(settings.IsDefault);
        Assert.Equal("id", FieldsOf(Read("""{"name":"x"}""", GatewaySettingsInput.CreateWithDefaults, GatewaySettings.WithDefaults("")).Errors));
    }

    [Fact]
    public void Name_IsAnOptionalStringOfAtMost256Characters()
    {
        var named = Read($$"""{"id":"a",{{Core}},"name":"{{new string('n', 256)}}"}""");
        var tooLong = Read($$"""{"id":"a",{{Core}},"name":"{{new string('n', 257)}}"}""");
        var notAString = Read($$"""{"id":"a",{{Core}},"name":7}""");
        var cleared = Read("""{"name":null}""", GatewaySettingsInput.Patch, GatewaySettings.CreateDefault() with { Name = "before" });

        Assert.True(named.Ok);
        Assert.Equal(256, named.Settings.Name!.Length);
        Assert.Equal("name", FieldsOf(tooLong.Errors));
        Assert.Equal("name", FieldsOf(notAString.Errors));
        Assert.True(cleared.Ok);
        Assert.Null(cleared.Settings.Name);
    }

    [Fact]
    public void ReplaceRequiresTheCoreFieldsButNotTheId()
    {
        var current = GatewaySettings.CreateDefault();

        Assert.True(Read("{" + Core + "}", GatewaySettingsInput.Replace, current).Ok);
        Assert.Equal("collect_logs", FieldsOf(Read("""{"cache_invalidate_on_update":false,"cache_ttl":0,"rate_limiting_interval":0,"rate_limiting_limit":0}""", GatewaySettingsInput.Replace, current).Errors));
    }

    [Fact]
    public void PatchChangesOnlyTheGivenFieldsAndNullClearsANullableOne()
    {
        var current = GatewaySettings.CreateDefault() with { RetryBackoff = RetryBackoff.Linear, RetryDelay = 100 };

        var (ok, settings, _) = Read("""{"retry_backoff":null,"zdr":true}""", GatewaySettingsInput.Patch, current);

        Assert.True(ok);
        Assert.Null(settings.RetryBackoff);
        Assert.True(settings.Zdr);
        Assert.Equal(100, settings.RetryDelay);
        Assert.Equal("default", settings.Id);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("my_gateway-01")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123")]
    public void IdsOfOneToSixtyFourLowercaseCharactersAreAccepted(string id)
    {
        Assert.True(Read($$"""{"id":"{{id}}",{{Core}}}""").Ok);
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"UPPER\"")]
    [InlineData("\"has space\"")]
    [InlineData("\"dots.not.ok\"")]
    [InlineData("\"01234567890123456789012345678901234567890123456789012345678901234\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void BadIdsAreReportedOnceOnId(string id)
    {
        var (ok, _, errors) = Read($$"""{"id":{{id}},{{Core}}}""");

        Assert.False(ok);
        Assert.Equal("id", FieldsOf(errors));
    }

    [Theory]
    [InlineData("cache_ttl", "-1")]
    [InlineData("cache_ttl", "1.5")]
    [InlineData("cache_ttl", "\"10\"")]
    [InlineData("rate_limiting_interval", "-5")]
    [InlineData("rate_limiting_limit", "-1")]
    [InlineData("rate_limiting_technique", "\"token_bucket\"")]
    [InlineData("log_management", "9999")]
    [InlineData("log_management", "10000001")]
    [InlineData("log_management_strategy", "\"stop_inserting\"")]
    [InlineData("logpush_public_key", "\"fifteen-chars-x\"")]
    [InlineData("retry_max_attempts", "0")]
    [InlineData("retry_max_attempts", "6")]
    [InlineData("retry_delay", "-1")]
    [InlineData("retry_delay", "5001")]
    [InlineData("retry_backoff", "\"quadratic\"")]
    [InlineData("workers_ai_billing_mode", "\"prepaid\"")]
    [InlineData("workers_ai_billing_mode", "null")]
    [InlineData("authentication", "1")]
    [InlineData("guardrails", "[]")]
    [InlineData("otel", "{}")]
    [InlineData("store_id", "7")]
    public void OutOfRangeOrMistypedValuesAreReportedOnTheirField(string field, string value)
    {
        var (ok, _, errors) = Read($$"""{"id":"gw",{{Core.Replace($"\"{field}\":", $"\"ignored_{field}\":")}},"{{field}}":{{value}}}""");

        Assert.False(ok);
        Assert.Equal(field, FieldsOf(errors));
    }

    [Theory]
    [InlineData("cache_ttl", "null")]
    [InlineData("log_management", "10000")]
    [InlineData("log_management", "10000000")]
    [InlineData("log_management_strategy", "\"STOP_INSERTING\"")]
    [InlineData("logpush_public_key", "\"sixteen-chars-xx\"")]
    [InlineData("retry_max_attempts", "5")]
    [InlineData("retry_delay", "5000")]
    [InlineData("retry_backoff", "\"constant\"")]
    [InlineData("rate_limiting_technique", "\"fixed\"")]
    [InlineData("workers_ai_billing_mode", "\"postpaid\"")]
    [InlineData("otel", "[]")]
    [InlineData("stripe", "null")]
    public void BoundaryAndNullValuesAreAccepted(string field, string value)
    {
        var (ok, _, errors) = Read($$"""{"id":"gw",{{Core.Replace($"\"{field}\":", $"\"ignored_{field}\":")}},"{{field}}":{{value}}}""");

        Assert.True(ok, string.Join("; ", errors));
    }

    [Fact]
    public void ServerSetAndUnknownFieldsAreIgnoredSoAReadBackBodyCanBeResent()
    {
        var current = GatewaySettings.CreateDefault() with { InternalId = "keep", CreatedAt = DateTimeOffset.UnixEpoch };

        var (ok, settings, _) = Read(
            "{" + Core + ""","id":"default","created_at":"2020-01-01T00:00:00Z","internal_id":"x","account_id":"a","future_field":1}""",
            GatewaySettingsInput.Replace,
            current);

        Assert.True(ok);
        Assert.Equal("keep", settings.InternalId);
        Assert.Equal(DateTimeOffset.UnixEpoch, settings.CreatedAt);
    }

    [Fact]
    public void ABodyThatIsNotAnObjectIsOneError()
    {
        var (ok, _, errors) = Read("[]");

        Assert.False(ok);
        Assert.Single(errors);
    }

    [Fact]
    public void NestedPoliciesAreKeptAsTheirJson()
    {
        var (ok, settings, _) = Read($$$"""{"id":"gw",{{{Core}}},"guardrails":{"prompt":{"S1":"BLOCK"}},"otel":[{"url":"u"}]}""");

        Assert.True(ok);
        Assert.Equal("""{"prompt":{"S1":"BLOCK"}}""", settings.Guardrails!.Value.GetRawText());
        Assert.Equal("""[{"url":"u"}]""", settings.Otel!.Value.GetRawText());
    }
}
