using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using WeatherGinr.Grains.Storage;

namespace WeatherGinr.Host.Http;

/// <summary>
/// <c>exports/http</c> under the data folder: a Parquet grid answer is written there, read back, sent and
/// deleted within its request. A process killed in between (<c>kill -9</c>, a pod evicted) leaves the file or
/// its <c>.tmp</c>; <see cref="RemoveAbandoned"/> deletes those once nothing can still be writing them.
/// </summary>
/// <remarks>
/// Several servers may share one data folder (pods on a shared volume, a server beside a demo), and an export
/// writes nothing to its file while a large grid is evaluated, so a file's age is the only safe sign that its
/// request is over: one not written for <see cref="AbandonedAfter"/> is, as no answer takes that long (the
/// largest Parquet answer, 4,000,000 points, takes about a minute on two CPU cores).
/// </remarks>
internal static partial class HttpExportFolder
{
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(15);

    public static string Of(string dataRoot) => Path.Combine(dataRoot, "exports", "http");

    /// <summary>A fresh file name for one answer.</summary>
    public static string NewExportPath(string dataRoot) => Path.Combine(Of(dataRoot), $"{Guid.NewGuid():N}.parquet");

    /// <summary>
    /// Deletes one answer's file once it is sent, or after its request failed. A file that cannot be deleted, or
    /// whose folder is not there (<c>exports</c> replaced by a file, the reason the answer failed), is left to
    /// <see cref="RemoveAbandoned"/>: throwing here would hide the request's own error.
    /// </summary>
    public static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for a later sweep.
        }
    }

    /// <summary>
    /// Deletes the answers (<c>GUID.parquet</c>) and their temporaries (<c>GUID.parquet.tmp</c>) not written since
    /// <paramref name="nowUtc"/> minus <see cref="AbandonedAfter"/>; other names, links and folders are left alone.
    /// </summary>
    /// <returns>How many files were deleted; one that cannot be deleted is left for a later sweep.</returns>
    public static int RemoveAbandoned(string dataRoot, DateTime nowUtc) =>
        AtomicFile.RemoveStale(Of(dataRoot), AnswerName(), nowUtc - AbandonedAfter).Count;

    /// <summary>Event 4002, in the serving range of the grains' event ids (4000s).</summary>
    [LoggerMessage(EventId = 4002, Level = LogLevel.Information,
        Message = "Removed {Count} grid answer file(s) from {Folder}, left by a server that stopped mid-answer")]
    public static partial void LogAbandonedRemoved(ILogger logger, int count, string folder);

    [GeneratedRegex(@"^[0-9a-f]{32}\.parquet(\.tmp)?$", RegexOptions.CultureInvariant)]
    private static partial Regex AnswerName();
}
