namespace WeatherGinr.Training.Tests;

/// <summary>
/// A small icosphere for tests: an icosahedron whose triangles are split in four `level` times, midpoints
/// projected onto the unit sphere. Level L has 10 * 4^L + 2 nodes and 30 * 4^L edges.
/// </summary>
internal sealed class TestIcosphere
{
    public TestIcosphere(int level)
    {
        var golden = (1.0 + Math.Sqrt(5.0)) / 2.0;
        var points = new List<(double X, double Y, double Z)>
        {
            (-1, golden, 0), (1, golden, 0), (-1, -golden, 0), (1, -golden, 0),
            (0, -1, golden), (0, 1, golden), (0, -1, -golden), (0, 1, -golden),
            (golden, 0, -1), (golden, 0, 1), (-golden, 0, -1), (-golden, 0, 1),
        };
        points = points.Select(Normalise).ToList();
        List<(int A, int B, int C)> faces =
        [
            (0, 11, 5), (0, 5, 1), (0, 1, 7), (0, 7, 10), (0, 10, 11), (1, 5, 9), (5, 11, 4), (11, 10, 2),
            (10, 7, 6), (7, 1, 8), (3, 9, 4), (3, 4, 2), (3, 2, 6), (3, 6, 8), (3, 8, 9), (4, 9, 5),
            (2, 4, 11), (6, 2, 10), (8, 6, 7), (9, 8, 1),
        ];

        for (var subdivision = 0; subdivision < level; subdivision++)
        {
            var midpoints = new Dictionary<(int, int), int>();
            int Midpoint(int a, int b)
            {
                var key = (Math.Min(a, b), Math.Max(a, b));
                if (!midpoints.TryGetValue(key, out var index))
                {
                    var (p, q) = (points[a], points[b]);
                    points.Add(Normalise((p.X + q.X, p.Y + q.Y, p.Z + q.Z)));
                    index = midpoints[key] = points.Count - 1;
                }

                return index;
            }

            faces = faces.SelectMany(face =>
            {
                var (ab, bc, ca) = (Midpoint(face.A, face.B), Midpoint(face.B, face.C), Midpoint(face.C, face.A));
                return new[] { (face.A, ab, ca), (face.B, bc, ab), (face.C, ca, bc), (ab, bc, ca) };
            }).ToList();
        }

        var edges = faces.SelectMany(face => new[] { (face.A, face.B), (face.B, face.C), (face.C, face.A) })
            .Select(edge => (Math.Min(edge.Item1, edge.Item2), Math.Max(edge.Item1, edge.Item2)))
            .Distinct().ToArray();
        X = points.Select(point => point.X).ToArray();
        Y = points.Select(point => point.Y).ToArray();
        Z = points.Select(point => point.Z).ToArray();
        Graph = new MeshGraph(points.Count, edges.Select(edge => edge.Item1).ToArray(),
            edges.Select(edge => edge.Item2).ToArray());
    }

    public int NodeCount => X.Length;

    public double[] X { get; }

    public double[] Y { get; }

    public double[] Z { get; }

    public MeshGraph Graph { get; }

    private static (double X, double Y, double Z) Normalise((double X, double Y, double Z) point)
    {
        var length = Math.Sqrt((point.X * point.X) + (point.Y * point.Y) + (point.Z * point.Z));
        return (point.X / length, point.Y / length, point.Z / length);
    }
}
