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

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
