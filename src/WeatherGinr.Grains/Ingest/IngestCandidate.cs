namespace WeatherGinr.Grains.Ingest;

/// <summary>A file an <see cref="IIngestSource"/> offers for ingestion.</summary>
/// <param name="Name">File name without folders ("era5_2024-01.nc").</param>
/// <param name="Location">Where the source keeps it: a full path for a drop folder, an object key for storage.</param>
/// <param name="SizeBytes">Size when listed.</param>
/// <param name="LastModifiedUtc">Last modification when listed.</param>
/// <param name="Refusal">
/// Why the source refuses the file without offering it to the dataset (a symbolic link in a drop folder), as a
/// reason that names it; the scan moves it aside like a file the dataset refused. Null for a file to ingest.
/// </param>
public sealed record IngestCandidate(string Name, string Location, long SizeBytes, DateTimeOffset LastModifiedUtc,
    string? Refusal = null);
