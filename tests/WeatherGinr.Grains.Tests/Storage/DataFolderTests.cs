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
}
