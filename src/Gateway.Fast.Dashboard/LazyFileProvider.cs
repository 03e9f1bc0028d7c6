using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Gateway.Fast.Dashboard;

/// <summary>A file provider made on its first use, not at start.</summary>
/// <remarks>
/// The dashboard's <see cref="ManifestEmbeddedFileProvider"/> reads its manifest, an XML file, when it is made: that
/// loaded the runtime's XML reader (four assemblies, ~3.5 MiB resident) into every gateway at start, though most never
/// serve the dashboard. The static-file middleware asks its provider for nothing until a <c>/dashboard/…</c> request.
/// </remarks>
internal sealed class LazyFileProvider(Func<IFileProvider> create) : IFileProvider
{
    private readonly Lazy<IFileProvider> _provider = new(create);

    public IFileInfo GetFileInfo(string subpath) => _provider.Value.GetFileInfo(subpath);

    public IDirectoryContents GetDirectoryContents(string subpath) => _provider.Value.GetDirectoryContents(subpath);

    public IChangeToken Watch(string filter) => _provider.Value.Watch(filter);
}
