namespace WeatherGinr.Grains.Ingest;

/// <summary>A file an <see cref="IIngestSource"/> offers for ingestion.</summary>
/// <param name="Name">File name without folders ("era5_2024-01.nc").</param>
/// <param name="Location">Where the source keeps it: a full path for a drop folder, an object key for storage.</param>
/// <param name="SizeBytes">Size when listed.</param>
/// <param name="LastModifiedUtc">Last modification when listed.</param>
public sealed record IngestCandidate(string Name, string Location, long SizeBytes, DateTimeOffset LastModifiedUtc);
