using Microsoft.AspNetCore.Builder;
using WeatherGinr.Host.Http;

namespace WeatherGinr.Host.Tests.Http;

/// <summary>Grid answers left in exports/http by a server killed mid-answer are swept, and nothing else is.</summary>
public sealed class HttpExportFolderTests : IDisposable
{
    private readonly string dataRoot = Directory.CreateTempSubdirectory("wginr-answers-").FullName;

    private string Folder => HttpExportFolder.Of(dataRoot);

    [Fact]
    public void OnlyAnswerFilesOlderThanTheLimitAreRemoved()
    {
        var now = DateTime.UtcNow;
        var old = now - HttpExportFolder.AbandonedAfter - TimeSpan.FromMinutes(1);
        var recent = now - HttpExportFolder.AbandonedAfter + TimeSpan.FromMinutes(1);
        var staleAnswer = Create($"{Guid.NewGuid():N}.parquet", old);
        var staleTemporary = Create($"{Guid.NewGuid():N}.parquet.tmp", old);
        var inProgress = Create($"{Guid.NewGuid():N}.parquet.tmp", recent);
        var usersFile = Create("mine.parquet", old);
        var notOurs = Create($"{Guid.NewGuid():N}.parquet.bak", old);

        var removed = HttpExportFolder.RemoveAbandoned(dataRoot, now);

        Assert.Equal(2, removed);
        Assert.False(File.Exists(staleAnswer));
        Assert.False(File.Exists(staleTemporary));
        Assert.True(File.Exists(inProgress));
        Assert.True(File.Exists(usersFile));
        Assert.True(File.Exists(notOurs));
    }

    [Fact]
    public void ALinkWithAnAnswersNameIsLeftAndItsTargetKept()
    {
        var target = Path.Combine(dataRoot, "precious.parquet");
        File.WriteAllText(target, "keep");
        Directory.CreateDirectory(Folder);
        var link = Path.Combine(Folder, $"{Guid.NewGuid():N}.parquet");
        File.CreateSymbolicLink(link, target);

        HttpExportFolder.RemoveAbandoned(dataRoot, DateTime.UtcNow + TimeSpan.FromDays(1));

        Assert.True(File.Exists(target));
        Assert.NotNull(new FileInfo(link).LinkTarget);
    }

    [Fact]
    public void AMissingFolderIsNothingToSweep() =>
        Assert.Equal(0, HttpExportFolder.RemoveAbandoned(dataRoot, DateTime.UtcNow));

    [Fact]
    public async Task AServerStartingOnTheFolderRemovesWhatAKilledOneLeft()
    {
        var stale = Create($"{Guid.NewGuid():N}.parquet.tmp",
            DateTime.UtcNow - HttpExportFolder.AbandonedAfter - TimeSpan.FromMinutes(5));
        var fresh = Create($"{Guid.NewGuid():N}.parquet.tmp", DateTime.UtcNow);

        await using (WebApplication app = WeatherGinrHost.Build(
            new WeatherGinrHostOptions { DataRoot = dataRoot, HttpUrl = "http://127.0.0.1:0" }))
        {
            Assert.False(File.Exists(stale));
            Assert.True(File.Exists(fresh));
        }
    }

    public void Dispose() => Directory.Delete(dataRoot, recursive: true);

    private string Create(string name, DateTime lastWriteUtc)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, "PAR1");
        File.SetLastWriteTimeUtc(path, lastWriteUtc);
        return path;
    }
}
