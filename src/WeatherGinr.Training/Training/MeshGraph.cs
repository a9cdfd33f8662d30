namespace WeatherGinr.Training;

/// <summary>
/// The graph of a mesh for differential supervision: undirected edges, each listed once (either direction),
/// defining the combinatorial Laplacian <c>(L f)_i = deg(i) f_i - sum_{j ~ i} f_j</c> (L = D - A).
/// </summary>
/// <param name="NodeCount">Nodes of the mesh.</param>
/// <param name="EdgeSources">First node of every edge.</param>
/// <param name="EdgeTargets">Second node of every edge.</param>
public sealed record MeshGraph(int NodeCount, int[] EdgeSources, int[] EdgeTargets)
{
    /// <summary>Checks the edge list; throws <see cref="ArgumentException"/> naming the first bad edge.</summary>
    public void Validate(string? parameterName = null)
    {
        parameterName ??= "graph";
        ArgumentNullException.ThrowIfNull(EdgeSources);
        ArgumentNullException.ThrowIfNull(EdgeTargets);
        if (EdgeSources.Length != EdgeTargets.Length)
        {
            throw new ArgumentException(
                $"graph has {EdgeSources.Length} edge sources but {EdgeTargets.Length} targets.", parameterName);
        }

        for (var edge = 0; edge < EdgeSources.Length; edge++)
        {
            var (from, to) = (EdgeSources[edge], EdgeTargets[edge]);
            if ((uint)from >= (uint)NodeCount || (uint)to >= (uint)NodeCount || from == to)
            {
                throw new ArgumentException(
                    $"graph edge {edge} joins {from} and {to}; nodes run from 0 to {NodeCount - 1} and self-loops " +
                    "are not edges.", parameterName);
            }
        }
    }

    /// <summary>Neighbour lists in compressed rows: neighbours of i are Neighbours[Offsets[i] .. Offsets[i+1]).
    /// </summary>
    internal (int[] Offsets, int[] Neighbours) Adjacency()
    {
        var degree = new int[NodeCount + 1];
        for (var edge = 0; edge < EdgeSources.Length; edge++)
        {
            degree[EdgeSources[edge] + 1]++;
            degree[EdgeTargets[edge] + 1]++;
        }

        for (var node = 0; node < NodeCount; node++)
        {
            degree[node + 1] += degree[node];
        }

        var offsets = (int[])degree.Clone();
        var cursor = (int[])degree.Clone();
        var neighbours = new int[2 * EdgeSources.Length];
        for (var edge = 0; edge < EdgeSources.Length; edge++)
        {
            neighbours[cursor[EdgeSources[edge]]++] = EdgeTargets[edge];
            neighbours[cursor[EdgeTargets[edge]]++] = EdgeSources[edge];
        }

        return (offsets, neighbours);
    }

    /// <summary>Applies L = D - A to [time, node, variable] values (NaN propagates): makes targets for
    /// <see cref="GinrTrainer.TrainOnLaplacian"/> from a known signal.</summary>
    public float[] ApplyLaplacian(float[] values, int variables)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(variables);
        if (values.Length % ((long)NodeCount * variables) != 0)
        {
            throw new ArgumentException(
                $"values has {values.Length} entries, not a multiple of {NodeCount} nodes x {variables} variables.",
                nameof(values));
        }

        var (offsets, neighbours) = Adjacency();
        var result = new float[values.Length];
        var steps = values.Length / (NodeCount * variables);
        for (var step = 0; step < steps; step++)
        {
            for (var node = 0; node < NodeCount; node++)
            {
                for (var variable = 0; variable < variables; variable++)
                {
                    double Value(int at) => values[(((long)step * NodeCount) + at) * variables + variable];
                    var sum = (offsets[node + 1] - offsets[node]) * Value(node);
                    for (var index = offsets[node]; index < offsets[node + 1]; index++)
                    {
                        sum -= Value(neighbours[index]);
                    }

                    result[(((long)step * NodeCount) + node) * variables + variable] = (float)sum;
                }
            }
        }

        return result;
    }
}
