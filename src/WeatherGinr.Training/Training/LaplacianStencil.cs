namespace WeatherGinr.Training;

/// <summary>
/// Every node's row of L = D - A as a fixed-width stencil: the node itself with weight deg(i), then its
/// neighbours with weight -1, padded with the node itself at weight 0 up to the largest degree plus one.
/// </summary>
internal sealed class LaplacianStencil
{
    private readonly int[] offsets;
    private readonly int[] neighbours;

    public LaplacianStencil(MeshGraph graph)
    {
        (offsets, neighbours) = graph.Adjacency();
        var maxDegree = 0;
        for (var node = 0; node < graph.NodeCount; node++)
        {
            maxDegree = Math.Max(maxDegree, offsets[node + 1] - offsets[node]);
        }

        Width = maxDegree + 1;
    }

    /// <summary>Stencil entries per node: the largest degree plus one.</summary>
    public int Width { get; }

    /// <summary>Stencil nodes, their times and weights for a batch, each flattened to batch x Width.</summary>
    public (long[] Nodes, long[] Times, float[] Weights) Expand(long[] nodes, long[] times)
    {
        var count = nodes.Length * Width;
        var (stencilNodes, stencilTimes, weights) = (new long[count], new long[count], new float[count]);
        for (var pair = 0; pair < nodes.Length; pair++)
        {
            var node = (int)nodes[pair];
            var first = pair * Width;
            var degree = offsets[node + 1] - offsets[node];
            stencilTimes.AsSpan(first, Width).Fill(times[pair]);
            stencilNodes.AsSpan(first, Width).Fill(node);
            weights[first] = degree;
            for (var neighbour = 0; neighbour < degree; neighbour++)
            {
                stencilNodes[first + 1 + neighbour] = neighbours[offsets[node] + neighbour];
                weights[first + 1 + neighbour] = -1f;
            }
        }

        return (stencilNodes, stencilTimes, weights);
    }
}
