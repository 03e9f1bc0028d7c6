namespace Gateway.Fast.Tests.Storage;

/// <summary>A fresh directory per test, removed afterwards (FASTER's TestUtils pattern).</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gateway-fast-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A device file still closing must not fail the test; the OS temp cleaner takes the rest.
        }
    }
}
