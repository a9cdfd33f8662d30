using WeatherGinr.Core.Mesh;
using WeatherGinr.Grains.Training;

namespace WeatherGinr.Grains.Tests.Training;

public sealed class NodeCoverageTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("wginr-coverage-").FullName;

    [Fact]
    public void ANodeIsCoveredWhenAnyTimeHeldAValueOfThatVariable()
    {
        var mesh = Icosphere.Create(2);
        int nodes = mesh.NodeCount, variables = 2, times = 3;
        var targets = Enumerable.Repeat(float.NaN, times * nodes * variables).ToArray();
        targets[(2 * nodes + 7) * variables + 1] = 0.5f; // node 7, variable 1, only at the last time

        var coverage = NodeCoverage.FromTargets(targets, nodes, variables);
        var atNode7 = mesh.Locate(mesh.LatitudesDegrees[7], mesh.LongitudesDegrees[7]);

        Assert.True(coverage.Covers(atNode7, 1));
        Assert.False(coverage.Covers(atNode7, 0));
        var elsewhere = mesh.Locate(-mesh.LatitudesDegrees[7], mesh.LongitudesDegrees[7] + 180);
        Assert.False(coverage.Covers(elsewhere, 1));
    }

    [Fact]
    public void RoundTripsThroughItsFileAndRefusesAnotherMesh()
    {
        var mesh = Icosphere.Create(1);
        var targets = Enumerable.Range(0, mesh.NodeCount).Select(i => i % 3 == 0 ? 1f : float.NaN).ToArray();
        var path = Path.Combine(folder, "coverage.bin");

        NodeCoverage.FromTargets(targets, mesh.NodeCount, 1).Write(path);
        var read = NodeCoverage.Read(path, mesh.NodeCount);

        for (var node = 0; node < mesh.NodeCount; node++)
        {
            var at = mesh.Locate(mesh.LatitudesDegrees[node], mesh.LongitudesDegrees[node]);
            Assert.Equal(node % 3 == 0, read.Covers(at, 0));
        }

        Assert.Throws<InvalidDataException>(() => NodeCoverage.Read(path, Icosphere.Create(2).NodeCount));
    }

    [Theory]
    [InlineData("flip", "does not match its checksum")]
    [InlineData("truncate", "does not match its checksum")]
    [InlineData("legacy truncated", "is truncated")]
    public void ADamagedFileIsRefusedNamingItAndOneOfAnEarlierBuildStillReads(string damage, string expected)
    {
        var mesh = Icosphere.Create(1);
        var targets = Enumerable.Range(0, mesh.NodeCount).Select(i => i % 3 == 0 ? 1f : float.NaN).ToArray();
        var path = Path.Combine(folder, "coverage.bin");
        NodeCoverage.FromTargets(targets, mesh.NodeCount, 1).Write(path);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(["coverage.bin"], Directory.GetFiles(folder).Select(Path.GetFileName)); // no temporary left

        // Earlier builds wrote the body alone: no magic, no checksum.
        var legacy = bytes[8..^32];
        File.WriteAllBytes(path, legacy);
        var read = NodeCoverage.Read(path, mesh.NodeCount);
        Assert.True(read.Covers(mesh.Locate(mesh.LatitudesDegrees[3], mesh.LongitudesDegrees[3]), 0));

        switch (damage)
        {
            case "flip":
                bytes[20] ^= 0x01; // a node's byte: the file still parses, wrongly
                File.WriteAllBytes(path, bytes);
                break;
            case "truncate":
                File.WriteAllBytes(path, bytes[..^10]);
                break;
            default:
                File.WriteAllBytes(path, legacy[..(legacy.Length / 2)]);
                break;
        }

        var error = Assert.Throws<InvalidDataException>(() => NodeCoverage.Read(path, mesh.NodeCount));
        Assert.StartsWith($"coverage file '{path}' {expected}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARegionalGridCoversItsCellsOnlyNotTheTrianglesAroundThem()
    {
        // The UK box of the ERA5 sample: 0.25-degree cells centred on 50..58 N, 10 W..2 E. At level 3 a node's
        // triangles reach about 8 degrees beyond it; the box holds points to half a cell beyond its centres.
        var box = GridExtent.Of(Field(Steps(50, 58, 0.25), Steps(-10, 2, 0.25)));

        Assert.Equal((49.875, 58.125, -10.125, 12.25),
            (box.SouthDegrees, box.NorthDegrees, box.WestDegrees, box.EastwardSpanDegrees));
        Assert.True(box.Contains(54, -4));
        Assert.True(box.Contains(58.1, 2.1));
        Assert.False(box.Contains(46, -14)); // answered 282 K before, with no data within 4 degrees
        Assert.False(box.Contains(64, 6));
        Assert.False(box.Contains(58.2, 0));
        Assert.False(box.Contains(54, 2.2));
        Assert.True(box.Contains(54, 358)); // the same meridian as -2 in another convention
    }

    [Fact]
    public void ABoxAcrossTheAntimeridianAndAGlobalGridAreToldApart()
    {
        // Centres 170 E .. 170 W every 5 degrees, stored ascending in [-180, 180) as the reader leaves them.
        var across = GridExtent.Of(Field([-10, 0, 10], [-180, -175, -170, 170, 175]));
        var global = GridExtent.Of(Field(Steps(-50, 50, 25), Steps(-180, 175, 5)));

        Assert.Equal((167.5, 25.0), (across.WestDegrees, across.EastwardSpanDegrees));
        Assert.True(across.Contains(0, 179) && across.Contains(0, -179) && across.Contains(0, -168));
        Assert.False(across.Contains(0, 0));
        Assert.False(across.Contains(0, 160));
        Assert.Equal(360, global.EastwardSpanDegrees);
        Assert.True(global.Contains(60, 123) && global.Contains(-62.5, -180));
        Assert.False(global.Contains(80, 0)); // beyond the last row's outer edge (62.5 N; room for rows up to 75)
    }

    [Fact]
    public void AGlobalGaussianGridReachesThePolesAndTwoColumnsAreNoGlobe()
    {
        // The CMIP5 sample's 96 Gaussian rows end at +-88.572; its models answered at the poles before boxes and must
        // still. Two columns 5 degrees apart are a strip 10 degrees wide, not the whole circle.
        var gaussian = GridExtent.Of(Field(Steps(-88.572, 88.572, 177.144 / 95), Steps(-180, 178.125, 1.875)));
        var strip = GridExtent.Of(Field(Steps(40, 60, 0.5), [0, 5]));

        Assert.Equal((-90.0, 90.0, 360.0),
            (gaussian.SouthDegrees, gaussian.NorthDegrees, gaussian.EastwardSpanDegrees));
        Assert.True(gaussian.Contains(90, 0) && gaussian.Contains(-90, 123));
        Assert.Equal((-2.5, 10.0), (strip.WestDegrees, strip.EastwardSpanDegrees));
        Assert.True(strip.Contains(50, 7.5));
        Assert.False(strip.Contains(50, 7.6));
        Assert.False(strip.Contains(50, 12));
    }

    [Fact]
    public void ABoxThatReachesAPoleHoldsThePoleAtEveryLongitude()
    {
        // Rows 60..90 N over 0..40 E: at 90 N every longitude is the one point the box's top row reaches.
        var cap = GridExtent.Of(Field(Steps(60, 90, 0.5), Steps(0, 40, 0.5)));

        Assert.True(cap.Contains(90, 100) && cap.Contains(90, -150) && cap.Contains(90, 20));
        Assert.False(cap.Contains(89.9, 100));
        Assert.False(cap.Contains(-90, 20));
    }

    [Fact]
    public void BoxesRoundTripThroughTheFileAndAnOlderFileWithoutThemStillReads()
    {
        var mesh = Icosphere.Create(3);
        var targets = Enumerable.Repeat(1f, mesh.NodeCount).ToArray();
        var box = GridExtent.Of(Field(Steps(50, 58, 0.25), Steps(-10, 2, 0.25)));
        var path = Path.Combine(folder, "boxed.bin");
        var at = mesh.Locate(46, -14);

        NodeCoverage.FromTargets(targets, mesh.NodeCount, 1, [box]).Write(path);
        var read = NodeCoverage.Read(path, mesh.NodeCount);
        var old = Path.Combine(folder, "old.bin");
        // The oldest files: no magic, no boxes, no checksum (the body starts after the 8-byte magic).
        File.WriteAllBytes(old, File.ReadAllBytes(path)[8..(16 + mesh.NodeCount)]);

        Assert.True(read.Covers(at, 0)); // the node rule alone: every node holds data
        Assert.False(read.Covers(at, 0, 46, -14));
        Assert.True(read.Covers(mesh.Locate(54, -4), 0, 54, -4));
        Assert.True(NodeCoverage.Read(old, mesh.NodeCount).Covers(at, 0, 46, -14));
    }

    private static double[] Steps(double first, double last, double step) =>
        Enumerable.Range(0, (int)Math.Round((last - first) / step) + 1).Select(i => first + (i * step)).ToArray();

    private static WeatherGinr.Ingest.GriddedField Field(double[] latitudes, double[] longitudes) =>
        new([], "tas", WeatherGinr.Ingest.WeatherQuantity.AirTemperature, "K", latitudes, longitudes,
            [DateTimeOffset.UnixEpoch], new float[latitudes.Length * longitudes.Length]);

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
