using WeatherGinr.Core.Mesh;

namespace WeatherGinr.Grains.Training;

/// <summary>
/// Which mesh nodes held a valid training value of each variable at any time. A network answers
/// everywhere, but over land an ocean-only field was never observed: values there are extrapolation,
/// and the product reports them as missing rather than as data.
/// </summary>
public sealed class NodeCoverage
{
    private readonly bool[][] covered;

    private NodeCoverage(bool[][] covered) => this.covered = covered;

    public int VariableCount => covered.Length;

    /// <summary>Coverage from training targets <c>[time, node, variable]</c>, NaN = missing.</summary>
    public static NodeCoverage FromTargets(float[] targets, int nodeCount, int variableCount)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var covered = Enumerable.Range(0, variableCount).Select(_ => new bool[nodeCount]).ToArray();
        for (var index = 0; index < targets.Length; index++)
        {
            if (float.IsFinite(targets[index]))
            {
                covered[index % variableCount][index / variableCount % nodeCount] = true;
            }
        }

        return new NodeCoverage(covered);
    }

    /// <summary>
    /// A point is covered when a corner of its containing triangle with a non-zero weight is covered,
    /// so coverage ends one triangle beyond the last observed node, as linear interpolation would.
    /// </summary>
    public bool Covers(PointLocation at, int variable)
    {
        var nodes = covered[variable];
        return (at.WeightA > 1e-9 && nodes[at.NodeA]) || (at.WeightB > 1e-9 && nodes[at.NodeB])
            || (at.WeightC > 1e-9 && nodes[at.NodeC]);
    }

    /// <summary>One byte per node and variable, variable-major, after a small header.</summary>
    public void Write(string path)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(covered.Length);
        writer.Write(covered.Length == 0 ? 0 : covered[0].Length);
        foreach (var nodes in covered)
        {
            writer.Write(nodes.Select(c => (byte)(c ? 1 : 0)).ToArray());
        }
    }

    public static NodeCoverage Read(string path, int expectedNodeCount)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        var variables = reader.ReadInt32();
        var nodes = reader.ReadInt32();
        if (nodes != expectedNodeCount || variables is < 1 or > 1024)
        {
            throw new InvalidDataException(
                $"coverage file '{path}' describes {variables} variables on {nodes} nodes; " +
                $"the mesh has {expectedNodeCount}");
        }

        return new NodeCoverage(Enumerable.Range(0, variables)
            .Select(_ => reader.ReadBytes(nodes).Select(b => b != 0).ToArray()).ToArray());
    }
}
