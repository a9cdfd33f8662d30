using WeatherGinr.Core.Mesh;
using WeatherGinr.Core.Spectral;

namespace WeatherGinr.Core.Tests.Spectral;

public class SpectralEmbeddingTests
{
    private static readonly Lazy<SpectralEmbedding> Level4 =
        new(() => SpectralEmbedding.FromEigenbasis(4, SolvedBases.K100(4)));

    [Fact]
    public void Columns_have_unit_root_mean_square_and_the_first_is_constant_one()
    {
        SpectralEmbedding embedding = Level4.Value;
        Assert.Equal("ico4-combinatorial-k100-s3", embedding.Id);
        Assert.Equal(2562, embedding.NodeCount);
        Assert.Equal(100, embedding.Columns);
        Assert.Equal(2562 * 100, embedding.Values.Length);

        for (int j = 0; j < embedding.Columns; j++)
        {
            double sumOfSquares = 0;
            for (int i = 0; i < embedding.NodeCount; i++)
            {
                double value = embedding.Values[i * embedding.Columns + j];
                sumOfSquares += value * value;
            }

            Assert.Equal(1.0, Math.Sqrt(sumOfSquares / embedding.NodeCount), 1e-5);
        }

        for (int i = 0; i < embedding.NodeCount; i++)
        {
            Assert.Equal(1.0f, embedding.Values[i * embedding.Columns], 1e-5);
        }
    }

    [Fact]
    public void At_a_node_the_point_embedding_is_the_node_row()
    {
        SpectralEmbedding embedding = Level4.Value;
        Icosphere mesh = SolvedBases.Mesh(4);
        var destination = new float[embedding.Columns];
        foreach (int node in new[] { 0, 11, 12, 500, 2561 })
        {
            embedding.EvaluateAt(mesh, mesh.LatitudesDegrees[node], mesh.LongitudesDegrees[node], destination);
            ReadOnlySpan<float> row = embedding.Row(node);
            for (int j = 0; j < embedding.Columns; j++)
            {
                Assert.Equal(row[j], destination[j], 1e-5);
            }
        }
    }

    [Fact]
    public void At_an_edge_midpoint_the_point_embedding_is_the_mean_of_the_two_rows()
    {
        SpectralEmbedding embedding = Level4.Value;
        Icosphere mesh = SolvedBases.Mesh(4);
        var fine = SolvedBases.Mesh(5);
        var destination = new float[embedding.Columns];
        for (int e = 0; e < mesh.EdgeCount; e += 97)
        {
            // Level 5 node n_4 + e is exactly the great-circle midpoint of level 4 edge e.
            int u = mesh.EdgeEndpoints[2 * e], v = mesh.EdgeEndpoints[2 * e + 1], m = mesh.NodeCount + e;
            embedding.EvaluateAt(mesh, fine.LatitudesDegrees[m], fine.LongitudesDegrees[m], destination);
            for (int j = 0; j < embedding.Columns; j++)
            {
                float expected = 0.5f * (embedding.Row(u)[j] + embedding.Row(v)[j]);
                Assert.Equal(expected, destination[j], 1e-4);
            }
        }
    }

    [Fact]
    public void A_mesh_of_another_level_is_rejected()
    {
        var destination = new float[100];
        Assert.Throws<ArgumentException>(() => Level4.Value.EvaluateAt(SolvedBases.Mesh(3), 0, 0, destination));
        Assert.Throws<ArgumentException>(() => Level4.Value.EvaluateAt(SolvedBases.Mesh(4), 0, 0, new float[99]));
    }
}
