using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Storage;
using WeatherGinr.Ingest;

namespace WeatherGinr.Grains.Ingest;

/// <inheritdoc cref="IDatasetGrain"/>
/// <remarks>
/// Each accepted file is copied into the dataset (named by its hash), so the dataset stays whole when
/// a drop folder is cleaned. Every commit writes the decoded variables into a fresh version folder and
/// only then replaces <c>manifest.json</c>: a crash before that rename leaves the previous version
/// visible and intact.
/// <para>Decoding goes into the silo's <see cref="IngestWorkspace"/>, so file after file reuses the same
/// value buffers. A decoded field is handed back only once nothing holds its values: right after the checks
/// of a new file, and after a commit has written its variables to disk (or given up). Nothing decoded
/// outlives the call that decoded it; what is stored is the bytes written.</para>
/// </remarks>
public sealed partial class DatasetGrain(DataFolder dataFolder, IngestWorkspace workspace,
    ILogger<DatasetGrain> logger) : Grain, IDatasetGrain
{
    private sealed record Manifest(int Version, List<IngestedFile> Files, List<DatasetVariable> Variables);

    /// <summary>When this process started: a temporary last written before then has no writer here.</summary>
    private static readonly DateTime ProcessStartedUtc = StartTimeOfThisProcessUtc();

    private string Folder => dataFolder.Dataset(this.GetPrimaryKeyString());

    private string ManifestPath => Path.Combine(Folder, "manifest.json");

    public Task<DatasetSummary> Describe() => Task.FromResult(ToSummary(LoadManifest()));

    public async Task<IngestReport> Ingest(IngestRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = this.GetPrimaryKeyString();

        // Decoding is CPU and native-library work: keep it off the grain scheduler.
        var (report, manifest) = await Task.Run(() => IngestCore(name, request.Paths));

        foreach (var file in report.Added)
        {
            var variables = string.Join(", ", file.Variables);
            LogFileIngested(logger, file.Path, name, variables);
        }

        foreach (var file in report.Unchanged)
        {
            LogFileUnchanged(logger, file.Path, name);
        }

        foreach (var failure in report.Failures)
        {
            LogFileRejected(logger, failure.Path, name, failure.Reason);
        }

        if (report.Added.Count > 0)
        {
            LogDatasetCommitted(logger, name, manifest.Version, manifest.Variables.Count);
        }

        return report;
    }

    /// <summary>How long an ingest waits for another process that is writing the same dataset.</summary>
    internal static TimeSpan WriteLockWait { get; set; } = TimeSpan.FromMinutes(5);

    private (IngestReport Report, Manifest Manifest) IngestCore(string name, IReadOnlyList<string> paths)
    {
        // Another process on the same data folder (ingest --once beside a server) may be writing this dataset.
        using var writeLock = DatasetWriteLock.Acquire(Folder, name, WriteLockWait,
            () => LogWaitingForWriteLock(logger, name, WriteLockWait.TotalSeconds));
        RemoveStaleTemporaries(name);
        var manifest = LoadManifest();
        var known = manifest.Files.ToDictionary(f => f.Sha256, StringComparer.Ordinal);
        var added = new List<(IngestedFile File, string StoredCopy)>();
        var copiesMadeNow = new HashSet<string>(StringComparer.Ordinal);
        var unchanged = new List<IngestedFile>();
        var failures = new List<IngestFailure>();

        foreach (var path in paths)
        {
            string sha;
            try
            {
                sha = Sha256Of(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failures.Add(new IngestFailure(path, e is FileNotFoundException or DirectoryNotFoundException
                    ? $"file '{path}' does not exist" : $"file '{path}' cannot be read: {e.Message}"));
                continue;
            }

            if (known.TryGetValue(sha, out var held) || added.Any(a => a.File.Sha256 == sha))
            {
                // Named by the path given now: a copy dropped under another name is reported as itself.
                var same = held ?? added.First(a => a.File.Sha256 == sha).File;
                unchanged.Add(same with { Path = Path.GetFullPath(path) });
                continue;
            }

            try
            {
                // Decode the file on its own first, so one bad file names itself and spares the batch. Only
                // the variable names outlive these checks; the values go back to the workspace.
                var fields = WeatherFieldReader.ReadWeatherFields([path], workspace);
                var names = fields.Select(f => f.VariableName).ToArray();
                // A variable with no valid value, or with values no weather can have (wrong units, an
                // undeclared fill value), refuses the file before it can crowd out good files at its times.
                var refusals = FieldAcceptance.Refusals(fields, path);
                var refusal = refusals.Count > 0 ? refusals[0] : null;
                workspace.Return(fields);
                if (refusal is not null)
                {
                    failures.Add(new IngestFailure(path, refusal));
                    continue;
                }

                var copy = StoreSourceCopy(path, sha, copiesMadeNow);
                added.Add((new IngestedFile(Path.GetFullPath(path), sha, names, DateTimeOffset.UtcNow), copy));
            }
            catch (IngestException e)
            {
                failures.Add(new IngestFailure(path, e.Message));
            }
        }

        if (added.Count == 0)
        {
            return (new IngestReport([], unchanged, failures, ToSummary(manifest)), manifest);
        }

        Manifest next;
        try
        {
            next = Commit(manifest, added, failures);
        }
        finally
        {
            // A refused file (or every file of a failed commit) leaves no copy behind in the dataset; a copy that
            // was there before this scan is not this scan's to remove.
            var current = LoadManifest();
            foreach (var (file, copy) in added)
            {
                if (copiesMadeNow.Contains(copy) && !current.Files.Any(f => f.Sha256 == file.Sha256)
                    && File.Exists(copy))
                {
                    File.Delete(copy);
                }
            }
        }

        var accepted = added.Where(a => next.Files.Any(f => f.Sha256 == a.File.Sha256)).Select(a => a.File).ToArray();
        return (new IngestReport(accepted, unchanged, failures, ToSummary(next)), next);
    }

    /// <summary>
    /// Decodes every file the dataset would hold together (variables may span files), writes the
    /// variables into a new version folder, then swaps the manifest. When the new files do not combine
    /// with the dataset (different grids, overlapping times), they are tried one at a time in the order
    /// given: a file that conflicts with the dataset or with a file accepted before it is refused, the
    /// others go in. When none goes in, the old version stays as it is.
    /// </summary>
    private Manifest Commit(Manifest manifest, List<(IngestedFile File, string StoredCopy)> added,
        List<IngestFailure> failures)
    {
        var heldCopies = manifest.Files.Select(f => SourceCopyPath(f.Sha256, f.Path)).ToList();
        CheckHeldCopies(manifest);
        var originals = manifest.Files.ToDictionary(f => SourceCopyPath(f.Sha256, f.Path), f => f.Path);
        foreach (var (file, copy) in added)
        {
            originals[copy] = file.Path;
        }

        // The fields of the combination that will be written; those of a combination superseded by a later
        // one, and these once written (or given up), go back to the workspace.
        IReadOnlyList<GriddedField>? fields = null;
        try
        {
            var accepted = added;
            if (!TryCombine([.. heldCopies, .. added.Select(a => a.StoredCopy)], originals, out fields, out _))
            {
                accepted = [];
                foreach (var candidate in added)
                {
                    if (TryCombine([.. heldCopies, .. accepted.Select(a => a.StoredCopy), candidate.StoredCopy],
                            originals, out var trial, out var conflict))
                    {
                        accepted.Add(candidate);
                        if (fields is not null)
                        {
                            workspace.Return(fields);
                        }

                        fields = trial;
                    }
                    else
                    {
                        failures.Add(new IngestFailure(
                            candidate.File.Path, $"does not combine with the dataset: {conflict}"));
                    }
                }

                if (accepted.Count == 0)
                {
                    return manifest;
                }
            }

            return WriteVersion(manifest, accepted, fields!);
        }
        finally
        {
            if (fields is not null)
            {
                workspace.Return(fields);
            }
        }
    }

    /// <summary>
    /// Writes the variables into a fresh version folder, then swaps the manifest (the commit point). On an
    /// I/O failure the folder is removed and the previous version stays the current one.
    /// </summary>
    private Manifest WriteVersion(Manifest manifest, List<(IngestedFile File, string StoredCopy)> accepted,
        IReadOnlyList<GriddedField> fields)
    {
        // A folder of the next number is left by a commit killed before its manifest, or belongs to a version
        // whose manifest was replaced by an older copy: nothing tells the two apart, so it is passed over, never
        // deleted, and the new version takes the first free number.
        var version = manifest.Version + 1;
        while (Directory.Exists(VersionFolder(version)))
        {
            version++;
        }

        // Written under a temporary name and renamed whole just before the manifest swap: a commit killed before
        // that leaves no folder that looks like a version (a version folder with no manifest stops the dataset's
        // ingests, so a crash during a first commit made the dataset unusable).
        var versionFolder = VersionFolder(version);
        var staging = Path.Combine(Folder, "versions",
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $".{version}.{Guid.NewGuid():N}.tmp"));
        try
        {
            var variables = new List<DatasetVariable>();
            var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var field in fields)
            {
                // The variable keeps its name as written; its file gets one the folder takes, distinct in any case.
                var stem = DataFolder.FileNameFor(field.VariableName);
                var unique = stem;
                for (var n = 2; !taken.Add(unique); n++)
                {
                    unique = $"{stem}.{n}";
                }

                var storage = Path.Combine(versionFolder, unique + ".field");
                var written = Path.Combine(staging, unique + ".field");
                GriddedFieldStore.Write(written, field);
                DatasetCommitFaults.OnVariableWritten(this.GetPrimaryKeyString(), written);
                variables.Add(new DatasetVariable(
                    field.VariableName, field.Quantity.ToString(), field.CanonicalUnits,
                    field.LatitudesDegrees.Length, field.LongitudesDegrees.Length, field.TimesUtc.Length,
                    field.TimesUtc[0], field.TimesUtc[^1], storage, field.TimesUtc));
            }

            Directory.CreateDirectory(staging);
            Directory.Move(staging, versionFolder);

            // The commit point: until this rename, readers see the previous manifest and its files.
            var next = new Manifest(version, [.. manifest.Files, .. accepted.Select(a => a.File)], variables);
            try
            {
                AtomicFile.WriteJson(ManifestPath, next);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // This commit made the folder a moment ago and no manifest names it yet: it is this commit's to
                // remove, and left behind it would stop the dataset's later ingests.
                TryDelete(versionFolder);
                throw;
            }

            return next;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogCommitFailed(logger, this.GetPrimaryKeyString(), version, e.Message);
            TryDelete(staging);
            throw new IOException($"dataset '{this.GetPrimaryKeyString()}' could not commit version {version}: " +
                $"{e.Message}; version {manifest.Version} stays the current one", e);
        }
    }

    /// <summary>
    /// Decodes the files together; on a conflict, the reason with stored copies named by the files they
    /// came from (a hash-named copy means nothing to the person who dropped the file).
    /// </summary>
    private bool TryCombine(IReadOnlyList<string> copies, Dictionary<string, string> originals,
        out IReadOnlyList<GriddedField>? fields, out string? conflict)
    {
        try
        {
            fields = WeatherFieldReader.ReadWeatherFields(copies, workspace);
            conflict = null;
            return true;
        }
        catch (IngestException e)
        {
            fields = null;
            conflict = originals.Aggregate(e.Message,
                (message, pair) => message.Replace(pair.Key, pair.Value, StringComparison.Ordinal));
            return false;
        }
    }

    /// <summary>
    /// Deletes the temporary copies and manifests that a process killed mid-write left in this dataset's
    /// folder and its <c>sources/</c>. Runs under the dataset's write lock, so no other writer is at work;
    /// only files last written before this process started go, as a second guard (a writer that does not
    /// take the lock, such as an older build, moves its file's time with every write). Version folders are never
    /// swept: one that no manifest names may still be a version whose manifest was lost.
    /// </summary>
    private void RemoveStaleTemporaries(string name)
    {
        var removed = AtomicFile.RemoveStaleTemporaries(Folder, ProcessStartedUtc).Count
            + AtomicFile.RemoveStaleTemporaries(Path.Combine(Folder, "sources"), ProcessStartedUtc).Count
            + RemoveStaleStagingFolders();
        if (removed > 0)
        {
            LogStaleTemporariesRemoved(logger, removed, name);
        }
    }

    /// <summary>
    /// Version folders a killed commit left under their temporary name (<c>versions/.N.GUID.tmp</c>), last written
    /// before this process started; under the write lock, so no commit of this process is writing one.
    /// </summary>
    private int RemoveStaleStagingFolders()
    {
        var versions = new DirectoryInfo(Path.Combine(Folder, "versions"));
        if (!versions.Exists)
        {
            return 0;
        }

        var removed = 0;
        foreach (var folder in versions.EnumerateDirectories(".*.tmp"))
        {
            if (StagingFolderName().IsMatch(folder.Name) && folder.LastWriteTimeUtc < ProcessStartedUtc)
            {
                TryDelete(folder.FullName);
                removed += Directory.Exists(folder.FullName) ? 0 : 1;
            }
        }

        return removed;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\.\d+\.[0-9a-f]{32}\.tmp$")]
    private static partial System.Text.RegularExpressions.Regex StagingFolderName();

    private static DateTime StartTimeOfThisProcessUtc()
    {
        try
        {
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            return process.StartTime.ToUniversalTime();
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException
            or System.ComponentModel.Win32Exception)
        {
            // Where the start time cannot be read: the first use of this type is just as safe, since only
            // this grain writes into dataset folders and it has written nothing in this process before then.
            return DateTime.UtcNow;
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left in place; the next commit takes the next free number.
        }
    }

    /// <summary>
    /// Every file the dataset holds is decoded again at each commit, from its copy in <c>sources/</c>, named by its
    /// SHA-256. A copy that is gone, cut short or changed is the dataset's damage, not the new file's: it stops the
    /// commit, naming the copy and the file it came from (the new file waits in the drop folder), where it was
    /// blamed on the new file, which was moved aside, and a flipped bit went unseen into the next version.
    /// </summary>
    private void CheckHeldCopies(Manifest manifest)
    {
        foreach (var file in manifest.Files)
        {
            var copy = SourceCopyPath(file.Sha256, file.Path);
            string? problem;
            try
            {
                problem = Sha256Of(copy) == file.Sha256 ? null : "has changed: its SHA-256 differs from its name";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problem = e is FileNotFoundException or DirectoryNotFoundException
                    ? "is missing"
                    : $"cannot be read: {e.Message}";
            }

            if (problem is not null)
            {
                throw new IOException($"dataset '{this.GetPrimaryKeyString()}': its copy '{copy}' of '{file.Path}' "
                    + $"{problem}; put the original file back there under that name, or move the dataset's folder "
                    + "away to start afresh; nothing was changed");
            }
        }
    }

    private string VersionFolder(int version) =>
        Path.Combine(Folder, "versions", version.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The dataset's copy of a file, stored now unless it is there already (then not in
    /// <paramref name="madeNow"/>).</summary>
    private string StoreSourceCopy(string path, string sha, HashSet<string> madeNow)
    {
        var target = SourceCopyPath(sha, path);
        if (!File.Exists(target))
        {
            madeNow.Add(target);
            AtomicFile.Write(target, stream =>
            {
                using var source = File.OpenRead(path);
                source.CopyTo(stream);
            });
        }

        return target;
    }

    private string SourceCopyPath(string sha, string originalPath) =>
        Path.Combine(Folder, "sources", sha + Path.GetExtension(originalPath).ToLowerInvariant());

    /// <summary>
    /// The manifest, or an empty one for a new dataset. A manifest that cannot be read, or that is missing while
    /// version folders exist (deleted, moved, replaced by a folder), stops the ingest before anything is written:
    /// committing over it would orphan or overwrite the versions it described.
    /// </summary>
    private Manifest LoadManifest()
    {
        Manifest? manifest;
        try
        {
            manifest = AtomicFile.ReadJson<Manifest>(ManifestPath);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw DamagedManifest($"is not a valid manifest ({e.Message})", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw DamagedManifest("cannot be read: permission denied", e);
        }

        if (manifest is { Files: not null, Variables: not null })
        {
            if (ManifestProblem(manifest) is { } problem)
            {
                throw DamagedManifest(problem);
            }

            // Written absolute: read in this folder even when it was copied or moved (see DataFolder.Resolve).
            return manifest with
            {
                Variables = manifest.Variables.Select(v => v with { StoragePath = dataFolder.Resolve(v.StoragePath) })
                    .ToList(),
            };
        }

        if (manifest is not null || File.Exists(ManifestPath))
        {
            throw DamagedManifest("holds no manifest (null, or no files and variables)");
        }

        if (HoldsVersions())
        {
            var state = Directory.Exists(ManifestPath) ? "is a folder" : "is missing";
            throw DamagedManifest($"{state}, but '{Path.Combine(Folder, "versions")}' holds versions");
        }

        return new Manifest(0, [], []);
    }

    /// <summary>Whether <c>versions/</c> holds a numbered folder: a commit that reached its rename.</summary>
    private bool HoldsVersions()
    {
        var versions = Path.Combine(Folder, "versions");
        return Directory.Exists(versions) && Directory.EnumerateDirectories(versions)
            .Any(folder => Path.GetFileName(folder).All(char.IsAsciiDigit));
    }

    /// <summary>
    /// What no commit writes: a negative version, a file without a path or a proper SHA-256 (it names the file's
    /// copy in sources/), a file listed twice, a variable without a name or a stored field, a version 0 that holds
    /// anything or while version folders exist (a manifest emptied by hand would drop every held file).
    /// </summary>
    private string? ManifestProblem(Manifest manifest)
    {
        if (manifest.Version < 0)
        {
            return $"has version {manifest.Version}";
        }

        if (manifest.Files.Any(f => f is null || string.IsNullOrEmpty(f.Path) || f.Sha256 is null
            || f.Sha256.Length != 64 || !f.Sha256.All(char.IsAsciiHexDigitLower)))
        {
            return "lists a file without a path or a SHA-256 of 64 hexadecimal digits";
        }

        if (manifest.Files.GroupBy(f => f.Sha256).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            return $"lists the file of SHA-256 {twice.Key} twice";
        }

        if (manifest.Variables.Any(v => v is null || string.IsNullOrEmpty(v.Name)
            || string.IsNullOrEmpty(v.StoragePath)))
        {
            return "lists a variable without a name or a stored field";
        }

        return manifest.Version == 0 && (manifest.Files.Count > 0 || manifest.Variables.Count > 0 || HoldsVersions())
            ? "is at version 0, but lists files or variables, or versions exist"
            : null;
    }

    private IOException DamagedManifest(string problem, Exception? inner = null) =>
        new($"the manifest '{ManifestPath}' of dataset '{this.GetPrimaryKeyString()}' {problem}; restore it from a "
            + $"backup, or move the folder '{Folder}' away to start the dataset afresh; nothing was changed", inner);

    private DatasetSummary ToSummary(Manifest manifest) =>
        new(this.GetPrimaryKeyString(), manifest.Files, manifest.Variables) { Version = manifest.Version };

    private static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
