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

            // Re-rooted whether or not the file is here: a copy never reads the original's files, and what fails to
            // read a missing one names the copy's path.
            Assert.Equal(Path.Combine(folder.Root, "datasets", "cmip", "versions", "2", "tas.field"),
                folder.Resolve("/data/datasets/cmip/versions/2/tas.field"));
            Assert.Equal(Path.Combine(folder.Root, "runs", "demo-cmip", "tas", "a1b2.0", "model.ginr"),
                folder.Resolve("/data/runs/demo-cmip/tas/a1b2.0/model.ginr"));

            // A dataset named like a product folder is taken for the dataset it is.
            Assert.Equal(Path.Combine(folder.Root, "datasets", "runs", "versions", "1", "tas.field"),
                folder.Resolve("/data/datasets/runs/versions/1/tas.field"));
            Assert.Equal("/elsewhere/notes.txt", folder.Resolve("/elsewhere/notes.txt"));
        }
        finally
        {
            Directory.Delete(temporary, recursive: true);
        }
    }

    [Fact]
    public void APathThroughALinkIsTheProductsOwnFolderWhenItsRealPathIs()
    {
        var temporary = Directory.CreateTempSubdirectory("wginr-links-").FullName;
        try
        {
            var folder = new DataFolder(Path.Combine(temporary, "data"));
            Directory.CreateDirectory(folder.Dataset("ds"));
            var toDataset = Path.Combine(temporary, "to-dataset");
            var toData = Path.Combine(temporary, "to-data");
            Directory.CreateSymbolicLink(toDataset, folder.Dataset("ds"));
            Directory.CreateSymbolicLink(toData, folder.Root);

            Assert.Equal(folder.Datasets, folder.OwnFolderHolding(toDataset));
            Assert.Equal(Path.Combine(toData, "datasets"),
                new DataFolder(toData).OwnFolderHolding(folder.Dataset("ds")));
            Assert.Null(folder.OwnFolderHolding(temporary));
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
