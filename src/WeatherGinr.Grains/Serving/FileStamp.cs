namespace WeatherGinr.Grains.Serving;

/// <summary>
/// When a file was last written and how long it is: a retraining's rename gives it a new time (and a new
/// length, most often); null for a path that is not a file.
/// </summary>
internal readonly record struct FileStamp(DateTime LastWriteUtc, long Length)
{
    public static FileStamp? Of(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var file = new FileInfo(path);
        return file.Exists ? new FileStamp(file.LastWriteTimeUtc, file.Length) : null;
    }
}
