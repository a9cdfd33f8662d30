using WeatherGinr.Core.Mesh;

namespace WeatherGinr.Core.Tests.Mesh;

public class PointLocationTests
{
    private static readonly Icosphere Level3 = Icosphere.Create(3);
    private static readonly Icosphere Level5 = Icosphere.Create(5);

    [Fact]
    public void Every_vertex_is_found_with_weight_one_on_itself()
    {
        foreach (Icosphere mesh in new[] { Level3, Level5 })
        {
            for (int i = 0; i < mesh.NodeCount; i++)
            {
                PointLocation location = mesh.Locate(mesh.LatitudesDegrees[i], mesh.LongitudesDegrees[i]);
                AssertValid(mesh, location, mesh.LatitudesDegrees[i], mesh.LongitudesDegrees[i]);
                Assert.Equal(1.0, WeightOf(location, i), 1e-12);
            }
        }
    }

    [Fact]
    public void Edge_midpoints_split_the_weight_between_the_two_ends()
    {
        // The great-circle midpoint of an edge is the flat edge's midpoint seen from the centre: weights 1/2, 1/2.
        Icosphere mesh = Level3;
        for (int e = 0; e < mesh.EdgeCount; e++)
        {
            int u = mesh.EdgeEndpoints[2 * e], v = mesh.EdgeEndpoints[2 * e + 1];
            (double lat, double lon) = Midpoint(mesh, u, v);
            PointLocation location = mesh.Locate(lat, lon);
            AssertValid(mesh, location, lat, lon);
            Assert.Equal(0.5, WeightOf(location, u), 1e-12);
            Assert.Equal(0.5, WeightOf(location, v), 1e-12);
        }
    }

    [Theory]
    [InlineData(90.0, 0.0, 0)]
    [InlineData(90.0, 123.4, 0)]
    [InlineData(90.0, -180.0, 0)]
    [InlineData(-90.0, 0.0, 11)]
    [InlineData(-90.0, 57.0, 11)]
    [InlineData(-90.0, 180.0, 11)]
    public void Poles_are_the_pole_nodes_whatever_the_longitude(double latitude, double longitude, int node)
    {
        PointLocation location = Level5.Locate(latitude, longitude);
        AssertValid(Level5, location, latitude, longitude);
        Assert.Equal(1.0, WeightOf(location, node), 1e-12);
    }

    [Theory]
    [InlineData(89.9999)]
    [InlineData(-89.9999)]
    [InlineData(45.0)]
    [InlineData(0.0)]
    [InlineData(-26.56505117707799)] // the southern ring of the icosahedron
    public void Points_on_either_side_of_the_dateline_are_located_and_reconstructed(double latitude)
    {
        foreach (double longitude in new[] { 179.999, -179.999, 180.0, -180.0, 540.0 })
        {
            AssertValid(Level5, Level5.Locate(latitude, longitude), latitude, longitude);
        }

        // 180 and -180 (and 540) are the same meridian: the same weight on every node, even where the point is
        // on an edge and rounding picks a different one of the two triangles.
        AssertSameWeights(Level5.Locate(latitude, 180.0), Level5.Locate(latitude, -180.0));
        AssertSameWeights(Level5.Locate(latitude, 180.0), Level5.Locate(latitude, 540.0));

        // Two points 0.002 degrees apart across the dateline sit in the same or touching triangles.
        PointLocation east = Level5.Locate(latitude, 179.999), west = Level5.Locate(latitude, -179.999);
        int[] eastNodes = [east.NodeA, east.NodeB, east.NodeC], westNodes = [west.NodeA, west.NodeB, west.NodeC];
        Assert.NotEmpty(eastNodes.Intersect(westNodes));
    }

    [Fact]
    public void Random_points_agree_with_a_brute_force_search()
    {
        var random = new Random(7);
        Icosphere mesh = Level3;
        for (int trial = 0; trial < 5000; trial++)
        {
            double latitude = double.RadiansToDegrees(Math.Asin(2 * random.NextDouble() - 1));
            double longitude = 360 * random.NextDouble() - 180;
            PointLocation location = mesh.Locate(latitude, longitude);
            AssertValid(mesh, location, latitude, longitude);

            // Independent truth: the triangle whose three edge planes all have the point on their inner side.
            (double x, double y, double z) = UnitVector(latitude, longitude);
            double bestMargin = double.NegativeInfinity;
            int best = -1;
            for (int t = 0; t < mesh.TriangleCount; t++)
            {
                int a = mesh.Triangles[3 * t], b = mesh.Triangles[3 * t + 1], c = mesh.Triangles[3 * t + 2];
                double margin = Math.Min(Math.Min(Side(mesh, b, c, x, y, z), Side(mesh, c, a, x, y, z)),
                    Side(mesh, a, b, x, y, z));
                if (margin > bestMargin)
                {
                    bestMargin = margin;
                    best = t;
                }
            }

            Assert.Equal(best, location.Triangle);
        }
    }

    [Theory]
    [InlineData(90.0000001, 0.0)]
    [InlineData(-91.0, 0.0)]
    [InlineData(double.NaN, 0.0)]
    [InlineData(0.0, double.PositiveInfinity)]
    [InlineData(0.0, double.NaN)]
    public void Invalid_coordinates_are_rejected(double latitude, double longitude)
        => Assert.Throws<ArgumentOutOfRangeException>(() => Level3.Locate(latitude, longitude));

    /// <summary>Weights in [0, 1] summing to 1, and normalize(sum w_i p_i) is the query point to 1e-12.</summary>
    internal static void AssertValid(Icosphere mesh, PointLocation location, double latitude, double longitude)
    {
        Assert.InRange(location.WeightA, -1e-12, 1.0 + 1e-12);
        Assert.InRange(location.WeightB, -1e-12, 1.0 + 1e-12);
        Assert.InRange(location.WeightC, -1e-12, 1.0 + 1e-12);
        Assert.Equal(1.0, location.WeightA + location.WeightB + location.WeightC, 1e-14);
        int t = location.Triangle;
        Assert.Equal([location.NodeA, location.NodeB, location.NodeC], mesh.Triangles.AsSpan(3 * t, 3).ToArray());

        double[] p = mesh.Positions;
        double rx = 0, ry = 0, rz = 0;
        foreach ((int node, double weight) in new[]
                 {
                     (location.NodeA, location.WeightA), (location.NodeB, location.WeightB),
                     (location.NodeC, location.WeightC),
                 })
        {
            rx += weight * p[3 * node];
            ry += weight * p[3 * node + 1];
            rz += weight * p[3 * node + 2];
        }

        double norm = Math.Sqrt(rx * rx + ry * ry + rz * rz);
        (double x, double y, double z) = UnitVector(latitude, longitude);
        Assert.True(Math.Abs(rx / norm - x) <= 1e-12 && Math.Abs(ry / norm - y) <= 1e-12
            && Math.Abs(rz / norm - z) <= 1e-12, $"({latitude}, {longitude}) is not reconstructed");
    }

    private static void AssertSameWeights(PointLocation first, PointLocation second)
    {
        foreach (int node in new[] { first.NodeA, first.NodeB, first.NodeC, second.NodeA, second.NodeB, second.NodeC })
        {
            Assert.Equal(WeightOf(first, node), WeightOf(second, node), 1e-12);
        }
    }

    private static double WeightOf(PointLocation location, int node)
        => (location.NodeA == node ? location.WeightA : 0) + (location.NodeB == node ? location.WeightB : 0)
            + (location.NodeC == node ? location.WeightC : 0);

    private static (double Latitude, double Longitude) Midpoint(Icosphere mesh, int u, int v)
    {
        double[] p = mesh.Positions;
        double x = p[3 * u] + p[3 * v], y = p[3 * u + 1] + p[3 * v + 1], z = p[3 * u + 2] + p[3 * v + 2];
        return (double.RadiansToDegrees(Math.Atan2(z, Math.Sqrt(x * x + y * y))),
            double.RadiansToDegrees(Math.Atan2(y, x)));
    }

    private static (double X, double Y, double Z) UnitVector(double latitude, double longitude)
    {
        double lat = double.DegreesToRadians(latitude), lon = double.DegreesToRadians(longitude);
        return (Math.Cos(lat) * Math.Cos(lon), Math.Cos(lat) * Math.Sin(lon), Math.Sin(lat));
    }

    private static double Side(Icosphere mesh, int u, int v, double x, double y, double z)
    {
        double[] p = mesh.Positions;
        double cx = p[3 * u + 1] * p[3 * v + 2] - p[3 * u + 2] * p[3 * v + 1];
        double cy = p[3 * u + 2] * p[3 * v] - p[3 * u] * p[3 * v + 2];
        double cz = p[3 * u] * p[3 * v + 1] - p[3 * u + 1] * p[3 * v];
        return x * cx + y * cy + z * cz;
    }
}
