namespace WeatherGinr.Core.Mesh;

/// <summary>
/// A subdivided icosahedron projected onto the unit sphere: the domain graph of the GINR embedding.
/// </summary>
/// <remarks>
/// <para>
/// Level 0 is the icosahedron with a node at each pole (z is the north pole axis). Level L + 1 adds one node
/// at the normalised midpoint of each edge of level L, after all nodes of level L, in the order of level L's
/// edges: node <c>n(L) + e</c> is the midpoint of edge <c>e</c>. So level L has <c>10 * 4^L + 2</c> nodes,
/// <c>30 * 4^L</c> edges and <c>20 * 4^L</c> triangles, and the nodes of level L are the first nodes of
/// every finer level, at identical positions.
/// </para>
/// <para>
/// Triangle <c>t</c> of level L splits into triangles <c>4t .. 4t + 3</c> of level L + 1 (the three corners
/// at its nodes a, b, c, then the centre). Because midpoints lie on the great circles of their edges, the
/// spherical children tile the spherical parent exactly, which makes point location a descent of the tree.
/// </para>
/// <para>Node areas are barycentric: a third of the spherical area of every triangle touching the node.</para>
/// <para>An instance is immutable in intent; the arrays it exposes must not be written to.</para>
/// </remarks>
public sealed partial class Icosphere
{
    /// <summary>The finest level supported (655,362 nodes).</summary>
    public const int MaxLevel = 8;

    private readonly int[][] levelTriangles;
    private readonly int[][] levelEdges;

    private Icosphere(int level, double[] positions, int[][] levelTriangles, int[][] levelEdges)
    {
        Level = level;
        Positions = positions;
        this.levelTriangles = levelTriangles;
        this.levelEdges = levelEdges;
        NodeCount = NodeCountAt(level);
        Triangles = levelTriangles[level];
        EdgeEndpoints = levelEdges[level];
        TriangleCount = Triangles.Length / 3;
        EdgeCount = EdgeEndpoints.Length / 2;

        (LatitudesDegrees, LongitudesDegrees) = ComputeLatitudesLongitudes(positions, NodeCount);
        NodeAreas = ComputeNodeAreas(positions, Triangles, NodeCount);
        MeanEdgeLengthDegrees = ComputeMeanEdgeLengthDegrees(positions, EdgeEndpoints);
        level0FaceCentres = ComputeFaceCentres(positions, levelTriangles[0]);
    }

    /// <summary>Subdivision level, 0 to <see cref="MaxLevel"/>.</summary>
    public int Level { get; }

    /// <summary>Number of nodes, <c>10 * 4^Level + 2</c>.</summary>
    public int NodeCount { get; }

    /// <summary>Number of triangles, <c>20 * 4^Level</c>.</summary>
    public int TriangleCount { get; }

    /// <summary>Number of edges, <c>30 * 4^Level</c>.</summary>
    public int EdgeCount { get; }

    /// <summary>Unit vectors x, y, z of every node, packed (3 * NodeCount); z is the north pole axis.</summary>
    public double[] Positions { get; }

    /// <summary>Latitude of every node in degrees, [-90, 90].</summary>
    public double[] LatitudesDegrees { get; }

    /// <summary>Longitude of every node in degrees, [-180, 180); 0 at the poles.</summary>
    public double[] LongitudesDegrees { get; }

    /// <summary>Node indices of every triangle (3 * TriangleCount), counter-clockwise seen from outside.</summary>
    public int[] Triangles { get; }

    /// <summary>Node indices of both ends of every edge (2 * EdgeCount); each undirected edge once.</summary>
    public int[] EdgeEndpoints { get; }

    /// <summary>Barycentric node areas in steradians; they sum to 4 pi.</summary>
    public double[] NodeAreas { get; }

    /// <summary>Mean great-circle length of the edges in degrees.</summary>
    public double MeanEdgeLengthDegrees { get; }

    /// <summary>Number of nodes of an icosphere level: <c>10 * 4^level + 2</c>.</summary>
    public static int NodeCountAt(int level)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, MaxLevel);
        return 10 * (1 << (2 * level)) + 2;
    }

    /// <summary>Builds the icosphere of a level, 0 to <see cref="MaxLevel"/>.</summary>
    public static Icosphere Create(int level)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, MaxLevel);

        var positions = new double[3 * NodeCountAt(level)];
        var triangles = new int[level + 1][];
        var edges = new int[level + 1][];
        var triangleEdges = BuildIcosahedron(positions, out triangles[0], out edges[0]);

        for (int l = 0; l < level; l++)
        {
            triangleEdges = Subdivide(
                positions, NodeCountAt(l), triangles[l], edges[l], triangleEdges,
                out triangles[l + 1], out edges[l + 1]);
        }

        return new Icosphere(level, positions, triangles, edges);
    }

    /// <summary>Triangles of a coarser (or this) level, in the numbering of that level.</summary>
    internal ReadOnlySpan<int> TrianglesAt(int level) => levelTriangles[level];

    /// <summary>
    /// Edges of a coarser (or this) level. Node <c>NodeCountAt(level) + e</c> of level + 1 is the midpoint of
    /// edge <c>e</c> of level, which is what prolongation between levels uses.
    /// </summary>
    internal int[] EdgesAt(int level) => levelEdges[level];

    /// <summary>
    /// Icosahedron with nodes at both poles, two rings at latitude +-atan(1/2), the northern ring at
    /// longitudes 0, 72, ... and the southern one offset by 36 degrees.
    /// </summary>
    private static int[] BuildIcosahedron(double[] positions, out int[] triangles, out int[] edges)
    {
        double ringLatitude = double.RadiansToDegrees(Math.Atan(0.5));
        SetNode(positions, 0, 90.0, 0.0);
        for (int i = 0; i < 5; i++)
        {
            SetNode(positions, 1 + i, ringLatitude, 72.0 * i);
            SetNode(positions, 6 + i, -ringLatitude, 36.0 + 72.0 * i);
        }

        SetNode(positions, 11, -90.0, 0.0);

        var list = new List<int>(60);
        for (int i = 0; i < 5; i++)
        {
            int next = (i + 1) % 5;
            list.AddRange([0, 1 + i, 1 + next]);
            list.AddRange([1 + i, 6 + i, 1 + next]);
            list.AddRange([1 + next, 6 + i, 6 + next]);
            list.AddRange([11, 6 + next, 6 + i]);
        }

        triangles = [.. list];
        for (int t = 0; t < 20; t++)
        {
            // Orientation by construction is easy to get wrong; the sign of det(a, b, c) decides it.
            int a = triangles[3 * t], b = triangles[3 * t + 1], c = triangles[3 * t + 2];
            if (SphericalGeometry.Determinant(positions, a, b, c) < 0)
            {
                (triangles[3 * t + 1], triangles[3 * t + 2]) = (triangles[3 * t + 2], triangles[3 * t + 1]);
            }
        }

        var edgeIds = new Dictionary<(int, int), int>();
        var edgeList = new List<int>(60);
        var triangleEdges = new int[60];
        for (int t = 0; t < 20; t++)
        {
            for (int side = 0; side < 3; side++)
            {
                int u = triangles[3 * t + side], v = triangles[3 * t + (side + 1) % 3];
                var key = (Math.Min(u, v), Math.Max(u, v));
                if (!edgeIds.TryGetValue(key, out int id))
                {
                    id = edgeIds.Count;
                    edgeIds.Add(key, id);
                    edgeList.AddRange([key.Item1, key.Item2]);
                }

                triangleEdges[3 * t + side] = id;
            }
        }

        edges = [.. edgeList];
        return triangleEdges;
    }

    private static void SetNode(double[] positions, int node, double latitudeDegrees, double longitudeDegrees)
    {
        (double x, double y, double z) = SphericalGeometry.ToUnitVector(latitudeDegrees, longitudeDegrees);
        if (Math.Abs(latitudeDegrees) == 90.0)
        {
            // Exact poles: cos(90 degrees) is 6e-17 in floating point, not 0.
            (x, y, z) = (0.0, 0.0, Math.Sign(latitudeDegrees));
        }

        positions[3 * node] = x;
        positions[3 * node + 1] = y;
        positions[3 * node + 2] = z;
    }

    /// <summary>
    /// One subdivision step. <paramref name="triangleEdges"/> holds, per triangle (a, b, c), the ids of its
    /// edges ab, bc, ca. Edge e = (u, v) splits into edges 2e = (u, m) and 2e + 1 = (m, v); triangle t adds
    /// the interior edges 2E + 3t + 0, 1, 2 = (m_ab, m_bc), (m_bc, m_ca), (m_ca, m_ab).
    /// </summary>
    private static int[] Subdivide(
        double[] positions, int nodeCount, int[] triangles, int[] edges, int[] triangleEdges,
        out int[] childTriangles, out int[] childEdges)
    {
        int edgeCount = edges.Length / 2, triangleCount = triangles.Length / 3;

        for (int e = 0; e < edgeCount; e++)
        {
            int u = edges[2 * e], v = edges[2 * e + 1], m = nodeCount + e;
            double x = positions[3 * u] + positions[3 * v];
            double y = positions[3 * u + 1] + positions[3 * v + 1];
            double z = positions[3 * u + 2] + positions[3 * v + 2];
            double inverseNorm = 1.0 / Math.Sqrt(x * x + y * y + z * z);
            positions[3 * m] = x * inverseNorm;
            positions[3 * m + 1] = y * inverseNorm;
            positions[3 * m + 2] = z * inverseNorm;
        }

        childEdges = new int[2 * (2 * edgeCount + 3 * triangleCount)];
        for (int e = 0; e < edgeCount; e++)
        {
            int u = edges[2 * e], v = edges[2 * e + 1], m = nodeCount + e;
            childEdges[4 * e] = u;
            childEdges[4 * e + 1] = m;
            childEdges[4 * e + 2] = m;
            childEdges[4 * e + 3] = v;
        }

        childTriangles = new int[12 * triangleCount];
        var childTriangleEdges = new int[12 * triangleCount];
        int interiorBase = 2 * edgeCount;
        for (int t = 0; t < triangleCount; t++)
        {
            int a = triangles[3 * t], b = triangles[3 * t + 1], c = triangles[3 * t + 2];
            int eab = triangleEdges[3 * t], ebc = triangleEdges[3 * t + 1], eca = triangleEdges[3 * t + 2];
            int mab = nodeCount + eab, mbc = nodeCount + ebc, mca = nodeCount + eca;
            int i0 = interiorBase + 3 * t, i1 = i0 + 1, i2 = i0 + 2;

            childEdges[2 * i0] = mab;
            childEdges[2 * i0 + 1] = mbc;
            childEdges[2 * i1] = mbc;
            childEdges[2 * i1 + 1] = mca;
            childEdges[2 * i2] = mca;
            childEdges[2 * i2 + 1] = mab;

            SetChild(childTriangles, childTriangleEdges, 4 * t, a, mab, mca,
                HalfNear(edges, eab, a), i2, HalfNear(edges, eca, a));
            SetChild(childTriangles, childTriangleEdges, 4 * t + 1, b, mbc, mab,
                HalfNear(edges, ebc, b), i0, HalfNear(edges, eab, b));
            SetChild(childTriangles, childTriangleEdges, 4 * t + 2, c, mca, mbc,
                HalfNear(edges, eca, c), i1, HalfNear(edges, ebc, c));
            SetChild(childTriangles, childTriangleEdges, 4 * t + 3, mab, mbc, mca, i0, i1, i2);
        }

        return childTriangleEdges;
    }

    /// <summary>Id of the half of edge e that touches node <paramref name="node"/>.</summary>
    private static int HalfNear(int[] edges, int e, int node) => edges[2 * e] == node ? 2 * e : 2 * e + 1;

    private static void SetChild(
        int[] triangles, int[] triangleEdges, int t, int a, int b, int c, int eab, int ebc, int eca)
    {
        triangles[3 * t] = a;
        triangles[3 * t + 1] = b;
        triangles[3 * t + 2] = c;
        triangleEdges[3 * t] = eab;
        triangleEdges[3 * t + 1] = ebc;
        triangleEdges[3 * t + 2] = eca;
    }

    private static (double[] Latitudes, double[] Longitudes) ComputeLatitudesLongitudes(double[] positions, int n)
    {
        var latitudes = new double[n];
        var longitudes = new double[n];
        for (int i = 0; i < n; i++)
        {
            (latitudes[i], longitudes[i]) = SphericalGeometry.ToLatitudeLongitude(
                positions[3 * i], positions[3 * i + 1], positions[3 * i + 2]);
        }

        return (latitudes, longitudes);
    }

    private static double[] ComputeNodeAreas(double[] positions, int[] triangles, int n)
    {
        // Spherical triangles tile the sphere, so the areas sum to 4 pi up to rounding.
        var areas = new double[n];
        for (int t = 0; t < triangles.Length / 3; t++)
        {
            int a = triangles[3 * t], b = triangles[3 * t + 1], c = triangles[3 * t + 2];
            double third = SphericalGeometry.TriangleArea(positions, a, b, c) / 3.0;
            areas[a] += third;
            areas[b] += third;
            areas[c] += third;
        }

        return areas;
    }

    private static double ComputeMeanEdgeLengthDegrees(double[] positions, int[] edges)
    {
        double sum = 0;
        for (int e = 0; e < edges.Length / 2; e++)
        {
            sum += SphericalGeometry.Angle(positions, edges[2 * e], edges[2 * e + 1]);
        }

        return double.RadiansToDegrees(sum / (edges.Length / 2));
    }
}
