using WeatherGinr.Core.Mesh;

namespace WeatherGinr.Cli.Experiments;

/// <summary>
/// The plain baseline for held-out nodes: the mean of a node's graph neighbours that have values
/// (NaN when none has).
/// </summary>
public static class NeighbourMean
{
    public static float[] At(Icosphere mesh, float[] values, IReadOnlyCollection<int> nodes)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(nodes);
        var sums = new double[mesh.NodeCount];
        var counts = new int[mesh.NodeCount];
        var edges = mesh.EdgeEndpoints;
        for (var e = 0; e < edges.Length; e += 2)
        {
            var (a, b) = (edges[e], edges[e + 1]);
            if (float.IsFinite(values[b]))
            {
                sums[a] += values[b];
                counts[a]++;
            }

            if (float.IsFinite(values[a]))
            {
                sums[b] += values[a];
                counts[b]++;
            }
        }

        return nodes.Select(i => counts[i] > 0 ? (float)(sums[i] / counts[i]) : float.NaN).ToArray();
    }
}
