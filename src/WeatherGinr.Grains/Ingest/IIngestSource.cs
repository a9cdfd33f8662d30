namespace WeatherGinr.Grains.Ingest;

/// <summary>
/// Where ingestion finds new files: a drop folder now (<see cref="DropFolderSource"/>), object storage
/// later. A source lists candidates, hands out their bytes, and moves a refused file aside with its
/// reason so that it is not offered again. Files that were ingested stay where they are: the dataset
/// recognises them by content hash and a later scan changes nothing.
/// </summary>
public interface IIngestSource
{
    /// <summary>Where the source is, for people and reports ("/srv/drop", "s3://bucket/prefix").</summary>
    string Location { get; }

    /// <summary>Files that may be new, in a stable order.</summary>
    /// <exception cref="IOException">The source cannot be read (missing, unreachable).</exception>
    /// <exception cref="UnauthorizedAccessException">The source may not be read.</exception>
    Task<IReadOnlyList<IngestCandidate>> ListCandidatesAsync(CancellationToken cancellationToken = default);

    /// <summary>The candidate's bytes.</summary>
    Task<Stream> OpenReadAsync(IngestCandidate candidate, CancellationToken cancellationToken = default);

    /// <summary>
    /// A local path that libnetcdf can open and every silo can read. The default copies the bytes into
    /// <paramref name="stagingFolder"/> (the caller deletes the copy after ingestion); a source whose files
    /// are already local returns them in place.
    /// </summary>
    async Task<string> GetLocalPathAsync(IngestCandidate candidate, string stagingFolder,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        Directory.CreateDirectory(stagingFolder);
        var target = Path.Combine(stagingFolder, $"{Guid.NewGuid():N}-{Path.GetFileName(candidate.Name)}");
        await using var source = await OpenReadAsync(candidate, cancellationToken);
        await using var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None,
            bufferSize: 1 << 16, useAsync: true);
        await source.CopyToAsync(file, cancellationToken);
        return target;
    }

    /// <summary>
    /// Moves a refused candidate aside and records <paramref name="reason"/> beside it; returns where it
    /// went. It is not listed again.
    /// </summary>
    Task<string> RejectAsync(IngestCandidate candidate, string reason, CancellationToken cancellationToken = default);
}
