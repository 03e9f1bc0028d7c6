using Gateway.Fast.Access;
using Gateway.Fast.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Fast.Tests.Access;

/// <summary>The team key store on its own: durable across a reopen, digests only on disk, resolution without allocating.</summary>
public sealed class TeamKeyStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public void Dispose() => _dir.Dispose();

    private (AccessRecordStore Records, TeamKeyStore Keys) Open()
    {
        var records = new AccessRecordStore(Path.Combine(_dir.Path, "access"));
        return (records, new TeamKeyStore(records, _time));
    }

    [Fact]
    public async Task KeysRefreshesAndRevocations_SurviveAReopen()
    {
        string kept, rotatedOld, rotatedNew, revoked;
        var (records, keys) = Open();
        using (records)
        {
            kept = (await keys.CreateAsync("team-a", "kept", false, default)).Secret;
            rotatedOld = (await keys.CreateAsync("team-a", "rotated", true, default)).Secret;
            rotatedNew = (await keys.RefreshAsync(rotatedOld, default))!.Value.Secret;
            revoked = (await keys.CreateAsync("team-b", "revoked", false, default)).Secret;
            Assert.NotNull(await keys.RevokeAsync(revoked, default));
        }

        (records, keys) = Open();
        using (records)
        {
            Assert.True(keys.TryResolve(kept, out var a));
            Assert.Equal(("team-a", "kept", _time.GetUtcNow()), (a.TeamId, a.Name, a.CreatedAt));
            Assert.True(keys.TryResolve(rotatedNew, out var rotated));
            Assert.True(rotated.Limited);
            Assert.False(keys.TryResolve(rotatedOld, out _));
            Assert.False(keys.TryResolve(revoked, out _));
            Assert.Equal(2, keys.List(null).Count);
        }

        Assert.False(AccessApi.AnyFileContains(_dir.Path, kept));
        Assert.False(AccessApi.AnyFileContains(_dir.Path, rotatedNew));
    }

    [Fact]
    public async Task TryResolve_AllocatesNothing_ForHitsAndMisses()
    {
        var (records, keys) = Open();
        using (records)
        {
            var secret = (await keys.CreateAsync("team-a", "svc", false, default)).Secret;
            var miss = secret[..^1] + (secret[^1] == '0' ? '1' : '0');
            Assert.True(keys.TryResolve(secret, out _)); // warm up: JIT and first-call caches
            Assert.False(keys.TryResolve(miss, out _));

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
            {
                Assert.True(keys.TryResolve(secret, out _));
                Assert.False(keys.TryResolve(miss, out _));
            }

            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("sk_")]
    [InlineData("not-a-key")]
    public async Task TryResolve_RefusesWhatIsNotALiveKey(string presented)
    {
        var (records, keys) = Open();
        using (records)
        {
            await keys.CreateAsync("team-a", "svc", false, default);
            Assert.False(keys.TryResolve(presented, out _));
            Assert.False(keys.TryResolve(new string('a', TokenHasher.MaxTokenChars + 1), out _));
        }
    }

    [Fact]
    public async Task AllowsModel_AndRateLimit_ApplyOnlyToLimitedKeys()
    {
        var (records, keys) = Open();
        using (records)
        {
            var (key, _) = await keys.CreateAsync("team-a", "svc", false, default);
            var settings = key with { RateLimit = 5, RateLimitPeriod = 10, AllowedModels = ["a"] };

            Assert.True(settings.AllowsModel("b"));
            Assert.False(settings.TryGetRateLimit(out _));
            var limited = settings with { Limited = true };
            Assert.False(limited.AllowsModel("b"));
            Assert.True(limited.AllowsModel("a"));
            Assert.True(limited.TryGetRateLimit(out var policy));
            Assert.Equal(5, policy.Limit);
        }
    }
}
