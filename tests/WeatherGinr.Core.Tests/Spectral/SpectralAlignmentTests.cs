using WeatherGinr.Core.Spectral;
using Xunit.Abstractions;

namespace WeatherGinr.Core.Tests.Spectral;

public class SpectralAlignmentTests(ITestOutputHelper output)
{
    [Fact]
    public void Aligned_fine_eigenvectors_restricted_to_coarse_nodes_match_the_coarse_ones()
    {
        SpectralEmbedding coarse = SpectralEmbedding.FromEigenbasis(4, SolvedBases.K100(4));
        SpectralEmbedding fine = SpectralEmbedding.FromEigenbasis(5, SolvedBases.K100(5));

        SpectralAlignmentReport report = SpectralAlignment.Align(coarse, fine);
        double[] unaligned = RmsErrors(coarse, fine);
        double[] signOnly = RmsErrors(coarse, SignAligned(coarse, fine));
        IReadOnlyList<double> aligned = report.ColumnRmsErrors;
        output.WriteLine($"groups: {string.Join(",", report.GroupSizes)}");
        for (int l = 0; l <= 9; l++)
        {
            int first = l * l, count = 2 * l + 1;
            output.WriteLine($"l={l}: max RMS error aligned {aligned.Skip(first).Take(count).Max():E2}, "
                + $"sign-only {signOnly.Skip(first).Take(count).Max():E2}, "
                + $"raw {unaligned.Skip(first).Take(count).Max():E2}");
        }

        Assert.Equal(100, report.GroupSizes.Sum());
        Assert.Equal(fine.Eigenvalues, report.Aligned.Eigenvalues);

        // Columns are unit-RMS functions; after alignment the two levels agree to within discretisation error
        // that grows with the wavenumber l (measured: 1.2e-4 at l = 1, 4e-3 at l = 6, 1e-2 at l = 9).
        Assert.True(aligned.Take(9).Max() < 1e-3, $"l <= 2 error {aligned.Take(9).Max():E2}");
        Assert.True(aligned.Take(49).Max() < 1e-2, $"l <= 6 error {aligned.Take(49).Max():E2}");
        Assert.True(aligned.Max() < 0.03, $"l <= 9 error {aligned.Max():E2}");

        // Inside degenerate clusters signs alone cannot do it: Procrustes beats the best sign flips.
        Assert.True(aligned.Sum() < 0.5 * signOnly.Sum(), "Procrustes is not better than sign flips");

        // Rotations keep the fine columns orthonormal (unit RMS, zero mean products).
        AssertOrthonormalColumns(report.Aligned);
    }

    [Fact]
    public void Aligning_an_embedding_to_itself_changes_nothing()
    {
        SpectralEmbedding embedding = SpectralEmbedding.FromEigenbasis(4, SolvedBases.K100(4));
        SpectralAlignmentReport report = SpectralAlignment.Align(embedding, embedding);
        Assert.True(report.ColumnRmsErrors.Max() < 1e-5);
    }

    private static double[] RmsErrors(SpectralEmbedding coarse, SpectralEmbedding fine)
    {
        int k = coarse.Columns;
        var errors = new double[k];
        for (int j = 0; j < k; j++)
        {
            double sum = 0;
            for (int i = 0; i < coarse.NodeCount; i++)
            {
                double d = fine.Values[i * k + j] - coarse.Values[i * k + j];
                sum += d * d;
            }

            errors[j] = Math.Sqrt(sum / coarse.NodeCount);
        }

        return errors;
    }

    private static SpectralEmbedding SignAligned(SpectralEmbedding coarse, SpectralEmbedding fine)
    {
        int k = coarse.Columns;
        var values = (float[])fine.Values.Clone();
        for (int j = 0; j < k; j++)
        {
            double dot = 0;
            for (int i = 0; i < coarse.NodeCount; i++)
            {
                dot += fine.Values[i * k + j] * coarse.Values[i * k + j];
            }

            if (dot < 0)
            {
                for (int i = 0; i < fine.NodeCount; i++)
                {
                    values[i * k + j] = -values[i * k + j];
                }
            }
        }

        return SpectralAlignment.Align(fine, fine).Aligned is { } template
            ? CopyWith(template, values)
            : throw new InvalidOperationException();
    }

    private static SpectralEmbedding CopyWith(SpectralEmbedding template, float[] values)
    {
        Array.Copy(values, template.Values, values.Length);
        return template;
    }

    private static void AssertOrthonormalColumns(SpectralEmbedding embedding)
    {
        int k = embedding.Columns, n = embedding.NodeCount;
        foreach ((int a, int b) in new[] { (0, 0), (1, 2), (4, 8), (9, 15), (50, 50), (81, 99), (99, 99) })
        {
            double dot = 0;
            for (int i = 0; i < n; i++)
            {
                dot += (double)embedding.Values[i * k + a] * embedding.Values[i * k + b];
            }

            Assert.Equal(a == b ? 1.0 : 0.0, dot / n, 1e-5);
        }
    }
}
