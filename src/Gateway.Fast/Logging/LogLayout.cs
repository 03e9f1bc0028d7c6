using System.Globalization;

namespace Gateway.Fast.Logging;

/// <summary>The page and segment sizes a log folder was created with, kept beside it in <c>layout</c> ("page-bits segment-bits").</summary>
/// <remarks>
/// Entries never span a FasterLog page and addresses map to segment files by the segment size, so a log is only readable
/// with the sizes that wrote it: opened with another page size, recovery silently stopped at the first page end (the
/// crash test found it). A folder therefore keeps its first sizes; the options' sizes apply to new folders.
/// </remarks>
internal static class LogLayout
{
    private const string FileName = "layout";

    public static (int PageSizeBits, int SegmentSizeBits) Resolve(string directory, int pageSizeBits, int segmentSizeBits)
    {
        var path = Path.Combine(directory, FileName);
        if (File.Exists(path))
        {
            var text = File.ReadAllText(path).Trim();
            var parts = text.Split(' ');
            if (parts.Length == 2
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page is >= 12 and <= 30
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var segment) && segment >= page)
            {
                return (page, segment);
            }

            throw new InvalidDataException($"'{path}' holds '{text}', not \"<page bits> <segment bits>\".");
        }

        // Written before the log exists, and atomically, so a crash never leaves a log without its layout.
        segmentSizeBits = Math.Max(segmentSizeBits, pageSizeBits);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, string.Create(CultureInfo.InvariantCulture, $"{pageSizeBits} {segmentSizeBits}"));
        File.Move(temporary, path, overwrite: true);
        return (pageSizeBits, segmentSizeBits);
    }
}
