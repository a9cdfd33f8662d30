using System.Globalization;
using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Storage;

namespace WeatherGinr.Grains.Ingest;

/// <summary>
/// A local or shared folder that producers drop NetCDF files into. Candidates are the regular files at
/// its top level (named pipes, sockets and devices are passed over: reading a pipe would wait for a writer
/// forever), except names that start with '.' or end with <c>.part</c>, <c>.partial</c> or <c>.tmp</c>: a
/// producer writes under such a name and renames when done, so a half-written file is never read. A refused
/// file moves to <c>rejected/NAME</c> with <c>rejected/NAME.reason.txt</c> beside it.
/// </summary>
/// <remarks>
/// Symbolic links are never followed. Whoever can write into the folder could otherwise make the scan read
/// any file the service may read (another dataset's sources, a file the in-progress names were meant to
/// hide) and serve it as this dataset's data; a link to a file inside the folder adds nothing, since the
/// file itself is a candidate. A link is listed with a <see cref="IngestCandidate.Refusal"/> and moved
/// aside (the link itself; its target is never opened), and a file that became a link after it was
/// listed is not handed out (<see cref="GetLocalPathAsync"/>). That narrows the window for a swap but
/// cannot close it: the dataset opens the path by name afterwards.
/// </remarks>
public sealed class DropFolderSource : IIngestSource
{
    /// <summary>The subfolder refused files move to.</summary>
    public const string RejectedFolderName = "rejected";

    /// <summary>Appended to a refused file's name for the file that holds the reason.</summary>
    public const string ReasonSuffix = ".reason.txt";

    private static readonly string[] InProgressSuffixes = [".part", ".partial", ".tmp"];

    public DropFolderSource(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Folder = Path.GetFullPath(folder);
    }

    /// <summary>The folder, as a full path.</summary>
    public string Folder { get; }

    public string Location => Folder;

    public string RejectedFolder => Path.Combine(Folder, RejectedFolderName);

    public Task<IReadOnlyList<IngestCandidate>> ListCandidatesAsync(CancellationToken cancellationToken = default) =>
        Task.Run(() =>
        {
            if (!Directory.Exists(Folder))
            {
                throw new DirectoryNotFoundException($"drop folder '{Folder}' does not exist");
            }

            // LinkTarget reads the link itself (readlink), never its target; a link's size is left at 0.
            IReadOnlyList<IngestCandidate> candidates = new DirectoryInfo(Folder)
                .EnumerateFiles("*", SearchOption.TopDirectoryOnly)
                .Where(file => IsOffered(file.Name)
                    && (file.LinkTarget is not null || FileKind.IsRegularFile(file.FullName)))
                .OrderBy(file => file.Name, StringComparer.Ordinal)
                .Select(file => file.LinkTarget is { } target
                    ? new IngestCandidate(file.Name, file.FullName, 0, file.LastWriteTimeUtc,
                        LinkRefusal(file.FullName, target))
                    : new IngestCandidate(file.Name, file.FullName, file.Length, file.LastWriteTimeUtc))
                .ToList();
            return candidates;
        }, cancellationToken);

    public Task<Stream> OpenReadAsync(IngestCandidate candidate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        Stream stream = new FileStream(PathOf(candidate), FileMode.Open, FileAccess.Read, FileShare.Read,
            bufferSize: 1 << 16, useAsync: true);
        return Task.FromResult(stream);
    }

    /// <summary>
    /// The file is already local: it is read in place. A file replaced by a symbolic link since it was listed
    /// is an <see cref="IOException"/> (the scan reports it without moving it; the next scan refuses the link).
    /// </summary>
    public Task<string> GetLocalPathAsync(IngestCandidate candidate, string stagingFolder,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var path = PathOf(candidate);
        if (new FileInfo(path).LinkTarget is { } target)
        {
            throw new IOException(LinkRefusal(path, target));
        }

        return Task.FromResult(path);
    }

    public Task<string> RejectAsync(IngestCandidate candidate, string reason,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(reason);
        var source = PathOf(candidate);
        return Task.Run(() =>
        {
            Directory.CreateDirectory(RejectedFolder);
            var target = FreeTarget(candidate.Name);

            // Move first, so the file leaves the drop folder even if the reason cannot be written.
            File.Move(source, target);
            AtomicFile.Write(target + ReasonSuffix, stream =>
            {
                using var writer = new StreamWriter(stream, leaveOpen: true);
                // Line by line even when a name holds a newline: the first line is the reason, the second where from.
                writer.WriteLine(ErrorText.Printable(reason));
                writer.WriteLine(ErrorText.Printable(string.Create(CultureInfo.InvariantCulture,
                    $"rejected at {DateTimeOffset.UtcNow:yyyy-MM-dd'T'HH:mm:ss'Z'} from {source}")));
            });
            return target;
        }, cancellationToken);
    }

    private static string LinkRefusal(string path, string target) =>
        $"'{path}': is a symbolic link to '{target}'; links in a drop folder are not followed (their target may " +
        "lie outside it): put the file itself into the folder";

    private static bool IsOffered(string name) =>
        !name.StartsWith('.') && !InProgressSuffixes.Any(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase));

    /// <summary>The candidate's path, refusing one that does not belong to this folder.</summary>
    private string PathOf(IngestCandidate candidate)
    {
        var path = Path.GetFullPath(candidate.Location);
        if (!string.Equals(Path.GetDirectoryName(path), Folder, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{candidate.Location}' is not a file of drop folder '{Folder}'",
                nameof(candidate));
        }

        return path;
    }

    /// <summary>
    /// <c>rejected/NAME</c>, or <c>rejected/STEM.2.EXT</c>, ... when a file of that name was refused before.
    /// </summary>
    private string FreeTarget(string name)
    {
        var target = Path.Combine(RejectedFolder, name);
        for (var attempt = 2; File.Exists(target) || File.Exists(target + ReasonSuffix); attempt++)
        {
            target = Path.Combine(RejectedFolder, string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileNameWithoutExtension(name)}.{attempt}{Path.GetExtension(name)}"));
        }

        return target;
    }
}
