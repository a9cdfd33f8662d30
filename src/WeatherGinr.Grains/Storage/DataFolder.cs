namespace WeatherGinr.Grains.Storage;

/// <summary>
/// The layout of the data folder every silo shares (local disk in the embedded default, a shared
/// volume in a cluster). All paths the product writes are made here.
/// </summary>
/// <remarks>
/// <code>
/// datasets/{name}/manifest.json        files held, by SHA-256, and the variables they gave
/// datasets/{name}/variables/{var}.field decoded variables on their native grid
/// embeddings/                           content-addressed spectral embeddings (one per mesh and k)
/// runs/{run}/{job}/{start}.{attempt}/   checkpoint (model.ginr) and coverage (coverage.bin) of one training
/// models/{model}.json                   what every trained model is and where it lives
/// exports/                              super-resolved Parquet files and PNG maps
/// </code>
/// </remarks>
public sealed class DataFolder
{
    public DataFolder(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string Datasets => Path.Combine(Root, "datasets");

    public string Embeddings => Path.Combine(Root, "embeddings");

    public string Runs => Path.Combine(Root, "runs");

    public string Models => Path.Combine(Root, "models");

    public string Exports => Path.Combine(Root, "exports");

    public string Dataset(string name) => Path.Combine(Datasets, SafeName(name, nameof(name)));

    public string RunJob(string runId, string jobId) =>
        Path.Combine(Runs, SafeName(runId, nameof(runId)), SafeName(jobId, nameof(jobId)));

    public string ModelDescriptor(string modelId) => Path.Combine(Models, SafeName(modelId, nameof(modelId)) + ".json");

    /// <summary>
    /// A path a manifest, model descriptor or run state holds, as it should be read in this data folder. Paths are
    /// stored absolute, so a folder that was copied, moved, restored from a backup or mounted elsewhere on another
    /// silo holds paths into the old place: such a path is re-rooted here, at the leftmost of its segments that
    /// names one of the product's folders and is followed by that folder's own layout (datasets/{name}/versions/
    /// {n}/{file} or datasets/{name}/sources/{file}, runs/{run}/{job}/[{start}/]{file}, embeddings/{file},
    /// models/{file}, exports/[maps/]{file}), so that a root which itself holds such a name is not mistaken for one.
    /// The re-rooted path is used whether or not its file exists here: a copy never reads the original's files,
    /// and what fails to read a missing one names the copy's path. A path with no such segment is returned as it is.
    /// </summary>
    public string Resolve(string storedPath)
    {
        ArgumentNullException.ThrowIfNull(storedPath);
        if (storedPath.Length == 0)
        {
            return storedPath;
        }

        if (!Path.IsPathRooted(storedPath))
        {
            return Path.Combine(Root, storedPath);
        }

        var full = Path.GetFullPath(storedPath);
        if (full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return full;
        }

        var segments = full.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < segments.Length - 1; i++)
        {
            var after = segments.Length - i - 1;
            var layout = segments[i] switch
            {
                "datasets" => (after == 4 && segments[i + 2] == "versions")
                    || (after == 3 && segments[i + 2] == "sources"),
                "runs" => after is 3 or 4,
                "embeddings" or "models" => after == 1,
                "exports" => after is 1 or 2,
                _ => false,
            };
            if (layout)
            {
                return Path.Combine([Root, .. segments[i..]]);
            }
        }

        return full;
    }

    /// <summary>
    /// Null when each of the product's folders is a folder or not there yet; otherwise one line naming the first that
    /// is a file. Asked before work starts: a file named 'models' let the demo train every job and fail only when
    /// it registered the first model, and made a server answer an empty list without a word.
    /// </summary>
    public string? LayoutProblem()
    {
        string[] own = [Datasets, Embeddings, Runs, Models, Exports];
        return own.FirstOrDefault(File.Exists) is { } file
            ? $"'{file}' is a file where the data folder keeps its {Path.GetFileName(file)}; move it away, or choose "
                + "another --data"
            : null;
    }

    /// <summary>
    /// The product's own folder that <paramref name="path"/> is or lies inside (datasets, runs, models, embeddings,
    /// exports, staging, experiments), or null. A drop folder there would take the product's own files for input
    /// and move them to <c>rejected/</c>: a manifest, a model descriptor. Other places under the data folder, such
    /// as <c>sources/</c> where the samples are unpacked, are not the product's to guard.
    /// </summary>
    public string? OwnFolderHolding(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);

        // Compared as real paths: a link to datasets/X, or a data folder reached through a link, is the same place.
        var full = RealPath(path);
        string[] own = ["datasets", "runs", "models", "embeddings", "exports", "staging", "experiments"];
        return own.Select(name => (Name: name, Real: RealPath(Path.Combine(Root, name))))
            .Where(folder => full == folder.Real
                || full.StartsWith(folder.Real + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Select(folder => Path.Combine(Root, folder.Name))
            .FirstOrDefault();
    }

    /// <summary>
    /// The path with every symbolic link along it resolved, as far as its parts exist (what follows a missing part
    /// is kept as written); links that loop are left as they are after 40 steps.
    /// </summary>
    internal static string RealPath(string path, int depth = 0)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar,
            StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = new FileInfo(next);
            if (depth < 40 && info.LinkTarget is { } target)
            {
                next = RealPath(Path.IsPathRooted(target) ? target : Path.Combine(current, target), depth + 1);
            }

            current = next;
        }

        return current;
    }

    /// <summary>Refuses names that could escape the data folder or that no file system accepts.</summary>
    public static string SafeName(string name, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, parameterName);
        if (!name.All(OfSafeName))
        {
            throw new ArgumentException(
                $"{parameterName} '{name}' may hold only ASCII letters, digits, '-', '_' and '.'", parameterName);
        }

        return IsSafeName(name) ? name
            : throw new ArgumentException($"{parameterName} '{name}' is not a usable name", parameterName);
    }

    /// <summary>
    /// A file name made from a name a file chose (a NetCDF variable such as "t 2m" or "t.2m/x"): every character
    /// <see cref="SafeName"/> would refuse becomes '_', so the name can neither escape the folder nor fail a commit.
    /// </summary>
    public static string FileNameFor(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var safe = new string(name.Select(c => OfSafeName(c) ? c : '_').Take(100).ToArray());
        return safe.Length == 0 || safe.All(c => c == '.') ? "_" + safe : safe;
    }

    /// <summary>Whether <see cref="SafeName"/> takes the name.</summary>
    public static bool IsSafeName(string? name) =>
        !string.IsNullOrWhiteSpace(name) && name.All(OfSafeName) && name is not ("." or "..") && name.Length <= 120;

    private static bool OfSafeName(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';
}
