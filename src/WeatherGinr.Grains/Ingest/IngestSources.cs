namespace WeatherGinr.Grains.Ingest;

/// <summary>Turns a source location as an operator writes it into an <see cref="IIngestSource"/>.</summary>
public static class IngestSources
{
    /// <summary>A folder path or <c>file://</c> URI gives a <see cref="DropFolderSource"/>.</summary>
    /// <exception cref="ArgumentException">The location names a kind of source not implemented yet.</exception>
    public static IIngestSource Open(string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        if (Uri.TryCreate(location, UriKind.Absolute, out var uri) && !uri.IsFile)
        {
            throw new ArgumentException(
                $"source '{location}': only drop folders (a path or file:// URI) are implemented; " +
                $"a '{uri.Scheme}' source needs its own {nameof(IIngestSource)}", nameof(location));
        }

        return new DropFolderSource(uri is { IsFile: true } ? uri.LocalPath : location);
    }
}
