namespace WeatherGinr.Core.Mesh;

/// <summary>
/// A cache-friendly renumbering of an icosphere level's nodes: nodes in the order in which the depth-first
/// walk of the subdivision tree first meets them. Triangle numbering is that walk already (the children of
/// t are 4t .. 4t + 3), so the result is a space-filling curve over each icosahedron face: neighbours in the
/// graph land near each other in memory, and sparse block products reuse what is in cache.
/// </summary>
internal static class IcosphereOrdering
{
    /// <summary>
    /// Returns <c>order</c> with <c>order[newIndex] = node</c> for icosphere level <paramref name="level"/>
    /// of <paramref name="mesh"/>.
    /// </summary>
    public static int[] TreeOrder(Icosphere mesh, int level)
    {
        int nodes = Icosphere.NodeCountAt(level);
        ReadOnlySpan<int> triangles = mesh.TrianglesAt(level);
        var seen = new bool[nodes];
        var order = new int[nodes];
        int next = 0;
        foreach (int node in triangles)
        {
            if (!seen[node])
            {
                seen[node] = true;
                order[next++] = node;
            }
        }

        return order;
    }

    /// <summary>Edge list of a level with both ends renamed to their positions in <paramref name="order"/>.</summary>
    public static int[] RenumberEdges(ReadOnlySpan<int> edges, int[] order)
    {
        var position = new int[order.Length];
        for (int i = 0; i < order.Length; i++)
        {
            position[order[i]] = i;
        }

        var renamed = new int[edges.Length];
        for (int i = 0; i < edges.Length; i++)
        {
            renamed[i] = position[edges[i]];
        }

        return renamed;
    }
}
