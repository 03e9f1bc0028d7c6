using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Tests.Durability;

namespace Gateway.Fast.Tests.Fleet;

/// <summary>Gateways, gateway tokens, team keys and stored provider keys shared by replicas through Redis: a change on one
/// replica reaches the others within a second, a revocation included, and Redis going away neither stops the replicas
/// nor loses their configuration.</summary>
public sealed class FleetConfigTests
{
    /// <summary>How long a test waits for a change made on one replica to reach the others. The fleet's promise is a
    /// second (pub/sub, and a version check every 250 ms for a lost message); the tests check that the change arrives by
    /// itself and allow ten, so a loaded 2-core CI machine cannot fail them on timing alone.</summary>
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(10);

    /// <summary>For waits that are not the promise under test (a replica's reconnection after Redis restarts).</summary>
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private static async Task<JsonElement> ResultAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("result").Clone();
    }

    private static async Task CreateGatewayAsync(HttpClient management, string id, bool authentication)
    {
        using var response = await management.PostAsJsonAsync("api/management/gateways", new { id, authentication });
        await ResultAsync(response);
    }

    private static async Task<HttpStatusCode> ChatAsync(GatewayProcess replica, string gateway, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/acct/{gateway}/openai/chat/completions")
        {
            Content = new StringContent("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await replica.Client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>A call on the team base path (<c>/openai/v1/…</c>): the team key authenticates, the key stored on <c>default</c> pays.</summary>
    private static async Task<HttpStatusCode> TeamChatAsync(GatewayProcess replica, string teamKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "openai/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", teamKey);
        using var response = await replica.Client.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<JsonElement> RedisHealthAsync(GatewayProcess replica)
    {
        using var response = await replica.Client.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("redis").Clone();
    }

    private static async Task<bool> HasGatewayAsync(HttpClient management, string id)
    {
        using var response = await management.GetAsync($"api/management/gateways/{id}");
        return response.StatusCode == HttpStatusCode.OK;
    }

    [Fact]
    public async Task GatewayCreatedOnA_IsServedByB_AndItsDeletionReachesBToo()
    {
        await using var fleet = await GatewayFleet.StartAsync(replicas: 2);
        using var a = fleet.ManagementClient(0);
        using var b = fleet.ManagementClient(1);

        await CreateGatewayAsync(a, "made-on-a", authentication: false);
        await Eventually.HoldsAsync(() => HasGatewayAsync(b, "made-on-a"), Propagation, "B knows the gateway A created");

        Assert.Equal(HttpStatusCode.OK, await ChatAsync(fleet[1], "made-on-a"));
        using (var settings = await b.PatchAsJsonAsync("api/management/gateways/made-on-a", new { cache_ttl = 120 }))
        {
            Assert.Equal(120, (await ResultAsync(settings)).GetProperty("cache_ttl").GetInt32());
        }

        await Eventually.HoldsAsync(async () =>
        {
            using var response = await a.GetAsync("api/management/gateways/made-on-a");
            return (await ResultAsync(response)).GetProperty("cache_ttl").GetInt32() == 120;
        }, Propagation, "A sees the settings B changed");

        using (var deleted = await b.DeleteAsync("api/management/gateways/made-on-a"))
        {
            await ResultAsync(deleted);
        }

        await Eventually.HoldsAsync(async () => !await HasGatewayAsync(a, "made-on-a"), Propagation, "A forgets the gateway B deleted");
    }

    [Fact]
    public async Task GatewayTokenRevokedOnA_IsRefusedByB()
    {
        await using var fleet = await GatewayFleet.StartAsync(replicas: 2);
        using var a = fleet.ManagementClient(0);
        await CreateGatewayAsync(a, "locked", authentication: true);
        JsonElement token;
        using (var created = await a.PostAsJsonAsync("api/management/gateways/locked/tokens", new { name = "ci" }))
        {
            token = await ResultAsync(created);
        }

        var bearer = ("cf-aig-authorization", "Bearer " + token.GetProperty("token").GetString());
        await Eventually.HoldsAsync(async () => await ChatAsync(fleet[1], "locked", bearer) == HttpStatusCode.OK, Propagation,
            "B accepts the token A issued");
        Assert.Equal(HttpStatusCode.Unauthorized, await ChatAsync(fleet[1], "locked"));

        using (var revoked = await a.DeleteAsync($"api/management/gateways/locked/tokens/{token.GetProperty("id").GetString()}"))
        {
            await ResultAsync(revoked);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await ChatAsync(fleet[0], "locked", bearer));
        await Eventually.HoldsAsync(async () => await ChatAsync(fleet[1], "locked", bearer) == HttpStatusCode.Unauthorized, Propagation,
            "B refuses the token A revoked");
    }

    [Fact]
    public async Task TeamKeyAndStoredProviderKey_FromA_WorkOnB_AndTheKeyRevokedOnA_IsRefusedByB()
    {
        await using var fleet = await GatewayFleet.StartAsync(replicas: 2);
        using var a = fleet.ManagementClient(0);

        // Team base paths call the provider with the key `default` stores (sealed with the fleet's shared master key).
        using (var locked = await a.PatchAsJsonAsync("api/management/gateways/default", new { authentication = true }))
        {
            await ResultAsync(locked);
        }

        using (var stored = await a.PostAsJsonAsync("api/management/gateways/default/provider_configs",
                   new { provider_slug = "openai", secret = "sk-openai-held-by-the-fleet" }))
        {
            await ResultAsync(stored);
        }

        string key;
        using (var created = await a.PostAsJsonAsync("api/management/tokens", new { teamId = "team-fleet", name = "svc", limited = false }))
        {
            key = (await ResultAsync(created)).GetProperty("apiKey").GetString()!;
        }

        await Eventually.HoldsAsync(async () => await TeamChatAsync(fleet[1], key) == HttpStatusCode.OK, Propagation,
            "B accepts A's team key and calls the provider with A's stored key");

        using (var revoked = await a.DeleteAsync($"api/management/tokens/{key}"))
        {
            await ResultAsync(revoked);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await TeamChatAsync(fleet[0], key));
        await Eventually.HoldsAsync(async () => await TeamChatAsync(fleet[1], key) == HttpStatusCode.Unauthorized, Propagation,
            "B refuses the team key A revoked");
    }

    [Fact]
    public async Task RedisKilledMidRun_BothReplicasKeepAnswering_ThenANewRedisOnThePortHealsThem()
    {
        await using var fleet = await GatewayFleet.StartAsync(replicas: 2);
        using var a = fleet.ManagementClient(0);
        using var b = fleet.ManagementClient(1);
        await CreateGatewayAsync(a, "before-outage", authentication: false);
        await Eventually.HoldsAsync(() => HasGatewayAsync(b, "before-outage"), Propagation, "B knows the gateway A created");

        await fleet.Redis.KillAsync();
        foreach (var replica in fleet.Replicas)
        {
            await Eventually.HoldsAsync(async () => !(await RedisHealthAsync(replica)).GetProperty("up").GetBoolean(), Generous,
                "the replica notices that Redis is gone");
            var health = await RedisHealthAsync(replica);
            Assert.Equal("local_copy", health.GetProperty("config").GetProperty("source").GetString());
            Assert.Equal(HttpStatusCode.OK, await ChatAsync(replica, "before-outage"));
            Assert.Equal(HttpStatusCode.OK, await ChatAsync(replica, "default"));
        }

        using (var refused = await a.PostAsJsonAsync("api/management/gateways", new { id = "during-outage" }))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            var body = await refused.Content.ReadAsStringAsync();
            Assert.Contains("read-only", body, StringComparison.Ordinal);
            Assert.DoesNotContain(fleet.Redis.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), body, StringComparison.Ordinal);
        }

        Assert.False(await HasGatewayAsync(a, "during-outage"));

        // The new Redis is empty (no persistence): the first replica back seeds it from its copy, the other takes that.
        await fleet.Redis.RestartAsync();
        foreach (var replica in fleet.Replicas)
        {
            await Eventually.HoldsAsync(async () =>
            {
                var health = await RedisHealthAsync(replica);
                return health.GetProperty("up").GetBoolean() && health.GetProperty("config").GetProperty("source").GetString() == "redis";
            }, Generous, "the replica reconnects and takes the fleet's configuration again");
        }

        Assert.True(await HasGatewayAsync(a, "before-outage"));
        Assert.True(await HasGatewayAsync(b, "before-outage"));
        await CreateGatewayAsync(b, "after-outage", authentication: false);
        await Eventually.HoldsAsync(() => HasGatewayAsync(a, "after-outage"), Propagation, "changes flow again after the outage");
    }

    [Fact]
    public async Task AReplicaStartedWhileRedisIsDown_ServesItsLastCopy_SaysSo_AndHealsWhenRedisReturns()
    {
        await using var fleet = await GatewayFleet.StartAsync(replicas: 2);
        using (var a = fleet.ManagementClient(0))
        {
            await CreateGatewayAsync(a, "kept-locally", authentication: false);
        }

        using (var b = fleet.ManagementClient(1))
        {
            await Eventually.HoldsAsync(() => HasGatewayAsync(b, "kept-locally"), Propagation, "B knows the gateway A created");
        }

        await fleet.Redis.KillAsync();
        var restarted = await fleet.RestartReplicaAsync(1);

        var health = await RedisHealthAsync(restarted);
        Assert.False(health.GetProperty("up").GetBoolean());
        Assert.Equal("local_copy", health.GetProperty("config").GetProperty("source").GetString());
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(restarted, "kept-locally"));

        await fleet.Redis.RestartAsync();
        await Eventually.HoldsAsync(async () =>
            (await RedisHealthAsync(restarted)).GetProperty("config").GetProperty("source").GetString() == "redis", Generous,
            "the restarted replica connects once Redis is back, without a restart");
        using var again = fleet.ManagementClient(1);
        await CreateGatewayAsync(again, "after-return", authentication: false);
        using var a2 = fleet.ManagementClient(0);
        await Eventually.HoldsAsync(() => HasGatewayAsync(a2, "after-return"), Propagation, "A sees the restarted replica's change");
    }

    [Fact]
    public async Task AReplicaWithAnotherMasterKey_IsToldSo_WithoutEitherKeyShown_AndSkipsTheKeysItCannotOpen()
    {
        await using var fleet = await GatewayFleet.StartAsync(replicas: 1);
        using (var a = fleet.ManagementClient(0))
        using (var locked = await a.PatchAsJsonAsync("api/management/gateways/default", new { authentication = true }))
        using (var stored = await a.PostAsJsonAsync("api/management/gateways/default/provider_configs",
                   new { provider_slug = "openai", secret = "sk-sealed-with-the-fleet-key" }))
        {
            await ResultAsync(locked);
            await ResultAsync(stored);
        }

        var otherKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var stranger = await fleet.AddReplicaAsync(new Dictionary<string, string> { ["GATEWAY_MASTER_KEY"] = otherKey });

        using var response = await stranger.Client.GetAsync("health");
        var text = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(text);
        var config = doc.RootElement.GetProperty("redis").GetProperty("config");
        Assert.Equal("differs", config.GetProperty("master_key").GetString());
        Assert.Equal(1, config.GetProperty("skipped_records").GetInt32());
        Assert.DoesNotContain(otherKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(fleet.MasterKey, text, StringComparison.Ordinal);

        var first = await RedisHealthAsync(fleet[0]);
        Assert.Equal("matches", first.GetProperty("config").GetProperty("master_key").GetString());
    }
}
