using FASTER.core;

namespace Gateway.Fast.Storage;

/// <summary>Reads every live record of a small string-keyed FASTER KV at start-up.</summary>
/// <remarks>
/// FASTER's <c>session.Iterate()</c> de-duplicates versions through a temporary store created with FASTER's default sizes:
/// two 32 MiB pages and an index as large as the store's, about 100 MB of garbage per call. Four such calls at start-up
/// left the process at 250 MiB RSS before its first request. These stores hold tens to hundreds of records, so a plain
/// scan of the log in address order (a later version of a key always lies at a higher address) into a dictionary does the
/// same job for a few kilobytes.
/// </remarks>
internal static class LiveRecords
{
    /// <summary>The latest value of each key not deleted, in no particular order.</summary>
    public static Dictionary<string, string> Read(FasterKV<string, string> kv)
    {
        var live = new Dictionary<string, string>(StringComparer.Ordinal);
        using var scan = kv.Log.Scan(kv.Log.BeginAddress, kv.Log.TailAddress);
        while (scan.GetNext(out var info))
        {
            if (info.Tombstone)
            {
                live.Remove(scan.GetKey());
            }
            else
            {
                live[scan.GetKey()] = scan.GetValue();
            }
        }

        return live;
    }
}
