using WeatherGinr.Grains.Storage;

namespace WeatherGinr.Grains.Tests.Storage;

public sealed class DataFolderTests
{
    [Theory]
    [InlineData("../etc")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("")]
    [InlineData("name with space")]
    public void RefusesNamesThatCouldEscapeTheFolder(string name) =>
        Assert.ThrowsAny<ArgumentException>(() => new DataFolder("/tmp/x").Dataset(name));

    [Fact]
    public void KeepsEveryPathInsideTheRoot()
    {
        var folder = new DataFolder("/tmp/wginr-root");

        Assert.StartsWith("/tmp/wginr-root/", folder.Dataset("samples"), StringComparison.Ordinal);
        Assert.Equal("/tmp/wginr-root/runs/demo-samples/tas-uas-vas", folder.RunJob("demo-samples", "tas-uas-vas"));
        Assert.Equal("/tmp/wginr-root/models/m.1.json", folder.ModelDescriptor("m.1"));
    }

    [Fact]
    public void APathStoredByAFolderThatWasCopiedOrMovedIsReadInThisOne()
    {
        // The copy's own root holds "runs" in its path, which must not be taken for the product's folder.
        var temporary = Directory.CreateTempSubdirectory("wginr-resolve-").FullName;
        try
        {
            var folder = new DataFolder(Path.Combine(temporary, "runs", "copy"));
            var field = Path.Combine(folder.Dataset("cmip"), "versions", "1", "tas.field");
            Directory.CreateDirectory(Path.GetDirectoryName(field)!);
            File.WriteAllText(field, "");

            Assert.Equal(field, folder.Resolve("/srv/old/runs/copy/datasets/cmip/versions/1/tas.field"));
            Assert.Equal(field, folder.Resolve("/data/datasets/cmip/versions/1/tas.field"));
            Assert.Equal(field, folder.Resolve("datasets/cmip/versions/1/tas.field"));
            Assert.Equal(field, folder.Resolve(field));

            // Nothing here to read: left as stored, so that what fails to read it names the path it was given.
            Assert.Equal("/data/datasets/cmip/versions/2/tas.field",
                folder.Resolve("/data/datasets/cmip/versions/2/tas.field"));
            Assert.Equal("/elsewhere/notes.txt", folder.Resolve("/elsewhere/notes.txt"));
        }
        finally
        {
            Directory.Delete(temporary, recursive: true);
        }
    }

    [Theory]
    [InlineData("datasets/cmip", "datasets")]
    [InlineData("runs", "runs")]
    [InlineData("exports/maps", "exports")]
    [InlineData("staging/x", "staging")]
    [InlineData("sources/debian", null)]
    [InlineData("drop", null)]
    [InlineData("", null)]
    public void NamesTheProductsOwnFolderThatAPathLiesIn(string under, string? own)
    {
        var folder = new DataFolder("/tmp/wginr-root");

        Assert.Equal(own is null ? null : Path.Combine(folder.Root, own),
            folder.OwnFolderHolding(Path.Combine(folder.Root, under)));
    }
}
