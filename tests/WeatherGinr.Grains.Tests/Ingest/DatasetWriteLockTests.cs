using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Ingest;
using WeatherGinr.Grains.Storage;
using WeatherGinr.Grains.Tests.Cluster;

namespace WeatherGinr.Grains.Tests.Ingest;

/// <summary>
/// One writer per dataset across processes. The other process is util-linux's <c>flock</c> holding the dataset's
/// lock file with the same kernel lock (flock(2)) that .NET takes for FileShare.None.
/// </summary>
[Collection(WeatherGinrClusterCollection.Name)]
public sealed class DatasetWriteLockTests(WeatherGinrClusterFixture fixture) : IDisposable
{
    private readonly DropFolder drop = new();
    private readonly string folder = Directory.CreateTempSubdirectory("wginr-lock-").FullName;

    public void Dispose()
    {
        drop.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void ASecondWriterWaitsThenIsToldWhoIsBusyAndGetsTheLockOnceItIsFree()
    {
        var holder = DatasetWriteLock.Acquire(folder, "d", TimeSpan.Zero);
        var clock = Stopwatch.StartNew();

        var busy = Assert.Throws<IOException>(
            () => DatasetWriteLock.Acquire(folder, "d", TimeSpan.FromMilliseconds(300)));

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(10));
        var lockFile = Path.Combine(folder, ".write.lock");
        Assert.Equal($"dataset 'd' is being written by another process (it holds {lockFile}) " +
            "and was still busy after 0.3 s; nothing was changed, run the ingest again once that one has finished",
            busy.Message);
        holder.Dispose();
        DatasetWriteLock.Acquire(folder, "d", TimeSpan.Zero).Dispose();
    }

    [Fact]
    public async Task AWriterKilledWhileHoldingTheLockFreesIt()
    {
        using var other = await HoldLock(folder, TimeSpan.FromMinutes(5));
        Assert.Throws<IOException>(() => DatasetWriteLock.Acquire(folder, "d", TimeSpan.Zero));

        other.Kill(entireProcessTree: true); // SIGKILL: no clean-up of its own
        await other.WaitForExitAsync();

        DatasetWriteLock.Acquire(folder, "d", TimeSpan.FromSeconds(5)).Dispose();
    }

    [Fact]
    public async Task AnIngestWaitsForAnotherProcessWritingTheDatasetThenCommits()
    {
        var dataset = "locked-" + Guid.NewGuid().ToString("N")[..12];
        var datasetFolder = new DataFolder(fixture.DataRoot).Dataset(dataset);
        drop.Add("uas_rectilinear_grid_2D.nc");
        using var other = await HoldLock(datasetFolder, TimeSpan.FromSeconds(2));
        var clock = Stopwatch.StartNew();

        var report = await Scan(dataset);

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1),
            $"the ingest finished after {clock.Elapsed.TotalSeconds:F2} s");
        Assert.Equal((IngestOutcome.Succeeded, 1, 1), (report.Outcome, report.Added.Count, report.DatasetVersion));
    }

    [Fact]
    public void TheWaitIsToldOnceBeforeItStarts()
    {
        using var holder = DatasetWriteLock.Acquire(folder, "d", TimeSpan.Zero);
        var told = 0;

        Assert.Throws<IOException>(
            () => DatasetWriteLock.Acquire(folder, "d", TimeSpan.FromMilliseconds(350), () => told++));

        Assert.Equal(1, told);
    }

    [Fact]
    public async Task AFileThatAnotherScanTookWhileThisOneWaitedIsNeitherRejectedNorMoved()
    {
        // Another scan of the same drop folder holds the dataset and, meanwhile, takes the file (here: deletes it).
        var dataset = "taken-" + Guid.NewGuid().ToString("N")[..12];
        var datasetFolder = new DataFolder(fixture.DataRoot).Dataset(dataset);
        drop.Add("uas_rectilinear_grid_2D.nc");
        using var other = await HoldLock(datasetFolder, TimeSpan.FromSeconds(2));

        var scan = Scan(dataset);
        await Task.Delay(500);
        File.Delete(Path.Combine(drop.Folder, "uas_rectilinear_grid_2D.nc"));
        var report = await scan;

        Assert.Equal((IngestOutcome.Succeeded, 0, 0, 0),
            (report.Outcome, report.Added.Count, report.Unchanged.Count, report.Rejected.Count));
        Assert.False(Directory.Exists(drop.RejectedFolder)
            && Directory.EnumerateFileSystemEntries(drop.RejectedFolder).Any());
    }

    [Fact]
    public async Task AnIngestThatCannotGetTheLockChangesNothingAndSaysWhy()
    {
        var dataset = "busy-" + Guid.NewGuid().ToString("N")[..12];
        var datasetFolder = new DataFolder(fixture.DataRoot).Dataset(dataset);
        drop.Add("uas_rectilinear_grid_2D.nc");
        using var other = await HoldLock(datasetFolder, TimeSpan.FromMinutes(5));
        var wait = DatasetGrain.WriteLockWait;
        DatasetGrain.WriteLockWait = TimeSpan.FromMilliseconds(500);
        IngestScanReport report;
        try
        {
            report = await Scan(dataset);
        }
        finally
        {
            DatasetGrain.WriteLockWait = wait;
            other.Kill(entireProcessTree: true);
        }

        Assert.Equal(IngestOutcome.Failed, report.Outcome);
        Assert.Contains($"dataset '{dataset}' is being written by another process", report.Error,
            StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(datasetFolder, "manifest.json")));
        Assert.Empty(Directory.Exists(Path.Combine(datasetFolder, "sources"))
            ? Directory.GetFiles(Path.Combine(datasetFolder, "sources")) : []);
        Assert.True(File.Exists(Path.Combine(drop.Folder, "uas_rectilinear_grid_2D.nc")),
            "the file waits for the next scan");
    }

    /// <summary>
    /// Starts <c>flock</c> holding the lock of <paramref name="datasetFolder"/>; returns once it holds it.
    /// </summary>
    private static async Task<Process> HoldLock(string datasetFolder, TimeSpan duration)
    {
        Directory.CreateDirectory(datasetFolder);
        var start = new ProcessStartInfo("flock")
        {
            ArgumentList =
            {
                Path.Combine(datasetFolder, DatasetWriteLock.FileName), "-c",
                $"echo held; exec sleep {duration.TotalSeconds:0}",
            },
            RedirectStandardOutput = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("flock did not start");
        Assert.Equal("held", await process.StandardOutput.ReadLineAsync());
        return process;
    }

    private Task<IngestScanReport> Scan(string dataset) =>
        IngestScan.RunAsync(new DropFolderSource(drop.Folder), fixture.Grains, dataset,
            Path.Combine(fixture.DataRoot, "staging"), NullLogger.Instance);
}
