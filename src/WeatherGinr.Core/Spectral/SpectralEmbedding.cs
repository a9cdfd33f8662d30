using System.Globalization;
using WeatherGinr.Core.Mesh;

namespace WeatherGinr.Core.Spectral;

/// <summary>
/// The GINR input coordinates of an icosphere: <c>e_i = sqrt(n) [u_1,i ... u_k,i]</c>, the first k Laplacian
/// eigenvectors (the constant one included) scaled so that every column has unit root-mean-square.
/// </summary>
/// <remarks>Values are single precision (what the networks consume); the eigenvalues stay double.</remarks>
public sealed class SpectralEmbedding
{
    /// <summary>The only Laplacian kind built today; part of the content id.</summary>
    public const string CombinatorialKind = "combinatorial";

    internal SpectralEmbedding(
        int level, int nodeCount, int columns, float[] values, double[] eigenvalues, double maxRelativeResidual,
        IReadOnlyList<int> clusterSizes, int clusterCompleteCount, string? id = null)
    {
        ClusterCompleteCount = clusterCompleteCount;
        Level = level;
        NodeCount = nodeCount;
        Columns = columns;
        Values = values;
        Eigenvalues = eigenvalues;
        MaxRelativeResidual = maxRelativeResidual;
        ClusterSizes = clusterSizes;
        Id = id ?? ContentId(level, columns);
    }

    /// <summary>Content id: mesh level, Laplacian kind, column count and solver version.</summary>
    public string Id { get; }

    /// <summary>Icosphere level.</summary>
    public int Level { get; }

    /// <summary>Number of nodes n.</summary>
    public int NodeCount { get; }

    /// <summary>Number of columns k.</summary>
    public int Columns { get; }

    /// <summary>n x Columns, row-major: row i is node i's embedding.</summary>
    public float[] Values { get; }

    /// <summary>Eigenvalues of the columns, ascending.</summary>
    public double[] Eigenvalues { get; }

    /// <summary>Worst relative residual of the eigenpairs behind the columns.</summary>
    public double MaxRelativeResidual { get; }

    /// <summary>Sizes of degenerate eigenvalue clusters among the columns.</summary>
    public IReadOnlyList<int> ClusterSizes { get; }

    /// <summary>Smallest column count at or above <see cref="Columns"/> that ends on a cluster boundary.</summary>
    public int ClusterCompleteCount { get; }

    /// <summary>True when <see cref="Columns"/> splits a degenerate eigenvalue cluster.</summary>
    public bool CutsCluster => ClusterCompleteCount != Columns;

    /// <summary>Content id of an embedding, for example <c>ico5-combinatorial-k100-s3</c>.</summary>
    public static string ContentId(int level, int columns)
        => string.Create(CultureInfo.InvariantCulture,
            $"ico{level}-{CombinatorialKind}-k{columns}-s{LaplacianEigensolver.SolverVersion}");

    /// <summary>Scales an eigenbasis of icosphere level <paramref name="level"/> into an embedding.</summary>
    public static SpectralEmbedding FromEigenbasis(int level, LaplacianEigenbasis basis)
    {
        ArgumentNullException.ThrowIfNull(basis);
        if (basis.NodeCount != Icosphere.NodeCountAt(level))
        {
            throw new ArgumentException(
                $"The eigenbasis has {basis.NodeCount} nodes; icosphere level {level} has "
                + $"{Icosphere.NodeCountAt(level)}.", nameof(basis));
        }

        int n = basis.NodeCount, k = basis.Count;
        double scale = Math.Sqrt(n);
        var values = new float[n * k];
        for (int j = 0; j < k; j++)
        {
            ReadOnlySpan<double> u = basis.Vector(j);
            for (int i = 0; i < n; i++)
            {
                values[i * k + j] = (float)(scale * u[i]);
            }
        }

        return new SpectralEmbedding(
            level, n, k, values, (double[])basis.Eigenvalues.Clone(), basis.MaxRelativeResidual, basis.ClusterSizes,
            basis.ClusterCompleteCount);
    }

    /// <summary>
    /// The first <paramref name="columns"/> columns (a prefix of the spectrum), with the cluster sizes and the
    /// next cluster boundary recounted; the residual stays the whole embedding's (an upper bound).
    /// </summary>
    internal SpectralEmbedding TakeColumns(int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(columns, Columns);
        var values = new float[NodeCount * columns];
        for (int i = 0; i < NodeCount; i++)
        {
            Array.Copy(Values, (long)i * Columns, values, (long)i * columns, columns);
        }

        // Walk the clusters: sizes inside the prefix, and the first boundary at or after it.
        var sizes = new List<int>();
        int covered = 0, complete = Columns;
        foreach (int size in ClusterSizes)
        {
            sizes.Add(Math.Min(size, columns - covered));
            covered += size;
            if (covered >= columns)
            {
                complete = covered;
                break;
            }
        }

        if (complete == Columns)
        {
            complete = ClusterCompleteCount;
        }

        return new SpectralEmbedding(
            Level, NodeCount, columns, values, Eigenvalues[..columns], MaxRelativeResidual, sizes, complete);
    }

    /// <summary>Row i (node i's embedding).</summary>
    public ReadOnlySpan<float> Row(int node)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(node);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(node, NodeCount);
        return Values.AsSpan(node * Columns, Columns);
    }

    /// <summary>
    /// Embedding at any point: barycentric interpolation of the three node rows of the containing triangle of
    /// <paramref name="mesh"/>, which must be the icosphere of this embedding's level.
    /// </summary>
    public void EvaluateAt(Icosphere mesh, double latitudeDegrees, double longitudeDegrees, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        if (mesh.Level != Level)
        {
            throw new ArgumentException(
                $"The mesh is icosphere level {mesh.Level}; embedding '{Id}' belongs to level {Level}.", nameof(mesh));
        }

        EvaluateAt(mesh.Locate(latitudeDegrees, longitudeDegrees), destination);
    }

    /// <summary>
    /// The embedding at a point already located on this embedding's mesh: the barycentric mix of the
    /// containing triangle's rows. Lets a caller that needs the location anyway locate only once.
    /// </summary>
    public void EvaluateAt(PointLocation location, Span<float> destination)
    {
        if (destination.Length < Columns)
        {
            throw new ArgumentException(
                $"The destination holds {destination.Length} values; the embedding has {Columns} columns.",
                nameof(destination));
        }

        ReadOnlySpan<float> a = Row(location.NodeA), b = Row(location.NodeB), c = Row(location.NodeC);
        float wa = (float)location.WeightA, wb = (float)location.WeightB, wc = (float)location.WeightC;
        for (int j = 0; j < Columns; j++)
        {
            destination[j] = wa * a[j] + wb * b[j] + wc * c[j];
        }
    }
}
