using System.Text.Json;
using System.Text.RegularExpressions;

namespace WeatherGinr.Grains.Storage;

/// <summary>
/// Writes files so that a reader sees the old content or the new, never half: write a temporary file
/// beside the target, flush it to disk, then rename over the target (atomic on POSIX file systems).
/// </summary>
public static partial class AtomicFile
{
    /// <summary>
    /// Web defaults; NaN and infinities are written as strings (a metric may be NaN when nothing was scored).
    /// </summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>
    /// Deletes the temporaries <see cref="Write"/> left in <paramref name="folder"/> when its process died
    /// between creating one and renaming it (e.g. <c>kill -9</c> during an ingest): only regular files
    /// named as <see cref="Write"/> names them (<c>.NAME.GUID.tmp</c>, 32 hex digits), only directly in
    /// the folder, and only those last written before <paramref name="notWrittenSinceUtc"/>. The caller
    /// picks a time before which no writer of this folder can still be at work; a file still being
    /// written has a later time, since every write moves it.
    /// </summary>
    /// <returns>The paths deleted; a file that cannot be deleted is left and not listed.</returns>
    public static IReadOnlyList<string> RemoveStaleTemporaries(string folder, DateTime notWrittenSinceUtc) =>
        RemoveStale(folder, TemporaryName(), notWrittenSinceUtc);

    /// <summary>
    /// Deletes the regular files directly in <paramref name="folder"/> whose names match <paramref name="name"/>
    /// and that were last written before <paramref name="notWrittenSinceUtc"/>: what a writer killed mid-write
    /// left. Links are left alone (a writer of ours creates plain files, and deleting a link frees nothing).
    /// </summary>
    /// <returns>The paths deleted; a file that cannot be deleted, or a folder that cannot be read, is left for a
    /// later sweep.</returns>
    public static IReadOnlyList<string> RemoveStale(string folder, Regex name, DateTime notWrittenSinceUtc)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(name);
        var removed = new List<string>();
        if (!Directory.Exists(folder))
        {
            return removed;
        }

        try
        {
            foreach (var file in new DirectoryInfo(folder).EnumerateFiles())
            {
                if (!name.IsMatch(file.Name) || file.Attributes.HasFlag(FileAttributes.ReparsePoint)
                    || file.LastWriteTimeUtc >= notWrittenSinceUtc)
                {
                    continue;
                }

                try
                {
                    file.Delete();
                    removed.Add(file.FullName);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Left for a later sweep.
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An unreadable folder: nothing to sweep now.
        }

        return removed;
    }

    public static void WriteJson<T>(string path, T value) =>
        Write(path, stream => JsonSerializer.Serialize(stream, value, Json));

    public static T? ReadJson<T>(string path)
    {
        if (!File.Exists(path))
        {
            return default;
        }

        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<T>(stream, Json);
    }

    /// <summary>The name <see cref="Write"/> gives a temporary: ".", the target's name, a GUID, ".tmp".</summary>
    [GeneratedRegex(@"^\..+\.[0-9a-f]{32}\.tmp$", RegexOptions.CultureInvariant)]
    private static partial Regex TemporaryName();
}
