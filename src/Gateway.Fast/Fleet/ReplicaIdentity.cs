using System.Security.Cryptography;

namespace Gateway.Fast.Fleet;

/// <summary>This replica's id in the fleet: configured, or generated at first start and kept in <c>{DataPath}/replica-id</c>,
/// so a restarted replica is the same replica (its log rows stay addressable through it).</summary>
internal static class ReplicaIdentity
{
    public const string FileName = "replica-id";

    public static string Resolve(string? configured, string dataPath)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Clean(configured);
        }

        var file = Path.Combine(dataPath, FileName);
        if (File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } saved)
        {
            return Clean(saved);
        }

        // Host name for the operator's eye, random suffix because two replicas on one host (tests, compose) share it.
        var id = $"{Clean(Environment.MachineName)}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        Directory.CreateDirectory(dataPath);
        var temp = file + ".tmp";
        File.WriteAllText(temp, id);
        File.Move(temp, file, overwrite: true);
        return id;
    }

    /// <summary>Ids become Redis keys and metric labels: letters, digits, '-', '_' and '.', at most 64 characters.</summary>
    private static string Clean(string id)
    {
        Span<char> buffer = stackalloc char[Math.Min(id.Length, 64)];
        int n = 0;
        foreach (char c in id.AsSpan(0, buffer.Length))
        {
            buffer[n++] = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-';
        }

        return n == 0 ? "replica" : new string(buffer[..n]);
    }
}
