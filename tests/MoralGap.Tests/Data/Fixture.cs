using System.Text;

namespace MoralGap.Tests.Data;

/// <summary>A temp folder of input files for importer tests; deleted on dispose.</summary>
internal sealed class Fixture : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("moralgap-data-").FullName;

    public string Write(string name, string text) => WriteBytes(name, new UTF8Encoding(false).GetBytes(text));

    public string WriteBytes(string name, byte[] bytes)
    {
        var path = System.IO.Path.Combine(Dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string PathOf(string name) => System.IO.Path.Combine(Dir, name);

    public void Dispose()
    {
        try { Directory.Delete(Dir, true); } catch (IOException) { }
    }
}
