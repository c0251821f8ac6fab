using System.Text;

namespace OpenConduct.Core.Tests.Import;

/// <summary>An export folder written by a test, deleted afterwards.</summary>
internal sealed class TempExport : IDisposable
{
    public TempExport()
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "oc-test-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public TempExport Text(string name, string content, Encoding? encoding = null)
    {
        File.WriteAllText(System.IO.Path.Combine(Directory, name), content.ReplaceLineEndings("\r\n"), encoding ?? new UTF8Encoding(false));
        return this;
    }

    public TempExport Bytes(string name, byte[] content)
    {
        File.WriteAllBytes(System.IO.Path.Combine(Directory, name), content);
        return this;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
