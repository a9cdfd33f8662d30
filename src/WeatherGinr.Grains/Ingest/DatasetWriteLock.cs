using System.Diagnostics;

namespace WeatherGinr.Grains.Ingest;

/// <summary>
/// One writer per dataset across processes: an exclusive lock on <c>datasets/NAME/.write.lock</c>, held while
/// an ingest checks, copies and commits. Within a cluster the dataset grain is already the only writer; this
/// covers two processes on one data folder, such as <c>weatherginr ingest --once</c> beside a running server,
/// which would otherwise both write version n + 1 and one would delete the other's files.
/// </summary>
/// <remarks>
/// The lock is the operating system's advisory file lock that .NET takes for <see cref="FileShare.None"/>
/// (<c>flock</c> on Linux): the kernel drops it when its holder exits, even on <c>kill -9</c>, so a crashed writer
/// never leaves the dataset locked. The file itself stays, empty; its presence means nothing.
/// </remarks>
internal sealed class DatasetWriteLock : IDisposable
{
    public const string FileName = ".write.lock";

    private readonly FileStream stream;

    private DatasetWriteLock(FileStream stream) => this.stream = stream;

    /// <summary>
    /// Takes the lock of the dataset in <paramref name="folder"/> (creating the folder), waiting up to
    /// <paramref name="wait"/> for another writer to finish.
    /// </summary>
    /// <exception cref="IOException">Another process held the lock for the whole wait.</exception>
    /// <param name="folder">The dataset's folder.</param>
    /// <param name="datasetName">The dataset's name, for the message.</param>
    /// <param name="wait">How long to wait for another writer.</param>
    /// <param name="waiting">Told once, when the lock is found taken, before the wait.</param>
    public static DatasetWriteLock Acquire(string folder, string datasetName, TimeSpan wait, Action? waiting = null)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        var clock = Stopwatch.StartNew();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new DatasetWriteLock(
                    new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException e) when (IsHeldElsewhere(e))
            {
                if (clock.Elapsed >= wait)
                {
                    throw new IOException(
                        $"dataset '{datasetName}' is being written by another process (it holds {path}) and was " +
                        $"still busy after {wait.TotalSeconds:0.#} s; nothing was changed, run the ingest again once " +
                        "that one has finished", e);
                }

                if (attempt == 0)
                {
                    waiting?.Invoke();
                }

                Thread.Sleep(100);
            }
        }
    }

    public void Dispose() => stream.Dispose();

    /// <summary>The lock is taken: EWOULDBLOCK (11) on Linux, a sharing violation on Windows.</summary>
    private static bool IsHeldElsewhere(IOException e) =>
        e is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException)
        && (e.HResult == 11 || e.HResult == unchecked((int)0x80070020));
}
