using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Ingest;
using WeatherGinr.Grains.Storage;
using WeatherGinr.Grains.Tests.Cluster;
using WeatherGinr.Ingest;

namespace WeatherGinr.Grains.Tests.Ingest;

/// <summary>
/// Scans of real files (CMIP5 tas/uas, one 96x192 grid; the NCEP file, a 94x192 grid) through the
/// dataset grain on the two-silo test cluster: idempotence, a bad file in a batch, and a commit that
/// fails half-way.
/// </summary>
[Collection(WeatherGinrClusterCollection.Name)]
public sealed class DatasetIngestionTests(WeatherGinrClusterFixture fixture) : IDisposable
{
    private readonly DropFolder drop = new();

    public void Dispose() => drop.Dispose();

    [Fact]
    public async Task TheSameFileTwiceChangesNothing()
    {
        var dataset = NewDataset();
        drop.Add("uas_rectilinear_grid_2D.nc");

        var first = await Scan(dataset);
        var manifest = await File.ReadAllBytesAsync(ManifestPath(dataset));
        var second = await Scan(dataset);

        Assert.Equal((IngestOutcome.Succeeded, 1, 1), (first.Outcome, first.Added.Count, first.DatasetVersion));
        Assert.Equal((IngestOutcome.Succeeded, 0, 1, 1),
            (second.Outcome, second.Added.Count, second.Unchanged.Count, second.DatasetVersion));
        Assert.Equal(first.Added[0].Sha256, second.Unchanged[0].Sha256);
        Assert.Equal(manifest, await File.ReadAllBytesAsync(ManifestPath(dataset)));
        Assert.Single(Directory.GetDirectories(Path.Combine(DatasetFolder(dataset), "versions")));
        Assert.True(File.Exists(Path.Combine(drop.Folder, "uas_rectilinear_grid_2D.nc")), "ingested files stay");
    }

    [Fact]
    public async Task ABadFileInABatchIsMovedAsideWithItsReasonAndTheOthersAreIngested()
    {
        var dataset = NewDataset();
        drop.Add("tas_rectilinear_grid_2D.nc");
        drop.Add("uas_rectilinear_grid_2D.nc");
        var truncated = File.ReadAllBytes(DropFolder.Sample("vas_rectilinear_grid_2D.nc"))[..50_000];
        drop.Write("truncated_vas.nc", truncated);
        drop.Add("ncep_flx_2006040100_u10_v10_t2m_tcc.nc", "z_other_grid.nc");

        var report = await Scan(dataset);

        Assert.Equal(IngestOutcome.Partial, report.Outcome);
        Assert.Equal(["tas", "uas"], report.Added.SelectMany(f => f.Variables).Order());
        Assert.Equal(["truncated_vas.nc", "z_other_grid.nc"], report.Rejected.Select(r => Path.GetFileName(r.Path)));

        // The truncated file: its own decoding error, naming it; the NCEP file: a grid conflict naming
        // both files as they were dropped (not the dataset's hash-named copies).
        var truncatedReason = report.Rejected[0].Reason;
        Assert.Contains(Path.Combine(drop.Folder, "truncated_vas.nc"), truncatedReason, StringComparison.Ordinal);
        Assert.Contains("looks truncated (not a complete netCDF file)", truncatedReason, StringComparison.Ordinal);
        var conflict = report.Rejected[1].Reason;
        Assert.Contains("does not combine with the dataset", conflict, StringComparison.Ordinal);
        Assert.Contains("94x192", conflict, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(drop.Folder, "z_other_grid.nc"), conflict, StringComparison.Ordinal);
        Assert.DoesNotContain("/sources/", conflict, StringComparison.Ordinal);

        // Both moved aside with their reasons; the good files stay and are in the dataset.
        foreach (var rejected in report.Rejected)
        {
            Assert.Equal(Path.Combine(drop.RejectedFolder, Path.GetFileName(rejected.Path)), rejected.MovedTo);
            Assert.False(File.Exists(rejected.Path));
            Assert.Equal(rejected.Reason, File.ReadLines(rejected.MovedTo + DropFolderSource.ReasonSuffix).First());
        }

        Assert.Equal(truncated, await File.ReadAllBytesAsync(report.Rejected[0].MovedTo!));
        var summary = await fixture.Grains.GetGrain<IDatasetGrain>(dataset).Describe();
        Assert.Equal(["tas", "uas"], summary.Variables.Select(v => v.Name).Order());
        Assert.Equal(1, summary.Version);

        // The next scan finds only the ingested files: nothing new, nothing refused.
        var again = await Scan(dataset);
        Assert.Equal((IngestOutcome.Succeeded, 0, 2, 0),
            (again.Outcome, again.Added.Count, again.Unchanged.Count, again.Rejected.Count));
    }

    [Fact]
    public async Task ALinkToAFileOutsideTheDropFolderIsRefusedAndItsTargetNotIngested()
    {
        var dataset = NewDataset();
        drop.Add("uas_rectilinear_grid_2D.nc");
        var outside = DropFolder.Sample("tas_rectilinear_grid_2D.nc");
        File.CreateSymbolicLink(Path.Combine(drop.Folder, "tas_link.nc"), outside);

        var report = await Scan(dataset);

        Assert.Equal(IngestOutcome.Partial, report.Outcome);
        Assert.Equal(["uas"], report.Added.SelectMany(f => f.Variables));
        var rejected = Assert.Single(report.Rejected);
        Assert.Equal(Path.Combine(drop.Folder, "tas_link.nc"), rejected.Path);
        Assert.Contains($"is a symbolic link to '{outside}'", rejected.Reason, StringComparison.Ordinal);
        Assert.Equal(Path.Combine(drop.RejectedFolder, "tas_link.nc"), rejected.MovedTo);
        Assert.Equal(outside, new FileInfo(rejected.MovedTo!).LinkTarget);
        Assert.True(File.Exists(outside));
        var summary = await fixture.Grains.GetGrain<IDatasetGrain>(dataset).Describe();
        Assert.Equal(["uas"], summary.Variables.Select(v => v.Name));
    }

    [Fact]
    public async Task ACommitThatFailsHalfWayLeavesThePreviousVersionWholeAndVisible()
    {
        var dataset = NewDataset();
        drop.Add("tas_rectilinear_grid_2D.nc");
        await Scan(dataset);
        var manifest = await File.ReadAllBytesAsync(ManifestPath(dataset));
        var before = await fixture.Grains.GetGrain<IDatasetGrain>(dataset).Describe();
        var tasStorage = Assert.Single(before.Variables).StoragePath;
        var tasBytes = SHA256.HashData(await File.ReadAllBytesAsync(tasStorage));

        // uas goes in next; the commit writes tas.field and uas.field into version 2, and the disk "fills"
        // right after the first of them.
        drop.Add("uas_rectilinear_grid_2D.nc");
        var written = new List<string>();
        IngestScanReport failed;
        using (DatasetCommitFaults.Inject(dataset, path =>
        {
            written.Add(path);
            throw new IOException("No space left on device (injected)");
        }))
        {
            failed = await Scan(dataset);
        }

        // The scan failed as a whole: nothing refused or moved, the new file waits for the next scan.
        Assert.Equal(IngestOutcome.Failed, failed.Outcome);
        Assert.Contains("could not commit version 2", failed.Error, StringComparison.Ordinal);
        Assert.Contains("No space left on device (injected)", failed.Error, StringComparison.Ordinal);
        Assert.Equal(1, failed.DatasetVersion);
        Assert.Empty(failed.Rejected);
        Assert.True(File.Exists(Path.Combine(drop.Folder, "uas_rectilinear_grid_2D.nc")));

        // Readers see version 1 exactly as it was, and nothing of version 2.
        Assert.Single(written);
        Assert.Equal(manifest, await File.ReadAllBytesAsync(ManifestPath(dataset)));
        Assert.Equal(tasBytes, SHA256.HashData(await File.ReadAllBytesAsync(tasStorage)));
        var after = await fixture.Grains.GetGrain<IDatasetGrain>(dataset).Describe();
        Assert.Equal((1, 1), (after.Version, after.Files.Count));
        Assert.False(Directory.Exists(Path.GetDirectoryName(written[0])), "the half-written version is removed");
        var tas = GriddedFieldStore.Read(tasStorage);
        var decoded = WeatherFieldReader.ReadWeatherFields([DropFolder.Sample("tas_rectilinear_grid_2D.nc")])[0];
        Assert.Equal(decoded.Values.ToArray(), tas.Values.ToArray());

        // A crash would leave the commit's folder under its temporary name: not a version, so it blocks nothing
        // (an ingest in a later process sweeps it). A numbered folder that no manifest names (an older manifest put
        // back) may hold a version: the next commit passes over it, leaving it as it is, and takes the next number.
        var leftover = Path.GetDirectoryName(written[0])!;
        Assert.Matches(@"^\.2\.[0-9a-f]{32}\.tmp$", Path.GetFileName(leftover));
        Directory.CreateDirectory(leftover);
        await File.WriteAllTextAsync(Path.Combine(leftover, "junk.field"), "left by a crash");
        var orphan = Path.Combine(DatasetFolder(dataset), "versions", "2");
        Directory.CreateDirectory(orphan);
        await File.WriteAllTextAsync(Path.Combine(orphan, "tas.field"), "a version no manifest names");
        var retried = await Scan(dataset);
        Assert.Equal((IngestOutcome.Succeeded, 3), (retried.Outcome, retried.DatasetVersion));
        Assert.Equal(["junk.field"], Directory.GetFiles(leftover).Select(Path.GetFileName));
        Assert.Equal("a version no manifest names", await File.ReadAllTextAsync(Path.Combine(orphan, "tas.field")));
        var third = Path.Combine(DatasetFolder(dataset), "versions", "3");
        Assert.Equal(["tas.field", "uas.field"], Directory.GetFiles(third).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task AFirstCommitKilledMidWayLeavesADatasetTheNextIngestCommitsAndSweeps()
    {
        // What a kill -9 during a dataset's first commit leaves: the commit's folder under its temporary name, a
        // source copy, no manifest. It made every later ingest refuse the dataset as one whose manifest was lost.
        var dataset = NewDataset();
        var staging = Path.Combine(DatasetFolder(dataset), "versions", $".1.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(staging);
        await File.WriteAllTextAsync(Path.Combine(staging, ".uas.field.tmp"), "");
        Directory.SetLastWriteTimeUtc(staging, DateTime.UtcNow.AddDays(-1));
        drop.Add("uas_rectilinear_grid_2D.nc");

        var report = await Scan(dataset);

        Assert.Equal((IngestOutcome.Succeeded, 1), (report.Outcome, report.DatasetVersion));
        Assert.False(Directory.Exists(staging), "the killed commit's folder is swept");
        Assert.Equal(["1"], Directory.GetDirectories(Path.Combine(DatasetFolder(dataset), "versions"))
            .Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("files null entry", "lists a file without a path or a SHA-256 of 64 hexadecimal digits")]
    [InlineData("sha256 path", "lists a file without a path or a SHA-256 of 64 hexadecimal digits")]
    [InlineData("file twice", "lists the file of SHA-256")]
    [InlineData("variable without storage", "lists a variable without a name or a stored field")]
    [InlineData("negative version", "has version -5")]
    [InlineData("emptied", "is at version 0, but lists files or variables, or versions exist")]
    public async Task AManifestNoCommitWritesStopsTheIngestNamingIt(string damage, string expected)
    {
        var dataset = NewDataset();
        drop.Add("tas_rectilinear_grid_2D.nc");
        await Scan(dataset);
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(ManifestPath(dataset)))!;
        var files = manifest["files"]!.AsArray();
        switch (damage)
        {
            case "files null entry":
                files.Add(null);
                break;
            case "sha256 path":
                files[0]!["sha256"] = "../../../../tmp/elsewhere";
                break;
            case "file twice":
                files.Add(files[0]!.DeepClone());
                break;
            case "variable without storage":
                manifest["variables"]![0]!["storagePath"] = null;
                break;
            case "negative version":
                manifest["version"] = -5;
                break;
            default:
                manifest = new JsonObject
                {
                    ["version"] = 0, ["files"] = new JsonArray(), ["variables"] = new JsonArray(),
                };
                break;
        }

        await File.WriteAllTextAsync(ManifestPath(dataset), manifest.ToJsonString());
        var folder = Snapshot(DatasetFolder(dataset));
        drop.Add("uas_rectilinear_grid_2D.nc");

        var report = await Scan(dataset);

        Assert.Equal(IngestOutcome.Failed, report.Outcome);
        Assert.Contains($"the manifest '{ManifestPath(dataset)}' of dataset '{dataset}' {expected}", report.Error,
            StringComparison.Ordinal);
        Assert.Equal(folder, Snapshot(DatasetFolder(dataset)));
    }

    [Theory]
    [InlineData("missing", "is missing, but")]
    [InlineData("null", "holds no manifest")]
    [InlineData("empty object", "holds no manifest")]
    [InlineData("truncated", "is not a valid manifest")]
    [InlineData("folder", "is a folder, but")]
    public async Task AnIngestOverALostOrDamagedManifestChangesNothingAndNamesIt(string damage, string expected)
    {
        var dataset = NewDataset();
        drop.Add("tas_rectilinear_grid_2D.nc");
        await Scan(dataset);
        var folder = DatasetFolder(dataset);
        var before = Snapshot(folder);
        var manifest = await File.ReadAllTextAsync(ManifestPath(dataset));
        File.Delete(ManifestPath(dataset));
        switch (damage)
        {
            case "null":
                await File.WriteAllTextAsync(ManifestPath(dataset), "null");
                break;
            case "empty object":
                await File.WriteAllTextAsync(ManifestPath(dataset), "{}");
                break;
            case "truncated":
                await File.WriteAllTextAsync(ManifestPath(dataset), manifest[..(manifest.Length / 2)]);
                break;
            case "folder":
                Directory.CreateDirectory(ManifestPath(dataset));
                break;
        }

        // The same file again (its copy is already in sources/) and a new one on the same grid.
        drop.Add("uas_rectilinear_grid_2D.nc");
        var report = await Scan(dataset);

        Assert.Equal(IngestOutcome.Failed, report.Outcome);
        Assert.Contains($"the manifest '{ManifestPath(dataset)}' of dataset '{dataset}' {expected}", report.Error,
            StringComparison.Ordinal);
        Assert.Contains("nothing was changed", report.Error, StringComparison.Ordinal);
        Assert.Equal(before.Where(f => !f.Key.EndsWith("manifest.json", StringComparison.Ordinal)),
            Snapshot(folder).Where(f => !f.Key.EndsWith("manifest.json", StringComparison.Ordinal)));
        Assert.True(File.Exists(Path.Combine(drop.Folder, "uas_rectilinear_grid_2D.nc")), "the new file waits");
        Assert.Empty(report.Rejected);
    }

    [Theory]
    [InlineData("flip", "has changed: its SHA-256 differs from its name")]
    [InlineData("truncate", "has changed: its SHA-256 differs from its name")]
    [InlineData("delete", "is missing")]
    public async Task ADamagedCopyOfAHeldFileStopsTheCommitNamingItAndTheNewFileWaits(string damage, string expected)
    {
        var dataset = NewDataset();
        drop.Add("tas_rectilinear_grid_2D.nc");
        var first = await Scan(dataset);
        var copy = Assert.Single(Directory.GetFiles(Path.Combine(DatasetFolder(dataset), "sources")));
        var manifest = await File.ReadAllBytesAsync(ManifestPath(dataset));
        var bytes = await File.ReadAllBytesAsync(copy);
        switch (damage)
        {
            case "flip":
                bytes[bytes.Length / 2] ^= 0x08; // a value: the file still decodes, to other numbers
                await File.WriteAllBytesAsync(copy, bytes);
                break;
            case "truncate":
                await File.WriteAllBytesAsync(copy, bytes[..(bytes.Length / 2)]);
                break;
            default:
                File.Delete(copy);
                break;
        }

        drop.Add("uas_rectilinear_grid_2D.nc");
        var report = await Scan(dataset);

        Assert.Equal(IngestOutcome.Failed, report.Outcome);
        Assert.Contains($"its copy '{copy}' of '{first.Added[0].Path}' {expected}", report.Error,
            StringComparison.Ordinal);
        Assert.Empty(report.Rejected);
        Assert.True(File.Exists(Path.Combine(drop.Folder, "uas_rectilinear_grid_2D.nc")), "the new file waits");
        Assert.Equal(manifest, await File.ReadAllBytesAsync(ManifestPath(dataset)));
        Assert.Single(Directory.GetDirectories(Path.Combine(DatasetFolder(dataset), "versions")));
    }

    /// <summary>Every file under a folder (manifest included) with the SHA-256 of its bytes.</summary>
    private static Dictionary<string, string> Snapshot(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(SHA256.HashData(
                File.ReadAllBytes(f))), StringComparer.Ordinal);

    [Fact]
    public async Task AFileWhoseVariableHoldsNoValidValueIsRefusedNamingItAndTheOthersGoIn()
    {
        var dataset = NewDataset();
        var allMissing = WriteWithNcgen("all_missing.nc", """
            netcdf all_missing {
            dimensions: time = 2 ; lat = 3 ; lon = 4 ;
            variables:
              double time(time) ; time:units = "days since 2005-01-01" ; time:calendar = "standard" ;
              float lat(lat) ; lat:units = "degrees_north" ;
              float lon(lon) ; lon:units = "degrees_east" ;
              float tas(time, lat, lon) ; tas:units = "K" ; tas:standard_name = "air_temperature" ;
                tas:_FillValue = -999.f ;
            data:
              time = 15, 45 ; lat = -10, 0, 10 ; lon = 0, 90, 180, 270 ;
              tas = _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _ ;
            }
            """);
        drop.Add("uas_rectilinear_grid_2D.nc");

        var report = await Scan(dataset);

        // Before the fix, such a file went in and then crowded out real files at the same times.
        Assert.Equal(IngestOutcome.Partial, report.Outcome);
        Assert.Equal(["uas"], report.Added.SelectMany(f => f.Variables));
        var refused = Assert.Single(report.Rejected);
        Assert.Equal(allMissing, refused.Path);
        Assert.Contains("variable 'tas'", refused.Reason, StringComparison.Ordinal);
        Assert.Contains("no valid value", refused.Reason, StringComparison.Ordinal);
        Assert.Contains("all 24 values", refused.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(allMissing), "moved aside");
    }

    [Fact]
    public async Task AFileWithAPhysicallyImpossibleValueIsRefusedNamingItAndTheOthersGoIn()
    {
        // One 3e38 among plausible winds: a float fill value the file does not declare. Before the check it
        // went in, and a model trained on it served values of order 1e35.
        var dataset = NewDataset();
        var spike = WriteWithNcgen("spike.nc", SmallFile("vas", "northward_wind", "m s-1", offset: 0)
            .Replace("vas = 0, 1, 2,", "vas = 0, 3e38, 2,", StringComparison.Ordinal));
        drop.Add("uas_rectilinear_grid_2D.nc");

        var report = await Scan(dataset);

        Assert.Equal(IngestOutcome.Partial, report.Outcome);
        Assert.Equal(["uas"], report.Added.SelectMany(f => f.Variables));
        var refused = Assert.Single(report.Rejected);
        Assert.Equal(spike, refused.Path);
        Assert.StartsWith($"variable 'vas' in '{spike}': has 1 of 24 valid values outside", refused.Reason,
            StringComparison.Ordinal);
        Assert.Contains("worst: 3E+38 m s-1", refused.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(spike), "moved aside");
        Assert.StartsWith(refused.Reason, File.ReadAllText(refused.MovedTo + ".reason.txt"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadFileNamedFirstNoLongerCrowdsOutAGoodFileWithTheSameTimes()
    {
        // Degrees Celsius labelled K and a good file, same two days. Conflicts are settled in name order, so
        // the bad file used to go in and the good one was refused as conflicting with it.
        var dataset = NewDataset();
        var bad = WriteWithNcgen("a_degC_as_K.nc", SmallFile("tas", "air_temperature", "K", offset: 5));
        var good = WriteWithNcgen("b_good.nc", SmallFile("tas", "air_temperature", "K", offset: 280));

        var report = await Scan(dataset);

        Assert.Equal(IngestOutcome.Partial, report.Outcome);
        Assert.Equal(good, Assert.Single(report.Added).Path);
        var refused = Assert.Single(report.Rejected);
        Assert.Equal(bad, refused.Path);
        Assert.Contains("worst: 5 K", refused.Reason, StringComparison.Ordinal);
        Assert.Contains("degrees Celsius", refused.Reason, StringComparison.Ordinal);
        var stored = GriddedFieldStore.Read(
            Assert.Single((await fixture.Grains.GetGrain<IDatasetGrain>(dataset).Describe()).Variables).StoragePath);
        Assert.Equal(280f, stored.Values.Min());
    }

    [Fact]
    public async Task TemporariesLeftByAKilledIngestAreRemovedByTheNextOneAndNothingElseIs()
    {
        var dataset = NewDataset();
        drop.Add("uas_rectilinear_grid_2D.nc");
        Assert.Equal(IngestOutcome.Succeeded, (await Scan(dataset)).Outcome);

        // What kill -9 during a copy or a manifest swap leaves: Write's temporaries, last written before this
        // process started. Beside them, files that must stay: one being written now, names that are not
        // Write's, and Write's pattern in a folder that is not the dataset's.
        var sources = Path.Combine(DatasetFolder(dataset), "sources");
        var longAgo = DateTime.UtcNow.AddDays(-2);
        var staleCopy = Temporary(sources, $".{new string('a', 64)}.nc.{Guid.NewGuid():N}.tmp", longAgo);
        var staleManifest = Temporary(DatasetFolder(dataset), $".manifest.json.{Guid.NewGuid():N}.tmp", longAgo);
        string[] kept =
        [
            Temporary(sources, $".{new string('b', 64)}.nc.{Guid.NewGuid():N}.tmp", DateTime.UtcNow),
            Temporary(sources, ".notes.tmp", longAgo),
            Temporary(sources, $"{new string('c', 64)}.nc.{Guid.NewGuid():N}.tmp", longAgo),
            Temporary(sources, $".x.nc.{Guid.NewGuid():N}.tmp.keep", longAgo),
            Temporary(Path.Combine(fixture.DataRoot, "staging"), $".other.nc.{Guid.NewGuid():N}.tmp", longAgo),
        ];
        drop.Add("tas_rectilinear_grid_2D.nc");

        var report = await Scan(dataset);

        Assert.Equal((IngestOutcome.Succeeded, 2), (report.Outcome, report.DatasetVersion));
        Assert.False(File.Exists(staleCopy), "a stale copy's temporary is removed");
        Assert.False(File.Exists(staleManifest), "a stale manifest's temporary is removed");
        Assert.All(kept, path => Assert.True(File.Exists(path), $"'{path}' must stay"));
    }

    [Fact]
    public async Task TheSameBytesUnderTwoNamesAreAddedOnceAndTheCopyIsReportedUnderItsOwnName()
    {
        var dataset = NewDataset();
        var first = drop.Add("uas_rectilinear_grid_2D.nc", "a.nc");
        var copy = drop.Add("uas_rectilinear_grid_2D.nc", "b.nc");

        var report = await Scan(dataset);

        Assert.Equal(IngestOutcome.Succeeded, report.Outcome);
        Assert.Equal(first, Assert.Single(report.Added).Path);
        var unchanged = Assert.Single(report.Unchanged);
        Assert.Equal(copy, unchanged.Path);
        Assert.Equal(report.Added[0].Sha256, unchanged.Sha256);
    }

    [Fact]
    public async Task AFileDecodedIntoTheBuffersOfTheOneBeforeLeavesItsStoredValuesIntactAndBitForBitPlain()
    {
        // tas and uas are both 12 x 96 x 192: decoding uas reuses the silo workspace's buffer that held tas.
        var dataset = NewDataset();
        drop.Add("tas_rectilinear_grid_2D.nc");
        await Scan(dataset);
        var first = await fixture.Grains.GetGrain<IDatasetGrain>(dataset).Describe();
        var firstTas = Assert.Single(first.Variables).StoragePath;
        var firstTasBytes = await File.ReadAllBytesAsync(firstTas);

        drop.Add("uas_rectilinear_grid_2D.nc");
        var report = await Scan(dataset);

        Assert.Equal((IngestOutcome.Succeeded, 2), (report.Outcome, report.DatasetVersion));
        Assert.Equal(firstTasBytes, await File.ReadAllBytesAsync(firstTas));
        AssertSameBits(PlainValues("tas_rectilinear_grid_2D.nc"), GriddedFieldStore.Read(firstTas).Values);
        var second = await fixture.Grains.GetGrain<IDatasetGrain>(dataset).Describe();
        var stored = second.Variables.ToDictionary(v => v.Name, v => GriddedFieldStore.Read(v.StoragePath).Values);
        AssertSameBits(PlainValues("tas_rectilinear_grid_2D.nc"), stored["tas"]);
        AssertSameBits(PlainValues("uas_rectilinear_grid_2D.nc"), stored["uas"]);
    }

    [Fact]
    public async Task FilesTriedOneAtATimeAreWrittenWithThePlainValuesOfTheLastCombinationThatWorked()
    {
        // The dataset holds uas; tas and a tas with other values at the same times arrive together and do not
        // combine. Tried one at a time, uas + tas combines and its fields are held for writing while
        // uas + tas + the other tas is decoded (into buffers of the same 24 values) and refused: the held fields
        // must come through whole, not with the refused try's values in them.
        var dataset = NewDataset();
        var uas = WriteWithNcgen("held_uas.nc", SmallFile("uas", "eastward_wind", "m s-1", offset: 0));
        await Scan(dataset);
        var tas = WriteWithNcgen("new_tas.nc", SmallFile("tas", "air_temperature", "K", offset: 250));
        var other = WriteWithNcgen("other_tas.nc", SmallFile("tas", "air_temperature", "K", offset: 260));

        var report = await Scan(dataset);

        Assert.Equal((IngestOutcome.Partial, 2), (report.Outcome, report.DatasetVersion));
        Assert.Equal(other, Assert.Single(report.Rejected).Path);
        Assert.Contains("different values", report.Rejected[0].Reason, StringComparison.Ordinal);
        var summary = await fixture.Grains.GetGrain<IDatasetGrain>(dataset).Describe();
        var stored = summary.Variables.ToDictionary(v => v.Name, v => GriddedFieldStore.Read(v.StoragePath).Values);
        Assert.Equal(["tas", "uas"], stored.Keys.Order());
        AssertSameBits(Assert.Single(WeatherFieldReader.ReadWeatherFields([uas])).Values, stored["uas"]);
        AssertSameBits(Assert.Single(WeatherFieldReader.ReadWeatherFields([tas])).Values, stored["tas"]);
    }

    /// <summary>
    /// A 2 x 3 x 4 file (two days, three rows, four columns) of one variable, value offset + index.
    /// </summary>
    private static string SmallFile(string name, string standardName, string units, int offset) => $$"""
        netcdf {{name}} {
        dimensions: time = 2 ; lat = 3 ; lon = 4 ;
        variables:
          double time(time) ; time:units = "days since 2005-01-01" ; time:calendar = "standard" ;
          float lat(lat) ; lat:units = "degrees_north" ;
          float lon(lon) ; lon:units = "degrees_east" ;
          float {{name}}(time, lat, lon) ; {{name}}:units = "{{units}}" ; {{name}}:standard_name = "{{standardName}}" ;
        data:
          time = 15, 45 ; lat = -10, 0, 10 ; lon = -180, -90, 0, 90 ;
          {{name}} = {{string.Join(", ", Enumerable.Range(offset, 24))}} ;
        }
        """;

    [Fact]
    public async Task FilesThatNameOneQuantityDifferentlyMakeOneVariableWithAFileNameTheFolderTakes()
    {
        // Hourly ERA5-style names: "t 2m" (a space) in one file, "t_2m" in the next; before, the joined name
        // "t 2m,t_2m" failed every scan of the folder at commit.
        var dataset = NewDataset();
        string Temperature(string cdlName, string times) => $$"""
            netcdf t {
            dimensions: time = 2 ; lat = 3 ; lon = 4 ;
            variables:
              double time(time) ; time:units = "days since 2005-01-01" ;
              float lat(lat) ; lat:units = "degrees_north" ;
              float lon(lon) ; lon:units = "degrees_east" ;
              float {{cdlName}}(time, lat, lon) ; {{cdlName}}:units = "K" ;
                {{cdlName}}:standard_name = "air_temperature" ;
            data:
              time = {{times}} ; lat = -10, 0, 10 ; lon = -180, -90, 0, 90 ;
              {{cdlName}} = {{string.Join(", ", Enumerable.Range(270, 24))}} ;
            }
            """;
        WriteWithNcgen("a.nc", Temperature("t\\ 2m", "15, 45"));
        WriteWithNcgen("b.nc", Temperature("t_2m", "75, 105"));

        var report = await Scan(dataset);

        Assert.Equal(IngestOutcome.Succeeded, report.Outcome);
        var variable = Assert.Single((await fixture.Grains.GetGrain<IDatasetGrain>(dataset).Describe()).Variables);
        Assert.Equal(("t 2m", 4), (variable.Name, variable.TimeCount));
        Assert.Equal("t_2m.field", Path.GetFileName(variable.StoragePath));
        Assert.True(File.Exists(variable.StoragePath));
    }

    /// <summary>A sample decoded the plain way: new arrays, no workspace.</summary>
    private static float[] PlainValues(string sample) =>
        Assert.Single(WeatherFieldReader.ReadWeatherFields([DropFolder.Sample(sample)])).Values;

    private static void AssertSameBits(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        Assert.True(MemoryMarshal.AsBytes(expected.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(actual.AsSpan())),
            "stored values differ from the plain decode");
    }

    private string WriteWithNcgen(string name, string cdl)
    {
        var cdlPath = Path.Combine(drop.Folder, ".cdl-" + name);
        File.WriteAllText(cdlPath, cdl);
        var target = Path.Combine(drop.Folder, name);
        using (var ncgen = System.Diagnostics.Process.Start("ncgen", ["-o", target, cdlPath]))
        {
            ncgen.WaitForExit();
            Assert.Equal(0, ncgen.ExitCode);
        }

        File.Delete(cdlPath);
        return target;
    }

    private static string Temporary(string folder, string name, DateTime lastWrittenUtc)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, "partial");
        File.SetLastWriteTimeUtc(path, lastWrittenUtc);
        return path;
    }

    private Task<IngestScanReport> Scan(string dataset) =>
        IngestScan.RunAsync(new DropFolderSource(drop.Folder), fixture.Grains, dataset,
            Path.Combine(fixture.DataRoot, "staging"), NullLogger.Instance);

    private static string NewDataset() => "ingest-" + Guid.NewGuid().ToString("N")[..12];

    private string DatasetFolder(string dataset) => new DataFolder(fixture.DataRoot).Dataset(dataset);

    private string ManifestPath(string dataset) => Path.Combine(DatasetFolder(dataset), "manifest.json");
}
