using System.Security.Cryptography;

namespace Gateway.Fast.Access;

/// <summary>The 32-byte AES key that seals stored provider secrets.</summary>
/// <remarks>
/// Source, in order: <c>GATEWAY_MASTER_KEY</c> (base64 of 32 bytes) from configuration; else <c>{DataPath}/master.key</c>;
/// else a new random key written there at first start, mode 0600. A key that cannot be read fails start-up: serving
/// without it would mean gateways silently losing their stored credentials.
/// </remarks>
internal sealed class MasterKey
{
    /// <summary>Configuration key (and environment variable) of the master key.</summary>
    public const string ConfigurationKey = "GATEWAY_MASTER_KEY";

    /// <summary>The key file under the data folder.</summary>
    public const string FileName = "master.key";

    private const int KeyBytes = 32;

    private MasterKey(byte[] key) => Key = key;

    /// <summary>The raw key; only <see cref="SecretBox"/> reads it.</summary>
    public byte[] Key { get; }

    public static MasterKey Resolve(string? configured, string dataPath)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            // The message never repeats the value: it is a secret even when malformed.
            return new(Decode(configured, $"{ConfigurationKey} must be the base64 of {KeyBytes} bytes."));
        }

        var file = Path.Combine(dataPath, FileName);
        if (File.Exists(file))
        {
            return new(Decode(File.ReadAllText(file), $"'{file}' does not hold the base64 of {KeyBytes} bytes."));
        }

        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        Save(file, key);
        return new(key);
    }

    private static byte[] Decode(string text, string error)
    {
        var buffer = new byte[KeyBytes];
        if (!Convert.TryFromBase64String(text.Trim(), buffer, out int written) || written != KeyBytes)
        {
            throw new InvalidDataException(error);
        }

        return buffer;
    }

    private static void Save(string file, byte[] key)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var temp = file + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            if (!OperatingSystem.IsWindows())
            {
                // Before the first byte is written: the key is never readable by anyone else, even for a moment.
                File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            stream.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
            stream.Flush(flushToDisk: true);
        }

        // Rename last: a crash leaves no file (a new key, and nothing sealed with the lost one) or a whole one.
        File.Move(temp, file, overwrite: false);
    }
}
