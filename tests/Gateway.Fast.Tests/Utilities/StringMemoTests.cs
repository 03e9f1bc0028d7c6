using Gateway.Fast.Utilities;

namespace Gateway.Fast.Tests.Utilities;

public sealed class StringMemoTests
{
    [Fact]
    public void Get_ComputesEachKeyOnceWhileItKeepsItsSlot()
    {
        int calls = 0;
        var memo = new StringMemo<int>(key => { calls++; return key.Length; });

        Assert.Equal(12, memo.Get("Content-Type"));
        Assert.Equal(12, memo.Get(new string("Content-Type".AsSpan()))); // equal text, another instance

        Assert.Equal(1, calls);
    }

    [Fact]
    public void Get_AnswersEveryKeyCorrectlyPastItsCapacity()
    {
        var memo = new StringMemo<string>(key => key.ToUpperInvariant(), capacity: 100);
        var keys = Enumerable.Range(0, 1_000).Select(i => "x-header-" + i).ToArray();

        for (int round = 0; round < 3; round++)
        {
            foreach (var key in keys)
            {
                Assert.Equal(key.ToUpperInvariant(), memo.Get(key));
            }
        }
    }

    [Fact]
    public void Get_KeepsNoMoreThanItsCapacity()
    {
        int calls = 0;
        var memo = new StringMemo<int>(key => { calls++; return key.Length; }, capacity: 2);

        memo.Get("a");
        memo.Get("bb");
        memo.Get("ccc"); // past the capacity: answered, not kept
        memo.Get("a");
        memo.Get("bb");
        Assert.Equal(3, memo.Get("ccc"));

        Assert.Equal(4, calls);
    }

    [Fact]
    public void Get_ComputesALongKeyEveryTime()
    {
        int calls = 0;
        var memo = new StringMemo<bool>(_ => { calls++; return true; });
        var longKey = new string('a', 1_000);

        memo.Get(longKey);
        memo.Get(longKey);

        Assert.Equal(2, calls);
    }
}
