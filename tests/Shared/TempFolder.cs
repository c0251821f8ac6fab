namespace OpenConduct.Tests.Shared;

/// <summary>A fresh folder under the temp directory, deleted with everything in it on dispose (best effort).</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "openconduct-test-" + Guid.NewGuid().ToString("N"));

    /// <summary>A path inside the folder.</summary>
    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still open (e.g. on Windows) must not fail the test.
        }
    }
}
