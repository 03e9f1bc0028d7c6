using Gateway.Fast.Utilities;

namespace Gateway.Fast.Tests.Utilities;

public sealed class UlidTests
{
    [Fact]
    public void Ulid_Is26CrockfordCharactersWithTheTimeFirst()
    {
        var a = Ulid.NewUlid(1_700_000_000_000);
        var b = Ulid.NewUlid(1_700_000_000_001);
        Assert.Equal(26, a.Length);
        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{26}$", a);
        Assert.True(string.CompareOrdinal(a[..10], b[..10]) < 0);
        Assert.NotEqual(a[10..], Ulid.NewUlid(1_700_000_000_000)[10..]);
    }

    [Fact]
    public void Ulid_EncodesTheMillisecondsLikeTheReference()
    {
        // The spec's example 01JADMCQQQBWH3NXZ5GCRN98DP starts with the time 01JADMCQQQ = 1729181933303 ms.
        Assert.StartsWith("01JADMCQQQ", Ulid.NewUlid(1729181933303));
    }
}
