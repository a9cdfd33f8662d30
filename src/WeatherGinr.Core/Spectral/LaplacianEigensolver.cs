using System.Diagnostics;
using WeatherGinr.Core.Mesh;

namespace WeatherGinr.Core.Spectral;

/// <summary>
/// The lowest k eigenpairs of a combinatorial graph Laplacian, in double precision, with every residual
/// <c>||L u - lambda u|| &lt;= Tolerance * ||L||</c> and orthonormal vectors.
/// </summary>
/// <remarks>
/// <para>
/// Small graphs (at most <see cref="EigensolverOptions.DenseNodeLimit"/> nodes) use a dense symmetric
/// eigendecomposition. Larger ones use Chebyshev-filtered subspace iteration on a block of k plus guard
/// vectors. On an icosphere the solve is multilevel: the coarsest level with room for the block is solved
/// densely, its eigenvectors are prolonged to the next level (a new node, the midpoint of a coarse edge, takes
/// the mean of the edge's two ends) and refined there, and so on up to the requested level. The prolonged
/// block is already close to the fine invariant subspace, so each level needs only a few filter rounds: the
/// first one filters before any Rayleigh-Ritz, placed by the coarse Ritz values (see <see cref="ProlongedStart"/>).
/// Intermediate levels stop at <see cref="EigensolverOptions.IntermediateTolerance"/>: measured at level 7, a
/// tighter coarse solve does not shorten the finest level, whose work is set by the difference between the
/// two discretisations.
/// </para>
/// <para>Every level has an iteration cap; hitting it throws <see cref="EigensolverNotConvergedException"/>.</para>
/// </remarks>
public static class LaplacianEigensolver
{
    /// <summary>Version of the numerical method; part of every cached embedding's content id.</summary>
    /// <remarks>
    /// 2: coarsest dense level with just more nodes than the block's width, filter-first rounds after each
    /// prolongation (smoothing and main filter back to back), in-place Chebyshev recurrence.
    /// 3: the first filter after each prolongation to a level of at least 30,000 nodes runs in single precision,
    /// followed on the requested level by a short double-precision cleanup filter; same contract, different
    /// rounding, so version 2 files are not reused.
    /// </remarks>
    public const int SolverVersion = 3;

    private const int LanczosSteps = 40;

    /// <summary>Ratio of an eigenvalue on level L + 1 to the same one on level L: lambda ~ h^2, h halves.</summary>
    private const double LevelEigenvalueRatio = 0.25;

    /// <summary>Nodes beyond the block's width that the densely solved coarsest level must have.</summary>
    private const int CoarseSpareNodes = 16;

    /// <summary>Smoothing degree after a prolongation to an intermediate level (tolerance 1e-5).</summary>
    private const int IntermediateSmoothingDegree = 20;

    /// <summary>Smoothing degree after the prolongation to the requested level.</summary>
    private const int FinalSmoothingDegree = 40;

    /// <summary>
    /// The same in single precision: measured at level 7, the double cleanup filter and the main filter leave the
    /// same residual (1.5e-9 .. 1.7e-9) with a smoothing degree of 2, 10 or 40, so a short one serves.
    /// </summary>
    private const int FinalSingleSmoothingDegree = 10;

    /// <summary>
    /// Reduction the main filter aims at, relative to the tolerance, on the requested level: after smoothing,
    /// the low-frequency error of a prolonged block measured about 3e-7 ||L|| at levels 6 and 7.
    /// </summary>
    private const double FinalMainReduction = 300;

    /// <summary>
    /// The same reduction when the main filter runs in single precision: its degree costs half as much, so it
    /// aims to leave no low-frequency work for a second round (the growth limit caps it).
    /// </summary>
    private const double SingleMainReduction = 3000;

    /// <summary>
    /// Degree of the double-precision cleanup after a single-precision filter on the requested level (measured at
    /// level 7 with the cut at b / 11: 10 steps leave a largest residual of 2.4e-9, 12 steps 2.0e-9, 16 steps
    /// 1.8e-9; 14 steps at 5.8e-9 with the cut at 16 a left too thin a margin).
    /// </summary>
    private const int FinalCleanupDegree = 12;

    /// <summary>Lowest <paramref name="count"/> eigenpairs of any graph Laplacian (no multilevel start).</summary>
    public static LaplacianEigenbasis Solve(
        GraphLaplacian laplacian, int count, IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
        => Solve(laplacian, count, EigensolverOptions.Default, progress, cancellationToken);

    /// <summary>Lowest <paramref name="count"/> eigenpairs of any graph Laplacian (no multilevel start).</summary>
    public static LaplacianEigenbasis Solve(
        GraphLaplacian laplacian, int count, EigensolverOptions options, IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(laplacian);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckCount(count, laplacian.Size);

        if (UseDense(laplacian.Size, count, options))
        {
            return SolveDense(laplacian, count, options);
        }

        int columns = BlockColumns(count, laplacian.Size, options);
        var start = new double[laplacian.Size * columns];
        FillRandom(start, new Random(options.RandomSeed));
        var statistics = new List<EigensolverLevelStatistics>();
        (ChebyshevSubspaceIteration iteration, double norm) = Refine(
            laplacian, start, prolongedFrom: null, columns, count, final: true, options, statistics,
            fraction => progress?.Report(fraction), cancellationToken);
        return Assemble(laplacian, iteration.Block, null, iteration.RitzValues, iteration.ConvergenceCount(count),
            columns, count, norm, options, statistics);
    }

    /// <summary>Lowest <paramref name="count"/> eigenpairs of an icosphere's Laplacian, multilevel.</summary>
    public static LaplacianEigenbasis Solve(
        Icosphere mesh, int count, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
        => Solve(mesh, count, EigensolverOptions.Default, progress, cancellationToken);

    /// <summary>Lowest <paramref name="count"/> eigenpairs of an icosphere's Laplacian, multilevel.</summary>
    public static LaplacianEigenbasis Solve(
        Icosphere mesh, int count, EigensolverOptions options, IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckCount(count, mesh.NodeCount);

        GraphLaplacian fine = GraphLaplacian.Combinatorial(mesh);
        if (UseDense(mesh.NodeCount, count, options))
        {
            return SolveDense(fine, count, options);
        }

        int columns = BlockColumns(count, mesh.NodeCount, options);
        int coarsest = CoarsestLevel(mesh.Level, columns, options);
        var statistics = new List<EigensolverLevelStatistics>();

        // Dense solve of the coarsest level; take its lowest eigenvectors (random columns if it has too few).
        var clock = Stopwatch.StartNew();
        GraphLaplacian coarse = GraphLaplacian.FromEdges(Icosphere.NodeCountAt(coarsest), mesh.EdgesAt(coarsest));
        int coarseNodes = coarse.Size;
        (double[] values, double[] vectors) = DenseDecomposition(coarse);
        var block = new double[coarseNodes * columns];
        FillRandom(block, new Random(options.RandomSeed));
        for (int i = 0; i < coarseNodes; i++)
        {
            for (int j = 0; j < Math.Min(columns, coarseNodes); j++)
            {
                block[i * columns + j] = vectors[i * coarseNodes + j];
            }
        }

        statistics.Add(new EigensolverLevelStatistics(
            coarseNodes, "dense", 0, 0, columns, clock.Elapsed.TotalSeconds, 0.0));

        // Coarse eigenvalues place the first filters of the next level; none when the block had random columns.
        double[]? ritzValues = coarseNodes >= columns ? values[..columns] : null;

        // Work grows by 4 per level; weight progress accordingly.
        double totalWork = 0;
        for (int level = coarsest + 1; level <= mesh.Level; level++)
        {
            totalWork += Icosphere.NodeCountAt(level);
        }

        double doneWork = 0;
        double norm = 0;
        int complete = count;
        int[]? rowNodes = null;
        for (int level = coarsest + 1; level <= mesh.Level; level++)
        {
            int nodes = Icosphere.NodeCountAt(level);

            // Solve in the tree order (neighbours close in memory); the block stays in it between levels.
            int[] order = IcosphereOrdering.TreeOrder(mesh, level);
            block = Prolong(block, rowNodes, Icosphere.NodeCountAt(level - 1), columns, mesh.EdgesAt(level - 1), order);
            GraphLaplacian laplacian = GraphLaplacian.FromEdges(
                nodes, IcosphereOrdering.RenumberEdges(mesh.EdgesAt(level), order));
            double before = doneWork;
            (ChebyshevSubspaceIteration iteration, norm) = Refine(
                laplacian, block, ritzValues, columns, count, final: level == mesh.Level, options, statistics,
                fraction => progress?.Report((before + fraction * nodes) / totalWork), cancellationToken);
            block = iteration.Block;
            rowNodes = order;
            ritzValues = iteration.RitzValues;
            complete = iteration.ConvergenceCount(count);
            doneWork += nodes;
        }

        // The finest level's norm estimate serves: the mesh's numbering is a permutation of the solved one.
        return Assemble(fine, block, rowNodes, ritzValues!, complete, columns, count, norm, options, statistics);
    }

    /// <summary>Bytes per node that do not grow with k: the mesh, the Laplacians of every level, the runtime.</summary>
    private const double FixedBytesPerNode = 1640;

    /// <summary>
    /// Estimated peak memory in bytes of a multilevel <see cref="Solve(Icosphere, int, EigensolverOptions,
    /// IProgress{double}?, CancellationToken)"/> for <paramref name="count"/> = k eigenpairs on the finest level's
    /// <paramref name="nodeCount"/> = n nodes, with m = k + guard block columns:
    /// <code>bytes = 8 n (3 m + k) + 8 * 3 m^2 + 1640 n</code>
    /// Three n x m double block buffers (the block, its product with L, the filter's scratch), the returned
    /// n x k vectors, the m x m Rayleigh-Ritz matrices, and a part per node fitted to the measured peak at
    /// level 8, k = 100 (3445 MiB, docs/spectral.md), which the formula meets; level 7 at k = 100 then comes
    /// to 862 MiB against the 899 measured. Taken in floating point, so a k near n cannot overflow.
    /// </summary>
    public static double EstimatePeakBytes(int nodeCount, int count, EigensolverOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nodeCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        int guard = options?.GuardColumns ?? Math.Max(16, count / 4);
        double n = nodeCount, k = count, m = Math.Min((count + guard + 7) / 8 * 8, nodeCount);
        return 8 * n * (3 * m + k) + 8 * 3 * m * m + FixedBytesPerNode * n;
    }

    /// <summary>
    /// Largest graph solved densely when the block would hold a third of its nodes or more. The iterative solver's
    /// dense work grows like m^3 per round, so such a block costs more than a dense solve of the whole graph: at
    /// level 4 (2,562 nodes) k = 2000 took 707 s iteratively, and MathNet's dense solve takes 31 s on the 2-core
    /// build machine. Dense time grows like n^3, so the next level (10,242 nodes) would take about half an hour.
    /// </summary>
    internal const int LargeBlockDenseNodeLimit = 4_000;

    /// <summary>
    /// Whether to solve densely: small graphs always, and graphs up to <see cref="LargeBlockDenseNodeLimit"/>
    /// nodes when the block would hold a third of them or more. Larger graphs with such a block are refused.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The block is too large a share of a graph too large to solve
    /// densely.</exception>
    internal static bool UseDense(int nodeCount, int count, EigensolverOptions options)
    {
        if (nodeCount <= options.DenseNodeLimit)
        {
            return true;
        }

        if (3L * UnboundedBlockColumns(count, options) < nodeCount)
        {
            return false;
        }

        if (nodeCount <= Math.Max(options.DenseNodeLimit, LargeBlockDenseNodeLimit))
        {
            return true;
        }

        int largest = count;
        while (largest > 1 && 3L * UnboundedBlockColumns(largest, options) >= nodeCount)
        {
            largest--;
        }

        throw new ArgumentOutOfRangeException(nameof(count), count,
            $"{count} eigenpairs need a block of {UnboundedBlockColumns(count, options)} vectors, a third or more of "
            + $"the graph's {nodeCount} nodes: the iterative solver would take hours, and a graph of more than "
            + $"{LargeBlockDenseNodeLimit} nodes is too large to solve densely; ask for at most {largest} eigenpairs "
            + "(near that many a solve takes tens of minutes; its time grows like k^3) or use a coarser level");
    }

    /// <summary>
    /// Why a solve of <paramref name="count"/> eigenpairs on a graph of <paramref name="nodeCount"/> nodes would be
    /// refused (<see cref="UseDense"/>), so a caller can say so before it starts anything; null when it would not.
    /// </summary>
    public static string? SizeRefusal(int nodeCount, int count, EigensolverOptions? options = null)
    {
        try
        {
            UseDense(nodeCount, count, options ?? EigensolverOptions.Default);
            return null;
        }
        catch (ArgumentOutOfRangeException e)
        {
            return e.Message.Split('\n')[0].Split(" (Parameter", 2)[0];
        }
    }

    /// <summary>Block width: count plus guard vectors, a multiple of 8 (the dense kernels' tile), at most n.</summary>
    internal static int BlockColumns(int count, int nodeCount, EigensolverOptions options)
    {
        int columns = UnboundedBlockColumns(count, options);
        if (columns > nodeCount - 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(count), count, $"{count} eigenpairs with {columns - count} guard vectors need more than the "
                + $"graph's {nodeCount} nodes; the iterative solver needs fewer eigenpairs than that.");
        }

        return columns;
    }

    private static int UnboundedBlockColumns(int count, EigensolverOptions options)
    {
        int guard = options.GuardColumns ?? Math.Max(16, count / 4);
        return (count + guard + 7) / 8 * 8;
    }

    /// <summary>
    /// Prolongation from level L to level L + 1 (linear interpolation along coarse edges): fine node v &lt; n_L keeps
    /// its coarse value, node n_L + e takes the mean of the two ends of coarse edge e. Row r of the coarse block
    /// holds node <paramref name="coarseRowNodes"/>[r] (the mesh's numbering when null); row i of the result holds
    /// fine node <paramref name="fineRowNodes"/>[i], so prolongation and renumbering are one pass.
    /// </summary>
    internal static double[] Prolong(
        double[] coarse, int[]? coarseRowNodes, int coarseNodes, int columns, int[] coarseEdges, int[] fineRowNodes)
    {
        var coarseRow = new int[coarseNodes];
        for (int r = 0; r < coarseNodes; r++)
        {
            coarseRow[coarseRowNodes is null ? r : coarseRowNodes[r]] = r;
        }

        var fine = new double[fineRowNodes.Length * columns];
        RowPartition.For(fineRowNodes.Length, columns, (start, end) =>
        {
            for (int i = start; i < end; i++)
            {
                int node = fineRowNodes[i], target = i * columns;
                if (node < coarseNodes)
                {
                    Array.Copy(coarse, coarseRow[node] * columns, fine, target, columns);
                    continue;
                }

                int e = node - coarseNodes;
                int u = coarseRow[coarseEdges[2 * e]] * columns, v = coarseRow[coarseEdges[2 * e + 1]] * columns;
                for (int j = 0; j < columns; j++)
                {
                    fine[target + j] = 0.5 * (coarse[u + j] + coarse[v + j]);
                }
            }
        });
        return fine;
    }

    private static int CoarsestLevel(int level, int columns, EigensolverOptions options)
    {
        // The smallest level with a few more nodes than the block has columns, solved densely: a dense
        // decomposition costs O(n^3) (0.5 s at 642 nodes, milliseconds at 162), and the next levels' filters
        // correct its upper, poorly resolved eigenvectors cheaply.
        int chosen = -1;
        for (int l = 0; l < level; l++)
        {
            int nodes = Icosphere.NodeCountAt(l);
            if (nodes <= Math.Max(options.DenseNodeLimit, 200))
            {
                chosen = l;
                if (nodes >= columns + CoarseSpareNodes)
                {
                    break;
                }
            }
        }

        return Math.Max(chosen, 0);
    }

    /// <summary>
    /// Refines a block on one level. <paramref name="prolongedFrom"/> holds the coarser level's Ritz values when
    /// the block was prolonged from there; <paramref name="final"/> selects the requested tolerance (and the
    /// closing orthonormalisation) over the intermediate one. Returns the iteration and the norm estimate.
    /// </summary>
    private static (ChebyshevSubspaceIteration Iteration, double Norm) Refine(
        GraphLaplacian laplacian, double[] start, double[]? prolongedFrom, int columns, int count, bool final,
        EigensolverOptions options, List<EigensolverLevelStatistics> statistics, Action<double> progress,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        double tolerance = final ? options.Tolerance : options.IntermediateTolerance;
        (double norm, double upper) = SpectralBounds.LargestEigenvalue(laplacian, LanczosSteps, options.RandomSeed);
        ProlongedStart? prolonged = prolongedFrom is null
            ? null
            : PlanProlongedStart(prolongedFrom, count, upper, final,
                options.SinglePrecisionFilter && laplacian.Size >= options.SinglePrecisionMinimumNodes);
        var iteration = new ChebyshevSubspaceIteration(
            laplacian, start, columns, norm, upper, options, prolonged, finalOrthonormalisation: final);
        iteration.Run(count, tolerance, progress, cancellationToken);

        double worst = 0;
        for (int j = 0; j < iteration.ConvergenceCount(count); j++)
        {
            worst = Math.Max(worst, iteration.Residuals[j] / norm);
        }

        statistics.Add(new EigensolverLevelStatistics(
            laplacian.Size, "chebyshev-subspace", iteration.Rounds, iteration.SparseProducts, columns,
            clock.Elapsed.TotalSeconds, worst));
        return (iteration, norm);
    }

    /// <summary>
    /// Filters for the first round after a prolongation. Intermediate levels only need their interpolation error
    /// smoothed. On the requested level the main filter's degree d is the one that shrinks the slowest wanted
    /// pair's unwanted components FinalMainReduction times: T_d((c - theta) / e) = R, d = acosh R / acosh((c -
    /// theta) / e), with c and e the centre and half width of [a, b].
    /// </summary>
    private static ProlongedStart PlanProlongedStart(
        double[] coarseRitzValues, int count, double upper, bool final, bool singlePrecision)
    {
        double[] estimates = coarseRitzValues.Select(value => value * LevelEigenvalueRatio).ToArray();
        if (!final)
        {
            return new ProlongedStart(estimates, IntermediateSmoothingDegree, 0, singlePrecision);
        }

        double a = estimates[^1], theta = estimates[count - 1];
        double point = (upper + a - 2 * theta) / (upper - a);
        double reduction = singlePrecision ? SingleMainReduction : FinalMainReduction;
        int degree = point > 1 ? (int)Math.Ceiling(Math.Acosh(reduction) / Math.Acosh(point)) : 0;
        return new ProlongedStart(
            estimates, singlePrecision ? FinalSingleSmoothingDegree : FinalSmoothingDegree, degree, singlePrecision,
            singlePrecision ? FinalCleanupDegree : 0);
    }

    /// <summary>
    /// The first count columns of the row-major block as column-major vectors in the mesh's numbering (row i of the
    /// block holds node <paramref name="rowNodes"/>[i], or node i when null), then <see cref="Finish"/>.
    /// </summary>
    private static LaplacianEigenbasis Assemble(
        GraphLaplacian laplacian, double[] block, int[]? rowNodes, double[] ritzValues, int complete, int columns,
        int count, double norm, EigensolverOptions options, List<EigensolverLevelStatistics> statistics)
    {
        int n = laplacian.Size;
        if (options.RoundUpToClusterBoundary)
        {
            count = complete;
        }

        var vectors = new double[n * count];
        RowPartition.For(n, count, (start, end) =>
        {
            // Tiles of rows keep the strided writes of the transposition within a few cache lines per column.
            const int TileRows = 64;
            for (int tile = start; tile < end; tile += TileRows)
            {
                int tileEnd = Math.Min(end, tile + TileRows);
                for (int j = 0; j < count; j++)
                {
                    for (int i = tile; i < tileEnd; i++)
                    {
                        vectors[(long)j * n + (rowNodes is null ? i : rowNodes[i])] = block[(long)i * columns + j];
                    }
                }
            }
        });

        var eigenvalues = ritzValues.AsSpan(0, count).ToArray();
        double? next = complete < columns ? ritzValues[count] : null;
        return Finish(laplacian, eigenvalues, vectors, norm, complete, next, options, statistics);
    }

    private static LaplacianEigenbasis SolveDense(GraphLaplacian laplacian, int count, EigensolverOptions options)
    {
        var clock = Stopwatch.StartNew();
        int n = laplacian.Size;
        (double[] values, double[] vectors) = DenseDecomposition(laplacian);
        int complete = count;
        while (complete < n && EigenvalueClusters.SameCluster(
                   values[complete - 1], values[complete], options.ClusterRelativeTolerance, 1e-12 * values[n - 1]))
        {
            complete++;
        }

        if (options.RoundUpToClusterBoundary)
        {
            count = complete;
        }

        var columnMajor = new double[n * count];
        for (int j = 0; j < count; j++)
        {
            for (int i = 0; i < n; i++)
            {
                columnMajor[j * n + i] = vectors[i * n + j];
            }
        }

        var statistics = new List<EigensolverLevelStatistics>
        {
            new(n, "dense", 0, 0, n, clock.Elapsed.TotalSeconds, 0.0),
        };
        double? next = count < n ? values[count] : null;
        return Finish(laplacian, values[..count], columnMajor, Math.Max(values[n - 1], double.Epsilon), complete,
            next, options, statistics);
    }

    /// <summary>Fixes signs, recomputes the residuals from the returned vectors, finds the clusters.</summary>
    private static LaplacianEigenbasis Finish(
        GraphLaplacian laplacian, double[] eigenvalues, double[] vectors, double norm, int complete, double? next,
        EigensolverOptions options, List<EigensolverLevelStatistics> statistics)
    {
        int n = laplacian.Size, count = eigenvalues.Length;
        var relativeResiduals = new double[count];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            () => new double[n],
            (j, _, product) =>
            {
                Span<double> u = vectors.AsSpan(j * n, n);
                FixSign(u);
                laplacian.Multiply(u, product);
                double sum = 0;
                for (int i = 0; i < n; i++)
                {
                    double r = product[i] - eigenvalues[j] * u[i];
                    sum += r * r;
                }

                relativeResiduals[j] = Math.Sqrt(sum) / norm;
                return product;
            },
            _ => { });
        double worst = count == 0 ? 0 : relativeResiduals.Max();

        IReadOnlyList<int> clusters = EigenvalueClusters.Sizes(
            eigenvalues, options.ClusterRelativeTolerance, 1e-12 * norm);
        return new LaplacianEigenbasis(n, eigenvalues, vectors, worst, norm, clusters, complete, next, statistics);
    }

    /// <summary>Makes the first entry with at least half the largest magnitude positive.</summary>
    private static void FixSign(Span<double> u)
    {
        double largest = 0;
        foreach (double value in u)
        {
            largest = Math.Max(largest, Math.Abs(value));
        }

        foreach (double value in u)
        {
            if (Math.Abs(value) >= 0.5 * largest)
            {
                if (value < 0)
                {
                    foreach (ref double entry in u)
                    {
                        entry = -entry;
                    }
                }

                return;
            }
        }
    }

    /// <summary>All eigenpairs of a small Laplacian; vectors row-major n x n, column j for eigenvalue j.</summary>
    private static (double[] Values, double[] Vectors) DenseDecomposition(GraphLaplacian laplacian)
    {
        int n = laplacian.Size;
        var dense = new double[n * n];
        ReadOnlySpan<int> offsets = laplacian.RowOffsets;
        ReadOnlySpan<int> neighbours = laplacian.Neighbours;
        for (int i = 0; i < n; i++)
        {
            dense[i * n + i] = laplacian.Degrees[i];
            for (int p = offsets[i]; p < offsets[i + 1]; p++)
            {
                dense[i * n + neighbours[p]] = -1.0;
            }
        }

        return SymmetricEigen.Decompose(dense, n);
    }

    private static void FillRandom(double[] block, Random random)
    {
        for (int i = 0; i < block.Length; i++)
        {
            block[i] = random.NextDouble() - 0.5;
        }
    }

    private static void CheckCount(int count, int nodeCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (count > nodeCount)
        {
            throw new ArgumentOutOfRangeException(
                nameof(count), count, $"Cannot ask for {count} eigenpairs of a graph with {nodeCount} nodes.");
        }
    }
}
