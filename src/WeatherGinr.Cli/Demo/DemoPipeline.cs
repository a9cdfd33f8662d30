using System.Diagnostics;
using System.Security.Cryptography;
using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Spectral;
using WeatherGinr.Grains.Storage;
using WeatherGinr.Grains.Training;
using WeatherGinr.Ingest;

namespace WeatherGinr.Cli.Demo;

/// <summary>What the demo tells whoever watches it.</summary>
public interface IDemoObserver
{
    void Stage(string title);

    void Note(string text);

    void Training(TrainingRunStatus status);
}

/// <summary>The demo's input could not be used; the message names the file and the problem.</summary>
public sealed class DemoInputException(string message) : Exception(message);

/// <summary>
/// The whole job through the same grains a cluster uses: get real data, ingest it, build or reuse
/// the embedding, train, score against a baseline, export a super-resolved field and maps, query.
/// </summary>
public static class DemoPipeline
{
    public static async Task<DemoSummary> RunAsync(IGrainFactory grains, DemoOptions options, IDemoObserver observer,
        Uri? queryService = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(observer);
        var clock = Stopwatch.StartNew();

        observer.Stage("1. Data");
        var datasets = options.InputFiles is { Count: > 0 } given
            ? [UserDataset(CheckInputFiles(given))]
            : new SampleData(options.DataRoot).Ensure(observer.Note);
        foreach (var file in datasets.SelectMany(d => d.Files))
        {
            observer.Note(file);
        }

        cancellationToken.ThrowIfCancellationRequested();
        observer.Stage("2. Ingest (libnetcdf, CF decoding)");
        var ingested = new List<IngestSummary>();
        foreach (var dataset in datasets)
        {
            ingested.Add(await Ingest(grains, dataset, observer));
        }

        cancellationToken.ThrowIfCancellationRequested();
        observer.Stage($"3. Icosphere level {options.MeshLevel}, Laplacian, " +
            $"first {options.EmbeddingColumns} eigenvectors");
        var embedding = await grains
            .GetGrain<IEmbeddingGrain>(EmbeddingGrain.KeyFor(options.MeshLevel, options.EmbeddingColumns))
            .Ensure(cancellationToken);
        observer.Note(embedding.FromCache
            ? $"reused cached embedding {embedding.Id} ({embedding.CachePath})"
            : $"computed embedding {embedding.Id} in {embedding.Seconds:F1} s, cached at {embedding.CachePath}");
        observer.Note($"{embedding.NodeCount} nodes, max relative residual {embedding.MaxRelativeResidual:0.00e0}");

        cancellationToken.ThrowIfCancellationRequested();
        observer.Stage("4-5. Training time-conditioned GINRs and scoring them (one worker per dataset and time axis)");
        var runs = new List<ITrainingRunGrain>();
        foreach (var dataset in datasets)
        {
            var run = grains.GetGrain<ITrainingRunGrain>($"{options.RunPrefix}-{dataset.Name}");
            await run.Start(new TrainingRunRequest(dataset.Name, options.MeshLevel, options.EmbeddingColumns,
                options.HeldOutFraction, options.Training));
            runs.Add(run);
        }

        var status = await Combined(runs);
        while (status.State is JobState.Pending or JobState.Running)
        {
            observer.Training(status);
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            status = await Combined(runs);
        }

        observer.Training(status);
        var failed = status.Jobs.Where(j => j.State == JobState.Failed).ToArray();
        if (failed.Length > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine,
                failed.Select(j => $"training job {j.JobId} failed: {j.Error}")));
        }

        observer.Stage("5-6. Super-resolved Parquet and maps");
        var models = new List<ModelSummary>();
        foreach (var job in status.Jobs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            models.Add(await Materialise(grains, options, job, observer, cancellationToken));
        }

        var summary = new DemoSummary(options.DataRoot, ingested,
            new EmbeddingDescriptorSummary(embedding.Id, embedding.MeshLevel, embedding.Columns, embedding.NodeCount,
                embedding.FromCache, embedding.Seconds, embedding.MaxRelativeResidual, embedding.CachePath),
            models, 0);

        if (queryService is not null)
        {
            observer.Stage("7. HTTP query service");
            summary = summary with { Query = await QueryExample(queryService, models[0]) };
        }

        return summary with { ElapsedSeconds = clock.Elapsed.TotalSeconds };
    }

    private static async Task<IngestSummary> Ingest(IGrainFactory grains, DemoDataset dataset, IDemoObserver observer)
    {
        var report = await grains.GetGrain<IDatasetGrain>(dataset.Name).Ingest(new IngestRequest(dataset.Files));
        if (report.Failures.Count > 0)
        {
            // One line per bad file, each starting with the file it is about.
            throw new DemoInputException(string.Join(Environment.NewLine, report.Failures.Select(f =>
                f.Reason.Contains(f.Path, StringComparison.Ordinal) ? f.Reason : $"{f.Path}: {f.Reason}")));
        }

        observer.Note($"dataset {dataset.Name}: {Files(report.Added.Count)} added, {Files(report.Unchanged.Count)} " +
            "already held (same SHA-256)");
        foreach (var variable in report.Dataset.Variables)
        {
            observer.Note($"  {variable.Name}: {variable.Quantity} [{variable.Units}] on a {variable.LatitudeCount}x" +
                $"{variable.LongitudeCount} grid, {variable.TimeCount} steps {variable.FirstTimeUtc:yyyy-MM-dd} .. " +
                $"{variable.LastTimeUtc:yyyy-MM-dd}");
        }

        return new IngestSummary(dataset.Name, dataset.Files, report.Added.Count, report.Unchanged.Count,
            report.Dataset.Variables.Select(v => v.Name).ToArray());
    }

    private static string Files(int count) => count == 1 ? "1 file" : $"{count} files";

    /// <summary>All runs' jobs as one status, job ids prefixed by their run so they stay distinct.</summary>
    private static async Task<TrainingRunStatus> Combined(IReadOnlyList<ITrainingRunGrain> runs)
    {
        var statuses = await Task.WhenAll(runs.Select(r => r.GetStatus()));
        var jobs = statuses.SelectMany(s => s.Jobs.Select(j => j with { JobId = $"{s.RunId}/{j.JobId}" })).ToArray();
        var state = statuses.All(s => s.State == JobState.Succeeded) ? JobState.Succeeded
            : statuses.All(s => s.State is JobState.Succeeded or JobState.Failed) ? JobState.Failed
            : JobState.Running;
        return new TrainingRunStatus("demo", state, jobs);
    }

    private static async Task<ModelSummary> Materialise(IGrainFactory grains, DemoOptions options, JobStatus job,
        IDemoObserver observer, CancellationToken cancellationToken)
    {
        var modelId = job.ModelId!;
        var model = grains.GetGrain<IModelGrain>(modelId);
        var descriptor = await model.Describe();
        var times = descriptor.Variables[0];
        var exportsFolder = Path.Combine(options.DataRoot, "exports");

        // An observed time, and the middle of the first two observed steps (temporal super-resolution).
        var observed = times.FirstTimeUtc;
        var between = times.TimeCount > 1
            ? observed + (SecondTime(descriptor) - observed) / 2
            : observed;
        var exports = new List<ExportSummary>();
        foreach (var (time, isObserved) in new[] { (observed, true), (between, false) }.Distinct())
        {
            var path = Path.Combine(exportsFolder, $"{modelId}.{time:yyyyMMddTHHmm}.parquet");
            var result = await model.ExportGrid(new GridExportRequest(-90, 90, -180, 180,
                options.ExportResolutionDegrees, [time], path), cancellationToken);
            exports.Add(new ExportSummary(path, time, isObserved, result.LatitudeCount, result.LongitudeCount,
                result.Rows));
            observer.Note($"{modelId}: {result.Rows:N0} rows at {time:yyyy-MM-dd HH:mm} UTC " +
                $"({(isObserved ? "observed" : "between observed steps")}) -> {path}");
        }

        var maps = await model.RenderMaps(new MapRequest(observed, options.MapResolutionDegrees,
            Path.Combine(exportsFolder, "maps")));
        foreach (var map in maps)
        {
            observer.Note($"map: {map}");
        }

        var summary = new ModelSummary(modelId, job.Variables, job.Device ?? "unknown", job.Seconds, job.Step,
            descriptor.ParameterCount, job.Metrics, descriptor.CheckpointPath, exports, maps)
        {
            ExampleTimeUtc = ExampleTime(descriptor.FirstTimeUtc, descriptor.LastTimeUtc),
        };
        return WithExamplePlace(summary, GriddedFieldStore.Read(descriptor.Variables[0].StoragePath));
    }

    /// <summary>Example places inside the data: the defaults on a global grid, else the grid's own box.</summary>
    internal static ModelSummary WithExamplePlace(ModelSummary summary, GriddedField field)
    {
        var box = GridExtent.Of(field);
        if (box is { EastwardSpanDegrees: >= 360, SouthDegrees: <= 35, NorthDegrees: >= 70 })
        {
            return summary;
        }

        var east = box.WestDegrees + box.EastwardSpanDegrees;
        var middle = box.WestDegrees + (box.EastwardSpanDegrees / 2);
        return summary with
        {
            ExamplePoint = (Math.Round((box.SouthDegrees + box.NorthDegrees) / 2, 2),
                Math.Round(middle >= 180 ? middle - 360 : middle, 2)),
            ExampleWindow = (box.SouthDegrees, box.NorthDegrees, box.WestDegrees, east > 180 ? east - 360 : east),
        };
    }

    private static DateTimeOffset SecondTime(ModelDescriptor descriptor) => descriptor.Variables[0].TimesUtc[1];

    /// <summary>
    /// The middle of a model's training window, on the whole hour at or before it (never before the window's
    /// start): a time every example query answers without extrapolating, whatever the data's dates.
    /// </summary>
    internal static DateTimeOffset ExampleTime(DateTimeOffset firstUtc, DateTimeOffset lastUtc)
    {
        var middle = (firstUtc + (lastUtc - firstUtc) / 2).ToUniversalTime();
        var hour = new DateTimeOffset(middle.Year, middle.Month, middle.Day, middle.Hour, 0, 0, TimeSpan.Zero);
        return hour < firstUtc ? firstUtc.ToUniversalTime() : hour;
    }

    /// <summary>An ISO 8601 UTC time as the HTTP API takes it.</summary>
    internal static string IsoTime(DateTimeOffset timeUtc) =>
        timeUtc.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<QuerySummary> QueryExample(Uri service, ModelSummary model)
    {
        var time = IsoTime(model.ExampleTimeUtc);
        var (lat, lon) = model.ExamplePoint;
        var url = new Uri(service, string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"/v1/models/{model.ModelId}/point?lat={lat}&lon={lon}&time={time}"));
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        using var response = await client.GetAsync(url);
        return new QuerySummary(url.ToString(), (int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Every input must exist and be a file; each that is not is named, one line each.</summary>
    private static string[] CheckInputFiles(IReadOnlyList<string> files)
    {
        var problems = files
            .Select(file => Directory.Exists(file) ? $"{file}: is a directory, not a NetCDF file"
                : !File.Exists(file) ? $"{file}: file does not exist"
                : null)
            .OfType<string>()
            .ToArray();
        if (problems.Length > 0)
        {
            throw new DemoInputException(string.Join(Environment.NewLine, problems));
        }

        return files.Select(Path.GetFullPath).Distinct().ToArray();
    }

    /// <summary>
    /// The user's files make one dataset named by their content, so different inputs never mix and the
    /// same inputs reuse their dataset.
    /// </summary>
    private static DemoDataset UserDataset(string[] files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            using var stream = File.OpenRead(file);
            hash.AppendData(SHA256.HashData(stream));
        }

        return new DemoDataset("input-" + Convert.ToHexStringLower(hash.GetHashAndReset())[..12], files);
    }
}
