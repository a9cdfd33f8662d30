using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ParquetSharp;
using WeatherGinr.Cli.Demo;
using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Host;

namespace WeatherGinr.Cli.Tests.Demo;

/// <summary>
/// The demo end to end at a reduced size (icosphere level 3, 16 columns, a short training) on the real
/// CMIP5 temperature and wind files, through the embedded silo and the real HTTP server.
/// </summary>
public sealed class DemoPipelineTests : IAsyncLifetime
{
    private static readonly TrainingSettings SmallTraining = new(
        Layers: 4, Width: 64, Activation: "Sine", LearningRate: 1e-3, BatchSize: 1024, MaxSteps: 300,
        TimeBudgetSeconds: 60, Seed: 1);

    private readonly string dataRoot = Directory.CreateTempSubdirectory("wginr-demo-").FullName;
    private WebApplication? app;

    private static string[] Inputs =>
    [
        RepositoryPaths.Sample("tas_rectilinear_grid_2D.nc"),
        RepositoryPaths.Sample("uas_rectilinear_grid_2D.nc"),
        RepositoryPaths.Sample("vas_rectilinear_grid_2D.nc"),
    ];

    private DemoOptions Options(params string[] inputs) => new()
    {
        DataRoot = dataRoot,
        InputFiles = inputs,
        MeshLevel = 3,
        EmbeddingColumns = 16,
        Training = SmallTraining,
        ExportResolutionDegrees = 5,
        MapResolutionDegrees = 5,
    };

    public async Task InitializeAsync()
    {
        app = WeatherGinrHost.Build(new WeatherGinrHostOptions { DataRoot = dataRoot, HttpUrl = "http://127.0.0.1:0" });
        await app.StartAsync();
    }

    [Fact]
    public async Task RunsEveryStageAndASecondRunReusesWhatIsStored()
    {
        var grains = app!.Services.GetRequiredService<IGrainFactory>();
        var address = WeatherGinrHost.ListeningAddress(app);

        var first = await DemoPipeline.RunAsync(grains, Options(Inputs), new SilentObserver(), address);

        // Ingest: three files, three variables in canonical units.
        var ingest = Assert.Single(first.Datasets);
        Assert.Equal(3, ingest.Added);
        Assert.Equal(["tas", "uas", "vas"], ingest.Variables.Order());
        Assert.False(first.Embedding.FromCache);
        Assert.Equal(642, first.Embedding.NodeCount); // 10 * 4^3 + 2

        // One job: the three variables share the 2005 monthly time axis.
        var model = Assert.Single(first.Models);
        var tas = model.Metrics.Single(m => m.Variable == "tas");
        Assert.Equal("K", tas.Units);
        Assert.True(tas.TrainingNodes.RSquared > 0.9, $"tas training R^2 {tas.TrainingNodes.RSquared}");
        Assert.InRange(tas.TrainingNodes.Rmse, 0, 10);
        Assert.True(tas.HeldOutGridPoints.Count > 1000, "10 % of 192 x 96 cells over 12 months are scored");
        Assert.Equal(tas.HeldOutGridPoints.Count, tas.BaselineHeldOutGridPoints.Count);
        Assert.True(tas.BaselineHeldOutGridPoints.RSquared > 0.9, "linear interpolation of a smooth field is good");

        // Held-out months: by default round(10 / 6) = 2 interior months, scored at the training nodes beside
        // linear interpolation in time; they are not training steps.
        Assert.Equal([4, 9], tas.HeldOutTimesUtc!.Select(t => t.Month)); // steps 3 and 8 of 0..11
        Assert.InRange(tas.HeldOutTimeSteps!.Count, 2 * 600, 2 * 642);
        Assert.Equal(tas.HeldOutTimeSteps.Count, tas.BaselineHeldOutTimeSteps!.Count);
        Assert.Equal(5 * tas.HeldOutTimeSteps.Count, tas.TrainingNodes.Count); // 10 training months
        Assert.True(tas.BaselineHeldOutTimeSteps.RSquared > 0.9, "monthly temperature is smooth in time");
        Assert.True(double.IsFinite(tas.HeldOutTimeSteps.RSquared));

        // Parquet: an observed time and one between steps, every row a plausible surface temperature.
        Assert.Equal(2, model.Exports.Count);
        Assert.Contains(model.Exports, e => !e.ObservedTime);
        foreach (var export in model.Exports)
        {
            using var reader = new ParquetFileReader(export.Path);
            Assert.Equal(36 * 72, reader.FileMetaData.NumRows);
            Assert.Equal("K", reader.FileMetaData.KeyValueMetadata["units.tas"]);
            Assert.Equal("false", reader.FileMetaData.KeyValueMetadata["weatherginr.extrapolated"]);
            Assert.StartsWith("2005-01-", reader.FileMetaData.KeyValueMetadata["weatherginr.first_time_utc"],
                StringComparison.Ordinal);
            using var group = reader.RowGroup(0);
            var column = Enumerable.Range(0, group.MetaData.NumColumns)
                .Single(c => group.MetaData.Schema.Column(c).Name == "tas");
            var values = group.Column(column).LogicalReader<float>().ReadAll((int)group.MetaData.NumRows);
            Assert.All(values, v => Assert.InRange(v, 180f, 340f));
        }

        // Maps: one PNG per variable.
        Assert.Equal(3, model.Maps.Count);
        Assert.All(model.Maps, m => Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(m)[..4]));

        // HTTP: London in mid-January 2005 is between 250 and 300 K.
        Assert.NotNull(first.Query);
        Assert.Equal(200, first.Query!.StatusCode);
        var answer = JsonDocument.Parse(first.Query.Response).RootElement;
        Assert.InRange(answer.GetProperty("values").GetProperty("tas").GetDouble(), 250, 300);

        // Reads on one model interleave: a point query answers while a large export of the same model (two global
        // 0.2-degree grids, 3.2 M points, millions of times the query's work) is still running, instead of
        // queueing behind it. Judged by the order of finishing on one clock: serialised, the query would finish
        // after the export.
        var served = grains.GetGrain<IModelGrain>(model.ModelId);
        var months = Enumerable.Range(0, 2).Select(m => new DateTimeOffset(2005, m + 2, 16, 0, 0, 0, TimeSpan.Zero))
            .ToArray();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var largeExport = served.ExportGrid(new GridExportRequest(-90, 90, -180, 180, 0.2, months,
            Path.Combine(dataRoot, "large.parquet")));
        await Task.Delay(50); // let the export start first
        var point = await served.Query(
            [new PointQuery(51.5, -0.13, new DateTimeOffset(2005, 1, 16, 12, 0, 0, TimeSpan.Zero))]);
        var queryDone = clock.Elapsed;
        var exported = await largeExport;
        var exportDone = clock.Elapsed;
        Assert.True(queryDone < exportDone / 2,
            $"the point query finished at {queryDone.TotalSeconds:F2} s, the export at {exportDone.TotalSeconds:F2} s");
        Assert.InRange(point[0].Values[0], 250, 300);
        Assert.True(exported.Rows > 2 * 1_000_000);

        // A global model answers at the poles too: its Gaussian grid's last rows (88.57) reach them.
        var poles = await served.Query([new PointQuery(90, 0, months[0]), new PointQuery(-90, 123, months[0])]);
        Assert.All(poles, p => Assert.InRange(p.Values[0], 180, 300));

        // A caller that gives up cancels the work: the same export, abandoned as soon as its temporary file
        // appears, stops at its next chunk of points and leaves no file. Ignored, it would have renamed its file
        // into place within the time the full export took, so after one and a half times that there must be
        // nothing.
        var abandoned = Path.Combine(dataRoot, "abandoned.parquet");
        using (var giveUp = new CancellationTokenSource())
        {
            var export = served.ExportGrid(
                new GridExportRequest(-90, 90, -180, 180, 0.2, months, abandoned), giveUp.Token);
            var waiting = System.Diagnostics.Stopwatch.StartNew();
            while (!export.IsCompleted && !File.Exists(abandoned + ".tmp")
                   && waiting.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(5);
            }

            await giveUp.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => export);
        }

        await Task.Delay(exportDone * 1.5);
        Assert.False(File.Exists(abandoned), "the abandoned export ran to the end");
        Assert.False(File.Exists(abandoned + ".tmp"), "the abandoned export left its temporary file");

        // The same over HTTP: a client that disconnects from a large grid request stops the export on the server.
        // The handler deletes its file after answering, so the sign is time: half an export's length after the
        // client left, an export still running would still hold its temporary file.
        var httpExports = Path.Combine(dataRoot, "exports", "http");
        Directory.CreateDirectory(httpExports);
        using (var client = new HttpClient { BaseAddress = address })
        using (var giveUp = new CancellationTokenSource())
        using (var watcher = new FileSystemWatcher(httpExports, "*.tmp"))
        {
            // The watcher reports the temporary file from its own thread, so a busy thread pool on two cores cannot
            // make this side miss a short export's file (a 5 ms polling loop once did).
            var begun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            watcher.Created += (_, _) => begun.TrySetResult();
            watcher.EnableRaisingEvents = true;
            var request = client.GetAsync(
                $"/v1/models/{model.ModelId}/grid?time=2005-03-16T00:00:00Z&south=-90&north=90&west=-180&east=180"
                + "&resolution=0.13&format=parquet", giveUp.Token);

            // Give up once the server has begun writing (its temporary file exists).
            await Task.WhenAny(request, begun.Task, Task.Delay(TimeSpan.FromSeconds(60)));

            if (request.IsCompleted)
            {
                using var answered = await request;
                Assert.Fail($"the grid request answered before its export began: {(int)answered.StatusCode} "
                    + await answered.Content.ReadAsStringAsync());
            }

            await giveUp.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        }

        await Task.Delay(exportDone / 2);
        Assert.Empty(Directory.Exists(httpExports) ? Directory.GetFiles(httpExports) : []);

        // A window across the antimeridian (east below west) answers the same values as its two halves, with the
        // longitudes in the bounds' own convention.
        using (var client = new HttpClient { BaseAddress = address })
        {
            async Task<(double[] Longitudes, double[] Values)> Grid(string west, string east)
            {
                var json = await client.GetStringAsync($"/v1/models/{model.ModelId}/grid?time=2005-03-16T00:00:00Z"
                    + $"&south=-10&north=10&west={west}&east={east}&resolution=5");
                var root = JsonDocument.Parse(json).RootElement;
                var tas = root.GetProperty("variables").EnumerateArray()
                    .Single(v => v.GetProperty("name").GetString() == "tas");
                return (root.GetProperty("longitudes").EnumerateArray().Select(l => l.GetDouble()).ToArray(),
                    tas.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray());
            }

            var across = await Grid("170", "-170");
            var westHalf = await Grid("170", "180");
            var eastHalf = await Grid("-180", "-170");
            Assert.Equal([172.5, 177.5, -177.5, -172.5], across.Longitudes);
            for (var row = 0; row < 4; row++)
            {
                Assert.Equal(westHalf.Values.Skip(2 * row).Take(2).Concat(eastHalf.Values.Skip(2 * row).Take(2)),
                    across.Values.Skip(4 * row).Take(4));
            }

            Assert.All(across.Values, v => Assert.InRange(v, 250, 320)); // the tropical Pacific in March

            // A Parquet answer says what a JSON answer's "extrapolated" says: in a header and in the file.
            foreach (var (time, extrapolated) in new[] { ("2005-03-16", "false"), ("1990-03-16", "true") })
            {
                using var parquet = await client.GetAsync($"/v1/models/{model.ModelId}/grid?time={time}"
                    + "&south=-10&north=10&west=0&east=10&resolution=5&format=parquet");
                Assert.Equal(extrapolated, Assert.Single(parquet.Headers.GetValues("WeatherGinr-Extrapolated")));
                var file = Path.Combine(dataRoot, $"answer-{time}.parquet");
                await File.WriteAllBytesAsync(file, await parquet.Content.ReadAsByteArrayAsync());
                using var reader = new ParquetFileReader(file);
                Assert.Equal(extrapolated, reader.FileMetaData.KeyValueMetadata["weatherginr.extrapolated"]);
            }
        }

        // A second run: same files (same hashes) change nothing, and the embedding comes from the cache.
        var second = await DemoPipeline.RunAsync(grains, Options(Inputs) with { RunPrefix = "again" },
            new SilentObserver());
        Assert.Equal(0, second.Datasets[0].Added);
        Assert.Equal(3, second.Datasets[0].Unchanged);
        Assert.True(second.Embedding.FromCache);
    }

    [Fact]
    public async Task ANonNetCdfFileIsNamedAndNothingStoredIsTouched()
    {
        var grains = app!.Services.GetRequiredService<IGrainFactory>();
        await DemoPipeline.RunAsync(grains, Options(Inputs[0]) with { RunPrefix = "base" }, new SilentObserver());
        var before = Snapshot(dataRoot);

        var bogus = Path.Combine(Path.GetTempPath(), $"not-netcdf-{Guid.NewGuid():N}.nc");
        await File.WriteAllTextAsync(bogus, "this is plain text, not NetCDF\n");
        try
        {
            var error = await Assert.ThrowsAsync<DemoInputException>(() =>
                DemoPipeline.RunAsync(grains, Options(bogus), new SilentObserver()));
            Assert.Contains(bogus, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(bogus);
        }

        var after = Snapshot(dataRoot);
        foreach (var (path, hash) in before)
        {
            Assert.True(after.TryGetValue(path, out var now) && now == hash, $"{path} was changed or removed");
        }
    }

    private static Dictionary<string, string> Snapshot(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(p => p, p => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p))));

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        Directory.Delete(dataRoot, recursive: true);
    }

    private sealed class SilentObserver : IDemoObserver
    {
        public void Stage(string title)
        {
        }

        public void Note(string text)
        {
        }

        public void Training(TrainingRunStatus status)
        {
        }
    }
}
