using System.Text.Json;
using WeatherGinr.Cli.Commands;
using WeatherGinr.Grains.Abstractions;

namespace WeatherGinr.Cli.Tests.Commands;

/// <summary>
/// <c>weatherginr ingest --once</c> run as a child process with its own embedded silo, as a Kubernetes
/// CronJob runs it: the exit codes 0, 3, 1 and 2, the JSON report, and the rejected folder.
/// </summary>
public sealed class IngestCommandTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("wginr-ingest-cli-").FullName;

    private string Drop => Path.Combine(root, "drop");

    private string Data => Path.Combine(root, "data");

    public IngestCommandTests() => Directory.CreateDirectory(Drop);

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void APartialScanExitsThreeAndTheNextScanOfTheSameFolderExitsZeroChangingNothing()
    {
        File.Copy(RepositoryPaths.Sample("tas_rectilinear_grid_2D.nc"), Path.Combine(Drop, "tas.nc"));
        File.WriteAllText(Path.Combine(Drop, "broken.nc"), "CDF\u0001 but not really");

        var first = Ingest("cmip", "--json");

        Assert.True(first.ExitCode == IngestCommand.ExitPartial, first.StandardError);
        var report = Report(first);
        Assert.Equal(IngestOutcome.Partial, report.Outcome);
        Assert.Equal(["tas"], report.Added.Single().Variables);
        Assert.Equal(1, report.DatasetVersion);
        var rejected = Assert.Single(report.Rejected);
        Assert.Equal(Path.Combine(Drop, "broken.nc"), rejected.Path);
        Assert.Equal(Path.Combine(Drop, "rejected", "broken.nc"), rejected.MovedTo);
        Assert.Equal(rejected.Reason, File.ReadLines(rejected.MovedTo + ".reason.txt").First());
        Assert.Contains($"rejected '{rejected.Path}'", first.StandardError, StringComparison.Ordinal);
        var rejectedLine = Assert.Single(first.StandardError.Split('\n'), l => l.Contains("rejected '"));
        Assert.Equal(1, Occurrences(rejectedLine, rejected.Path));

        var manifest = Path.Combine(Data, "datasets", "cmip", "manifest.json");
        var manifestBytes = File.ReadAllBytes(manifest);
        var second = Ingest("cmip", "--json");

        Assert.True(second.ExitCode == 0, second.StandardError);
        var again = Report(second);
        Assert.Equal(
            (0, 1, 0, 1),
            (again.Added.Count, again.Unchanged.Count, again.Rejected.Count, again.DatasetVersion));
        Assert.Equal(manifestBytes, File.ReadAllBytes(manifest));
    }

    [Fact]
    public void NothingIngestableExitsOneAndAMissingSourceExitsOneNamingIt()
    {
        File.WriteAllText(Path.Combine(Drop, "notes.txt"), "not NetCDF");

        var onlyBad = Ingest("bad-only");
        var missing = CliProcess.Run(["ingest", "--source", Path.Combine(root, "nowhere"), "--dataset", "x", "--once",
            "--data", Data]);

        Assert.Equal(1, onlyBad.ExitCode);
        Assert.Contains("failed: 0 added, 0 unchanged, 1 rejected", onlyBad.StandardOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Drop, "rejected", "notes.txt.reason.txt")));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains($"'{Path.Combine(root, "nowhere")}' cannot be read", missing.StandardError,
            StringComparison.Ordinal);
    }

    [Fact]
    public void NewlinesInFileNamesAreEscapedInTheHumanSummaryAndTheRejectedLine()
    {
        File.Copy(RepositoryPaths.Sample("tas_rectilinear_grid_2D.nc"), Path.Combine(Drop, "tas\nadded.nc"));
        File.WriteAllText(Path.Combine(Drop, "broken\nrejected.nc"), "not NetCDF");

        var result = Ingest("cmip");

        Assert.True(result.ExitCode == IngestCommand.ExitPartial, result.StandardError);
        Assert.Equal(
            [
                $"{Drop} -> dataset 'cmip' (version 1)",
                $"  added      {Drop}/tas\\nadded.nc: tas",
                $"  rejected   {Drop}/broken\\nrejected.nc -> {Drop}/rejected/broken\\nrejected.nc",
                "partial: 1 added, 0 unchanged, 1 rejected",
            ],
            result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var rejected = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"weatherginr: rejected '{Drop}/broken\\nrejected.nc': cannot open: NetCDF: Unknown file format",
            rejected);
    }

    [Theory]
    [InlineData("--source", "DROP", "--dataset", "a/b", "--once")]
    [InlineData("--source", "DROP", "--dataset", "cmip")]
    [InlineData("--source", "s3://bucket/prefix", "--dataset", "cmip", "--once")]
    [InlineData("--dataset", "cmip", "--once")]
    [InlineData("--source", "DROP", "--dataset", "cmip", "--once", "--bogus")]
    public void BadArgumentsExitTwoWithOneLine(params string[] arguments)
    {
        var result = CliProcess.Run(["ingest", .. arguments.Select(a => a == "DROP" ? Drop : a), "--data", Data]);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("weatherginr: error: ", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Data), "nothing was started or written");
    }

    [Fact]
    public void AFileAsSourceIsAUsageErrorThatSaysSourceMustBeAFolder()
    {
        var file = Path.Combine(Drop, "tas.nc");
        File.Copy(RepositoryPaths.Sample("tas_rectilinear_grid_2D.nc"), file);

        var result = CliProcess.Run(["ingest", "--source", file, "--dataset", "cmip", "--once", "--data", Data]);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"weatherginr: error: --source must be a folder, but '{file}' is a file; pass the drop folder " +
            "that holds the NetCDF files", line);
        Assert.False(Directory.Exists(Data), "nothing was started or written");
    }

    [Theory]
    [InlineData("datasets/cmip", "datasets")]
    [InlineData("models", "models")]
    [InlineData("runs/demo-cmip/tas", "runs")]
    public void ADropFolderAmongTheProductsOwnFilesIsRefusedAndNothingMoves(string under, string own)
    {
        // The product's own files where a scan would look: one that is not NetCDF would be moved to rejected/.
        var source = Path.Combine(Data, under);
        Directory.CreateDirectory(source);
        var kept = Path.Combine(source, "manifest.json");
        File.WriteAllText(kept, "{}");

        var result = CliProcess.Run(["ingest", "--source", source, "--dataset", "cmip", "--once", "--data", Data]);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"weatherginr: error: --source '{source}' lies in '{Path.Combine(Data, own)}', which holds " +
            "the product's own files", line, StringComparison.Ordinal);
        Assert.Equal(["manifest.json"], Directory.GetFileSystemEntries(source).Select(Path.GetFileName));
    }

    [Fact]
    public void TheSampleFolderUnderTheDataFolderIsAnOrdinaryDropFolder()
    {
        var source = Path.Combine(Data, "sources", "debian");
        Directory.CreateDirectory(source);
        File.Copy(RepositoryPaths.Sample("tas_rectilinear_grid_2D.nc"), Path.Combine(source, "tas.nc"));

        var result = CliProcess.Run(["ingest", "--source", source, "--dataset", "cmip", "--once", "--data", Data]);

        Assert.True(result.ExitCode == 0, result.StandardError);
    }

    [Theory]
    [InlineData("'/d/x.nc': cannot open: NetCDF: Unknown file format", "cannot open: NetCDF: Unknown file format")]
    [InlineData("variable 'tas' in '/d/x.nc': has units 'furlongs'", "variable 'tas': has units 'furlongs'")]
    [InlineData("file '/d/x.nc' does not exist", "file does not exist")]
    [InlineData("variable 'tas' in '/d/x.nc': has 24 of 24 valid values outside the physically plausible range",
        "variable 'tas': has 24 of 24 valid values outside the physically plausible range")]
    [InlineData("overlaps '/d/y.nc' in time", "overlaps '/d/y.nc' in time")]
    public void TheReasonOnARejectedLineDropsThePathTheLineNamesAlready(string reason, string expected) =>
        Assert.Equal(expected, IngestCommand.ReasonAlone(new RejectedFile("/d/x.nc", reason, null)));

    private static int Occurrences(string text, string part) =>
        (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private CliProcess.Result Ingest(string dataset, params string[] extra) =>
        CliProcess.Run(["ingest", "--source", Drop, "--dataset", dataset, "--once", "--data", Data, .. extra]);

    private static IngestScanReport Report(CliProcess.Result result) =>
        JsonSerializer.Deserialize<IngestScanReport>(result.StandardOutput, CommonOptions.Json)!;
}
