using WeatherGinr.Core.Mesh;

namespace WeatherGinr.Core.Tests.Mesh;

public class IcosphereTests
{
    [Theory]
    [InlineData(0, 12, 30, 20)]
    [InlineData(1, 42, 120, 80)]
    [InlineData(2, 162, 480, 320)]
    [InlineData(3, 642, 1920, 1280)]
    [InlineData(4, 2562, 7680, 5120)]
    [InlineData(5, 10242, 30720, 20480)]
    [InlineData(6, 40962, 122880, 81920)]
    public void Counts_match_the_closed_forms(int level, int nodes, int edges, int triangles)
    {
        var mesh = Icosphere.Create(level);

        Assert.Equal(nodes, mesh.NodeCount);
        Assert.Equal(edges, mesh.EdgeCount);
        Assert.Equal(triangles, mesh.TriangleCount);
        Assert.Equal(3 * nodes, mesh.Positions.Length);
        Assert.Equal(2 * edges, mesh.EdgeEndpoints.Length);
        Assert.Equal(3 * triangles, mesh.Triangles.Length);
        Assert.Equal(2, mesh.NodeCount - mesh.EdgeCount + mesh.TriangleCount); // Euler characteristic of a sphere
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Nodes_of_a_level_are_the_first_nodes_of_the_next_bit_for_bit(int level)
    {
        var coarse = Icosphere.Create(level);
        var fine = Icosphere.Create(level + 1);

        Assert.True(coarse.Positions.AsSpan().SequenceEqual(fine.Positions.AsSpan(0, coarse.Positions.Length)));
        for (int e = 0; e < coarse.EdgeCount; e++)
        {
            // Node n_L + e of level L + 1 is the normalised midpoint of edge e of level L.
            int u = coarse.EdgeEndpoints[2 * e], v = coarse.EdgeEndpoints[2 * e + 1], m = coarse.NodeCount + e;
            double x = coarse.Positions[3 * u] + coarse.Positions[3 * v];
            double y = coarse.Positions[3 * u + 1] + coarse.Positions[3 * v + 1];
            double z = coarse.Positions[3 * u + 2] + coarse.Positions[3 * v + 2];
            double norm = Math.Sqrt(x * x + y * y + z * z);
            Assert.Equal(x / norm, fine.Positions[3 * m], 1e-15);
            Assert.Equal(y / norm, fine.Positions[3 * m + 1], 1e-15);
            Assert.Equal(z / norm, fine.Positions[3 * m + 2], 1e-15);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(6)]
    public void Node_areas_are_positive_and_sum_to_four_pi(int level)
    {
        var mesh = Icosphere.Create(level);

        Assert.All(mesh.NodeAreas, area => Assert.True(area > 0));
        Assert.Equal(4 * Math.PI, mesh.NodeAreas.Sum(), 1e-11);
        if (level == 0)
        {
            // Twelve equal nodes of a regular icosahedron.
            Assert.All(mesh.NodeAreas, area => Assert.Equal(4 * Math.PI / 12, area, 1e-14));
        }
    }

    [Fact]
    public void Triangles_are_counter_clockwise_seen_from_outside_and_every_edge_has_two_triangles()
    {
        var mesh = Icosphere.Create(4);
        var sides = new Dictionary<(int, int), int>();
        for (int t = 0; t < mesh.TriangleCount; t++)
        {
            int a = mesh.Triangles[3 * t], b = mesh.Triangles[3 * t + 1], c = mesh.Triangles[3 * t + 2];
            Assert.True(Determinant(mesh.Positions, a, b, c) > 0, $"triangle {t} is clockwise");
            foreach ((int u, int v) in new[] { (a, b), (b, c), (c, a) })
            {
                var key = (Math.Min(u, v), Math.Max(u, v));
                sides[key] = sides.GetValueOrDefault(key) + 1;
            }
        }

        var edges = new HashSet<(int, int)>();
        for (int e = 0; e < mesh.EdgeCount; e++)
        {
            int u = mesh.EdgeEndpoints[2 * e], v = mesh.EdgeEndpoints[2 * e + 1];
            Assert.True(edges.Add((Math.Min(u, v), Math.Max(u, v))), $"edge {e} is listed twice");
        }

        Assert.Equal(edges.OrderBy(x => x), sides.Keys.OrderBy(x => x));
        Assert.All(sides.Values, count => Assert.Equal(2, count));
    }

    [Fact]
    public void Positions_are_unit_vectors_and_latitude_longitude_agree_with_them()
    {
        var mesh = Icosphere.Create(4);
        for (int i = 0; i < mesh.NodeCount; i++)
        {
            double x = mesh.Positions[3 * i], y = mesh.Positions[3 * i + 1], z = mesh.Positions[3 * i + 2];
            Assert.Equal(1.0, Math.Sqrt(x * x + y * y + z * z), 1e-15);
            Assert.InRange(mesh.LongitudesDegrees[i], -180.0, 179.99999999999);
            Assert.Equal(Math.Asin(z), double.DegreesToRadians(mesh.LatitudesDegrees[i]), 1e-12);
        }

        Assert.Equal(90.0, mesh.LatitudesDegrees[0]);
        Assert.Equal(-90.0, mesh.LatitudesDegrees[11]);
    }

    [Fact]
    public void Degrees_are_five_at_the_twelve_original_nodes_and_six_elsewhere()
    {
        var mesh = Icosphere.Create(3);
        var degree = new int[mesh.NodeCount];
        foreach (int node in mesh.EdgeEndpoints)
        {
            degree[node]++;
        }

        Assert.All(degree.Take(12), d => Assert.Equal(5, d));
        Assert.All(degree.Skip(12), d => Assert.Equal(6, d));
    }

    [Fact]
    public void Mean_edge_length_of_the_icosahedron_is_its_central_angle()
    {
        // Neighbouring icosahedron vertices subtend arccos(1 / sqrt 5) = 63.4349... degrees.
        double centralAngle = double.RadiansToDegrees(Math.Acos(1 / Math.Sqrt(5)));
        Assert.Equal(centralAngle, Icosphere.Create(0).MeanEdgeLengthDegrees, 1e-12);
        double level5 = Icosphere.Create(5).MeanEdgeLengthDegrees;
        Assert.InRange(level5, 63.43 / 32 * 0.95, 63.43 / 32 * 1.2);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(9)]
    public void Levels_outside_zero_to_eight_are_rejected(int level)
        => Assert.Throws<ArgumentOutOfRangeException>(() => Icosphere.Create(level));

    private static double Determinant(double[] p, int a, int b, int c)
        => p[3 * a] * (p[3 * b + 1] * p[3 * c + 2] - p[3 * b + 2] * p[3 * c + 1])
            + p[3 * a + 1] * (p[3 * b + 2] * p[3 * c] - p[3 * b] * p[3 * c + 2])
            + p[3 * a + 2] * (p[3 * b] * p[3 * c + 1] - p[3 * b + 1] * p[3 * c]);
}
