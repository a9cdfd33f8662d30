using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Maps;
using WeatherGinr.Grains.Spectral;
using WeatherGinr.Grains.Storage;
using WeatherGinr.Training;

namespace WeatherGinr.Grains.Serving;

/// <inheritdoc cref="IModelGrain"/>
/// <remarks>
/// The descriptor lives in <c>models/{id}.json</c> on the shared data folder, so any silo can
/// activate any model. Network evaluation runs on the thread pool. The read methods interleave (see
/// <see cref="IModelGrain"/>): while one waits for its evaluation, the next may start, so a point query runs
/// beside a long export instead of queueing behind it; the network itself takes one chunk of points at a time
/// (<see cref="GinrModel"/> locks per call, <see cref="LoadedModel"/> calls it per 16,384 points). Bookkeeping
/// (the load, the count of readers) runs in grain turns, which never run in parallel, so it needs no lock.
/// <para>
/// The network follows the files: a retraining in another process or silo rewrites the descriptor and the
/// checkpoint without calling <see cref="Register"/> here, so every read compares the files' stamps with those
/// the network was loaded from, and loads afresh when one changed. Files that are missing or damaged are a
/// <see cref="ModelUnavailableException"/> naming the file, logged once per activation and problem.
/// </para>
/// </remarks>
public sealed partial class ModelGrain(DataFolder dataFolder, EmbeddingLibrary library, ILogger<ModelGrain> logger)
    : Grain, IModelGrain
{
    /// <summary>The current network, loading or loaded; null until the first read or after Register.</summary>
    private Task<LoadedModel>? loading;

    /// <summary>The files <see cref="loading"/> is read from, stamped before they were read.</summary>
    private ModelFiles? loadingFiles;

    /// <summary>Problems logged already: a damaged file is one warning, not one per request.</summary>
    private readonly HashSet<string> reportedProblems = new(StringComparer.Ordinal);

    /// <summary>Readers evaluating each network right now; a network leaves when its last reader is done.</summary>
    private readonly Dictionary<LoadedModel, int> readers = new(ReferenceEqualityComparer.Instance);

    private string ModelId => this.GetPrimaryKeyString();

    public Task Register(ModelDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        AtomicFile.WriteJson(dataFolder.ModelDescriptor(ModelId), descriptor);
        RetireCurrent();
        return Task.CompletedTask;
    }

    public Task<ModelDescriptor> Describe()
    {
        try
        {
            return Task.FromResult(ReadDescriptor());
        }
        catch (ModelUnavailableException e)
        {
            Report(e);
            throw;
        }
    }

    public async Task<IReadOnlyList<PointValues>> Query(IReadOnlyList<PointQuery> points,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        foreach (var point in points)
        {
            CheckCoordinates(point.LatitudeDegrees, point.LongitudeDegrees);
        }

        return await Read(model =>
        {
            var results = new PointValues[points.Count];
            foreach (var atTime in points.Select((p, i) => (p, i)).GroupBy(x => x.p.TimeUtc))
            {
                var group = atTime.ToArray();
                var values = model.Evaluate(
                    group.Select(x => x.p.LatitudeDegrees).ToArray(), group.Select(x => x.p.LongitudeDegrees).ToArray(),
                    atTime.Key, cancellationToken);
                for (var g = 0; g < group.Length; g++)
                {
                    var row = new double[model.VariableCount];
                    for (var v = 0; v < row.Length; v++)
                    {
                        row[v] = values[g * model.VariableCount + v];
                    }

                    results[group[g].i] = new PointValues(group[g].p, row);
                }
            }

            return (IReadOnlyList<PointValues>)results;
        }, longRunning: points.Count > LoadedModel.ChunkPoints, cancellationToken);
    }

    public async Task<GridExportResult> ExportGrid(GridExportRequest request,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.TimesUtc.Count == 0)
        {
            throw new ArgumentException("an export needs at least one time", nameof(request));
        }

        var grid = new RegularGrid(request.SouthDegrees, request.NorthDegrees, request.WestDegrees,
            request.EastDegrees, request.ResolutionDegrees);
        var clock = Stopwatch.StartNew();
        long rows;
        try
        {
            rows = await Read(model =>
            {
                var (lats, lons) = grid.Points();
                try
                {
                    var window = (model.Descriptor.FirstTimeUtc, model.Descriptor.LastTimeUtc);
                    return GridParquetWriter.Write(request.ParquetPath, grid, request.TimesUtc,
                        model.Descriptor.Variables, ModelId, window, time => model.Evaluate(lats, lons, time,
                            cancellationToken));
                }
                catch (Exception e) when (ModelFiles.IsFileProblem(e) && !cancellationToken.IsCancellationRequested)
                {
                    throw new ModelUnavailableException($"model '{ModelId}' cannot write its grid answer: " +
                        $"{ModelFiles.ExportProblem(request.ParquetPath, e)}");
                }
            }, longRunning: true, cancellationToken);
        }
        catch (ModelUnavailableException e)
        {
            Report(e);
            throw;
        }

        LogGridExported(logger, ModelId, request.ParquetPath, rows, clock.Elapsed.TotalSeconds);
        return new GridExportResult(request.ParquetPath, grid.Latitudes.Length, grid.Longitudes.Length,
            request.TimesUtc.Count, rows, clock.Elapsed.TotalSeconds);
    }

    public async Task<IReadOnlyList<string>> RenderMaps(MapRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await Read(model => (IReadOnlyList<string>)RenderMapsCore(model, request), longRunning: true,
            CancellationToken.None);
    }

    private List<string> RenderMapsCore(LoadedModel model, MapRequest request)
    {
        var paths = new List<string>();
        var fine = new RegularGrid(-90, 90, -180, 180, request.ResolutionDegrees);
        var (fineLats, fineLons) = fine.Points();
        var superResolved = model.Evaluate(fineLats, fineLons, request.TimeUtc);
        var variableCount = model.VariableCount;

        for (var v = 0; v < variableCount; v++)
        {
            var variable = model.Descriptor.Variables[v];
            var field = GriddedFieldStore.Read(variable.StoragePath);
            var t = NearestTime(field.TimesUtc, request.TimeUtc);
            var cells = field.LatitudesDegrees.Length * field.LongitudesDegrees.Length;
            var original = field.Values.AsSpan(t * cells, cells).ToArray();

            var gridLats = new double[cells];
            var gridLons = new double[cells];
            for (var c = 0; c < cells; c++)
            {
                gridLats[c] = field.LatitudesDegrees[c / field.LongitudesDegrees.Length];
                gridLons[c] = field.LongitudesDegrees[c % field.LongitudesDegrees.Length];
            }

            var reconstruction = Column(model.Evaluate(gridLats, gridLons, field.TimesUtc[t]), variableCount, v);
            var stamp = field.TimesUtc[t].UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
            var resolution = request.ResolutionDegrees.ToString("0.###", CultureInfo.InvariantCulture);
            var path = Path.Combine(request.Folder,
                $"{DataFolder.SafeName(ModelId, "model id")}.{DataFolder.FileNameFor(variable.Name)}.png");
            FieldMapRenderer.Render(path, $"{variable.Name} ({variable.Quantity}) at {stamp}, model {ModelId}",
                variable.Units,
                [
                    new MapPanel($"original {field.LatitudesDegrees.Length}x{field.LongitudesDegrees.Length} grid",
                        field.LatitudesDegrees, field.LongitudesDegrees, original),
                    new MapPanel("GINR on the original grid", field.LatitudesDegrees, field.LongitudesDegrees,
                        reconstruction),
                    new MapPanel($"GINR super-resolved to {resolution} deg", fine.Latitudes, fine.Longitudes,
                        Column(superResolved, variableCount, v)),
                ]);
            paths.Add(path);
        }

        return paths;
    }

    private static float[] Column(float[] values, int variableCount, int v)
    {
        var column = new float[values.Length / variableCount];
        for (var p = 0; p < column.Length; p++)
        {
            column[p] = values[p * variableCount + v];
        }

        return column;
    }

    private static int NearestTime(DateTimeOffset[] times, DateTimeOffset time) =>
        Enumerable.Range(0, times.Length).MinBy(i => Math.Abs((times[i] - time).Ticks));

    /// <summary>
    /// Runs <paramref name="work"/> on the thread pool with the current network, kept alive meanwhile.
    /// </summary>
    /// <remarks>
    /// Work longer than one chunk of points gets a thread of its own (<see cref="TaskCreationOptions.LongRunning"/>):
    /// on a 2-core machine an export holding a pool thread for seconds left a point query waiting about a second for
    /// the pool to add a thread.
    /// </remarks>
    private async Task<T> Read<T>(Func<LoadedModel, T> work, bool longRunning, CancellationToken cancellationToken)
    {
        var model = await Load();
        readers[model] = readers.GetValueOrDefault(model) + 1;
        try
        {
            return longRunning
                ? await Task.Factory.StartNew(() => work(model), cancellationToken, TaskCreationOptions.LongRunning,
                    TaskScheduler.Default)
                : await Task.Run(() => work(model), cancellationToken);
        }
        finally
        {
            // Back in a grain turn: a network that Register or deactivation retired meanwhile goes with its
            // last reader.
            if (--readers[model] == 0)
            {
                readers.Remove(model);
                if (!IsCurrent(model))
                {
                    model.Dispose();
                }
            }
        }
    }

    private async Task<LoadedModel> Load()
    {
        // A network still loading is waited for: its files were stamped when its load began.
        if (loading is { IsCompleted: true } && loadingFiles is { } files && files.Changed())
        {
            LogModelFilesChanged(logger, ModelId, files.DescriptorPath);
            RetireCurrent();
        }

        var load = loading ??= LoadFresh();
        try
        {
            return await load;
        }
        catch (Exception e)
        {
            // A failed load (an unknown id, a missing checkpoint) is not kept: the next call tries again.
            if (ReferenceEquals(loading, load))
            {
                loading = null;
                loadingFiles = null;
            }

            if (e is ModelUnavailableException unavailable)
            {
                Report(unavailable);
            }

            throw;
        }
    }

    private async Task<LoadedModel> LoadFresh()
    {
        var descriptorPath = dataFolder.ModelDescriptor(ModelId);
        var descriptor = ReadDescriptor();

        // Stamped after the descriptor is read and before the rest is: a descriptor rewritten meanwhile changes
        // its stamp after this one, and is loaded by the next read.
        loadingFiles = ModelFiles.Stamp(descriptorPath, descriptor);
        var model = await Task.Run(() => ModelFiles.Load(descriptor, library));
        reportedProblems.Clear();
        LogModelLoaded(logger, ModelId, descriptor.CheckpointPath);
        return model;
    }

    /// <summary>Logs a storage problem the first time this activation meets it (since its last good load).</summary>
    private void Report(ModelUnavailableException problem)
    {
        if (reportedProblems.Add(problem.Message))
        {
            LogModelUnavailable(logger, problem.Message);
        }
    }

    private bool IsCurrent(LoadedModel model) =>
        loading is { IsCompletedSuccessfully: true } current && ReferenceEquals(current.Result, model);

    /// <summary>
    /// The next read loads afresh; the current network goes now if no one reads it, else with its last reader.
    /// </summary>
    private void RetireCurrent()
    {
        var current = loading is { IsCompletedSuccessfully: true } done ? done.Result : null;
        loading = null;
        loadingFiles = null;
        if (current is not null && !readers.ContainsKey(current))
        {
            current.Dispose();
        }
    }

    /// <summary>
    /// The descriptor, its paths read in this data folder even when it was copied or moved (a copy served the
    /// original's files, and failed once they were gone; see <see cref="DataFolder.Resolve"/>).
    /// </summary>
    private ModelDescriptor ReadDescriptor()
    {
        var descriptor = ModelDescriptorFile.Read(dataFolder.ModelDescriptor(ModelId), ModelId);
        return descriptor with
        {
            CheckpointPath = dataFolder.Resolve(descriptor.CheckpointPath),
            CoveragePath = descriptor.CoveragePath is { } coverage ? dataFolder.Resolve(coverage) : null,
            Variables = descriptor.Variables.Select(v => v with { StoragePath = dataFolder.Resolve(v.StoragePath) })
                .ToList(),
        };
    }

    private static void CheckCoordinates(double latitudeDegrees, double longitudeDegrees)
    {
        if (!(latitudeDegrees >= -90 && latitudeDegrees <= 90))
        {
            throw new ArgumentOutOfRangeException(nameof(latitudeDegrees), latitudeDegrees,
                "latitude must be between -90 and 90 degrees");
        }

        if (!double.IsFinite(longitudeDegrees))
        {
            throw new ArgumentOutOfRangeException(nameof(longitudeDegrees), longitudeDegrees,
                "longitude must be a finite number of degrees");
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        RetireCurrent();
        return Task.CompletedTask;
    }
}
