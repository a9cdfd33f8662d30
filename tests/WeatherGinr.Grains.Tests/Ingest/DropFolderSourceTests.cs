using WeatherGinr.Grains.Ingest;

namespace WeatherGinr.Grains.Tests.Ingest;

public sealed class DropFolderSourceTests : IDisposable
{
    private readonly DropFolder drop = new();

    public void Dispose() => drop.Dispose();

    [Fact]
    public async Task OffersTopLevelFilesByNameAndSkipsHiddenPartialAndRejectedOnes()
    {
        foreach (var name in new[] { "b.nc", "a.cdf", ".hidden.nc", "c.nc.part", "d.nc.tmp", "e.partial" })
        {
            drop.Write(name, [1, 2, 3]);
        }

        Directory.CreateDirectory(Path.Combine(drop.RejectedFolder));
        File.WriteAllBytes(Path.Combine(drop.RejectedFolder, "old.nc"), [1]);
        Directory.CreateDirectory(Path.Combine(drop.Folder, "subfolder"));
        var source = new DropFolderSource(drop.Folder);

        var candidates = await source.ListCandidatesAsync();

        Assert.Equal(["a.cdf", "b.nc"], candidates.Select(c => c.Name));
        Assert.Equal(Path.Combine(drop.Folder, "a.cdf"), candidates[0].Location);
        Assert.Equal(3, candidates[0].SizeBytes);
        Assert.Equal(candidates[1].Location, await source.GetLocalPathAsync(candidates[1], "/unused"));
    }

    [Fact]
    public async Task ANamedPipeIsPassedOverInsteadOfBlockingTheScan()
    {
        drop.Write("good.nc", [1, 2, 3]);
        var pipe = Path.Combine(drop.Folder, "pipe.nc");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [pipe]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        File.CreateSymbolicLink(Path.Combine(drop.Folder, "link-to-pipe.nc"), pipe);
        File.CreateSymbolicLink(Path.Combine(drop.Folder, "link-to-good.nc"), Path.Combine(drop.Folder, "good.nc"));

        var candidates = await new DropFolderSource(drop.Folder).ListCandidatesAsync();

        // Reading the pipe would wait for a writer forever; links are listed only to be refused.
        Assert.Equal(["good.nc", "link-to-good.nc", "link-to-pipe.nc"], candidates.Select(c => c.Name));
        Assert.Equal([false, true, true], candidates.Select(c => c.Refusal is not null));
    }

    [Fact]
    public async Task ASymbolicLinkIsRefusedNamingItsTargetAndMovedAsideWithoutTouchingTheTarget()
    {
        using var outside = new DropFolder();
        var secret = outside.Write("other-dataset.nc", [7, 8, 9]);
        var link = Path.Combine(drop.Folder, "innocent.nc");
        File.CreateSymbolicLink(link, secret);
        var source = new DropFolderSource(drop.Folder);

        var candidate = Assert.Single(await source.ListCandidatesAsync());
        var movedTo = await source.RejectAsync(candidate, candidate.Refusal!);

        Assert.Equal($"'{link}': is a symbolic link to '{secret}'; links in a drop folder are not followed (their " +
            "target may lie outside it): put the file itself into the folder", candidate.Refusal);
        Assert.Equal(Path.Combine(drop.RejectedFolder, "innocent.nc"), movedTo);
        Assert.Equal(secret, new FileInfo(movedTo).LinkTarget);
        Assert.Equal([7, 8, 9], await File.ReadAllBytesAsync(secret));
        Assert.Empty(await source.ListCandidatesAsync());
    }

    [Fact]
    public async Task AFileReplacedByALinkAfterTheListingIsNotHandedOut()
    {
        using var outside = new DropFolder();
        var secret = outside.Write("other-dataset.nc", [7, 8, 9]);
        var path = drop.Write("swapped.nc", [1, 2, 3]);
        var source = new DropFolderSource(drop.Folder);
        var candidate = Assert.Single(await source.ListCandidatesAsync());
        Assert.Null(candidate.Refusal);

        File.Delete(path);
        File.CreateSymbolicLink(path, secret);

        var error = await Assert.ThrowsAsync<IOException>(() => source.GetLocalPathAsync(candidate, "/unused"));
        Assert.Contains("is a symbolic link", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARejectedFileMovesAsideWithItsReasonAndAReusedNameDoesNotOverwrite()
    {
        var source = new DropFolderSource(drop.Folder);
        drop.Write("bad.nc", [1, 2, 3]);
        var first = (await source.ListCandidatesAsync()).Single();

        var movedTo = await source.RejectAsync(first, "'bad.nc': cannot open: NetCDF: Unknown file format");
        drop.Write("bad.nc", [4, 5]);
        var second = await source.RejectAsync((await source.ListCandidatesAsync()).Single(), "second reason");

        Assert.Equal(Path.Combine(drop.RejectedFolder, "bad.nc"), movedTo);
        Assert.Equal(Path.Combine(drop.RejectedFolder, "bad.2.nc"), second);
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(movedTo));
        Assert.Equal([4, 5], await File.ReadAllBytesAsync(second));
        var reason = await File.ReadAllLinesAsync(movedTo + ".reason.txt");
        Assert.Equal("'bad.nc': cannot open: NetCDF: Unknown file format", reason[0]);
        Assert.StartsWith("rejected at ", reason[1], StringComparison.Ordinal);
        Assert.Empty(await source.ListCandidatesAsync());
    }

    [Fact]
    public async Task AReasonFileStaysTwoLinesWhenTheNameHoldsANewline()
    {
        var source = new DropFolderSource(drop.Folder);
        drop.Write("evil\nname.nc", [1, 2, 3]);
        var candidate = (await source.ListCandidatesAsync()).Single();

        var movedTo = await source.RejectAsync(candidate, "'evil\nname.nc': cannot open: NetCDF: Unknown file format");

        var lines = await File.ReadAllLinesAsync(movedTo + DropFolderSource.ReasonSuffix);
        Assert.Equal(2, lines.Length);
        Assert.Equal("'evil\\nname.nc': cannot open: NetCDF: Unknown file format", lines[0]);
        Assert.EndsWith("evil\\nname.nc", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingFolderIsAnIOErrorNamingIt()
    {
        var missing = Path.Combine(drop.Folder, "nowhere");

        var error = await Assert.ThrowsAsync<DirectoryNotFoundException>(() =>
            new DropFolderSource(missing).ListCandidatesAsync());

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACandidateFromElsewhereIsRefused()
    {
        var source = new DropFolderSource(drop.Folder);
        var stranger = new IngestCandidate("passwd", "/etc/passwd", 0, DateTimeOffset.UnixEpoch);

        await Assert.ThrowsAsync<ArgumentException>(() => source.RejectAsync(stranger, "no"));
        Assert.True(File.Exists("/etc/passwd"));
    }

    [Fact]
    public void OnlyLocalFoldersAreSourcesForNow()
    {
        Assert.IsType<DropFolderSource>(IngestSources.Open(new Uri(drop.Folder).AbsoluteUri));
        Assert.Equal(drop.Folder, IngestSources.Open(drop.Folder).Location);
        var error = Assert.Throws<ArgumentException>(() => IngestSources.Open("s3://bucket/prefix"));
        Assert.Contains("'s3'", error.Message, StringComparison.Ordinal);
    }
}
