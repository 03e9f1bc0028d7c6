namespace Gateway.Fast.Storage;

/// <summary>Bytes a store's folder takes on disk: the lengths of its files, recursively (the stores' budgets, <c>/health</c>, metrics).</summary>
/// <remarks>A walk of the few dozen files a store keeps (segments of 256 MiB–1 GiB, commit and checkpoint files), cheap
/// enough for every sweep, scrape and <c>/health</c> call. FASTER writes its segments densely, so lengths are what the disk holds.</remarks>
public static class DiskUsage
{
    private static readonly EnumerationOptions Everything = new()
    {
        RecurseSubdirectories = true,
        IgnoreInaccessible = true,
        AttributesToSkip = 0,
    };

    public static long Measure(string directory)
    {
        long total = 0;
        try
        {
            foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", Everything))
            {
                try
                {
                    total += file.Length;
                }
                catch (IOException)
                {
                    // Deleted since it was listed (a segment freed by retention): it no longer counts.
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
            // No folder yet (or a subfolder removed mid-walk): what was counted is what there is.
        }

        return total;
    }
}
