using MathNet.Numerics.LinearAlgebra;

namespace WeatherGinr.Core.Spectral;

/// <summary>
/// Aligns a finer icosphere level's embedding to a coarser one so that a network trained on the coarse
/// embedding can be evaluated on the fine mesh.
/// </summary>
/// <remarks>
/// Eigenvectors are defined up to sign and, inside a degenerate cluster, up to any rotation; on a sphere a
/// sign flip alone cannot undo a rotation. For every group of columns (the finest partition whose boundaries
/// are cluster boundaries at both levels, so irreducible parts that swap order between levels stay
/// together) the orthogonal Procrustes problem <c>min_R ||F_G R - C_G||</c> over the shared nodes (the first
/// n_coarse nodes of the fine level are the coarse nodes) is solved by <c>R = P Q^T</c> from the SVD
/// <c>F_G^T C_G = P S Q^T</c> (Schoenemann 1966). The fine columns are then <c>F_G R</c> on every node.
/// </remarks>
public static class SpectralAlignment
{
    /// <summary>The fine embedding with its columns rotated per cluster to match the coarse one.</summary>
    public static SpectralEmbedding AlignTo(SpectralEmbedding coarse, SpectralEmbedding fine)
        => Align(coarse, fine).Aligned;

    /// <summary>
    /// Aligns and reports, per column, the root-mean-square difference between the aligned fine embedding and
    /// the coarse one on the shared nodes (both have unit root-mean-square columns).
    /// </summary>
    public static SpectralAlignmentReport Align(SpectralEmbedding coarse, SpectralEmbedding fine)
    {
        ArgumentNullException.ThrowIfNull(coarse);
        ArgumentNullException.ThrowIfNull(fine);
        if (fine.Level < coarse.Level || fine.Columns != coarse.Columns)
        {
            throw new ArgumentException(
                $"Cannot align '{fine.Id}' to '{coarse.Id}': the fine embedding needs a level at or above the coarse "
                + "one and the same number of columns.", nameof(fine));
        }

        int k = coarse.Columns, shared = coarse.NodeCount, n = fine.NodeCount;
        List<int> groups = CommonGroups(coarse.ClusterSizes, fine.ClusterSizes, k);
        var values = (float[])fine.Values.Clone();
        int start = 0;
        foreach (int size in groups)
        {
            // Cross product F_G^T C_G over the shared nodes, in double precision.
            var cross = Matrix<double>.Build.Dense(size, size);
            for (int i = 0; i < shared; i++)
            {
                int fineRow = i * k + start, coarseRow = i * k + start;
                for (int a = 0; a < size; a++)
                {
                    double f = fine.Values[fineRow + a];
                    for (int b = 0; b < size; b++)
                    {
                        cross[a, b] += f * coarse.Values[coarseRow + b];
                    }
                }
            }

            var svd = cross.Svd(computeVectors: true);
            Matrix<double> rotation = svd.U * svd.VT;
            var row = new double[size];
            for (int i = 0; i < n; i++)
            {
                for (int b = 0; b < size; b++)
                {
                    double sum = 0;
                    for (int a = 0; a < size; a++)
                    {
                        sum += fine.Values[i * k + start + a] * rotation[a, b];
                    }

                    row[b] = sum;
                }

                for (int b = 0; b < size; b++)
                {
                    values[i * k + start + b] = (float)row[b];
                }
            }

            start += size;
        }

        var errors = new double[k];
        for (int j = 0; j < k; j++)
        {
            double sum = 0;
            for (int i = 0; i < shared; i++)
            {
                double difference = values[i * k + j] - coarse.Values[i * k + j];
                sum += difference * difference;
            }

            errors[j] = Math.Sqrt(sum / shared);
        }

        var aligned = new SpectralEmbedding(
            fine.Level, n, k, values, fine.Eigenvalues, fine.MaxRelativeResidual, fine.ClusterSizes,
            fine.ClusterCompleteCount, $"{fine.Id}-aligned-ico{coarse.Level}");
        return new SpectralAlignmentReport(aligned, errors, groups);
    }

    /// <summary>Sizes of the groups delimited by boundaries present in both cluster partitions.</summary>
    private static List<int> CommonGroups(IReadOnlyList<int> coarse, IReadOnlyList<int> fine, int columns)
    {
        var coarseEnds = new HashSet<int>();
        int end = 0;
        foreach (int size in coarse)
        {
            coarseEnds.Add(end += size);
        }

        var groups = new List<int>();
        int start = 0;
        end = 0;
        foreach (int size in fine)
        {
            end += size;
            if (coarseEnds.Contains(end) || end == columns)
            {
                groups.Add(end - start);
                start = end;
            }
        }

        if (start < columns)
        {
            groups.Add(columns - start);
        }

        return groups;
    }
}

/// <summary>Result of <see cref="SpectralAlignment.Align"/>.</summary>
/// <param name="Aligned">The fine embedding, rotated per group.</param>
/// <param name="ColumnRmsErrors">Per column, RMS of (aligned fine - coarse) on the shared nodes.</param>
/// <param name="GroupSizes">Sizes of the column groups rotated together.</param>
public sealed record SpectralAlignmentReport(
    SpectralEmbedding Aligned, IReadOnlyList<double> ColumnRmsErrors, IReadOnlyList<int> GroupSizes);
