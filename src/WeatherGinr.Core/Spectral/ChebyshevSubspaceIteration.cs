using System.Diagnostics;
using System.Runtime.InteropServices;

namespace WeatherGinr.Core.Spectral;

/// <summary>
/// Chebyshev-filtered subspace iteration (Zhou and Saad 2007, "A Chebyshev-Davidson algorithm for large
/// symmetric eigenproblems"; Zhou, Saad, Tiago and Chelikowsky 2006) on one graph Laplacian, refining a block
/// of m vectors towards the lowest m eigenpairs.
/// </summary>
/// <remarks>
/// <para>
/// One round: filter the block with the scaled Chebyshev polynomial of degree d that is at most 1 in
/// magnitude on [a, b] (a = the block's largest Ritz value, b = an upper bound of the spectrum) and 1 at the
/// lowest Ritz value, so components in the wanted end grow by T_d((c - lambda) / e) relative to everything
/// above a; then Rayleigh-Ritz on the filtered block.
/// </para>
/// <para>
/// Rayleigh-Ritz works on the non-orthonormal filtered block Y directly: with G = Y^T Y and H = Y^T L Y, scale
/// G to unit diagonal, take its eigendecomposition G' = V S V^T, set T = D V S^(-1/2) (so T^T G T = I, the
/// SVQB orthonormalisation of Stathopoulos and Wu 2002), solve the small standard problem T^T H T = Z Theta
/// Z^T, rotate X = Y T Z and recompute L X. Two tall products (both symmetric, so half tiles), one rotation
/// and one sparse product per round; no extra orthonormalisation pass. The filter degree is capped so that
/// cond(Y) stays near 1e5, which keeps that single pass accurate; a final round from an orthonormal block
/// restores orthonormality to rounding.
/// </para>
/// <para>
/// A block prolonged from a coarser level starts with a filter instead of a Rayleigh-Ritz (see
/// <see cref="ProlongedStart"/>): the coarse Ritz values place it, and one Rayleigh-Ritz follows. On large
/// levels that first filter, most of a solve's sparse products, runs in single precision (half the memory
/// traffic of a memory-bound product), then a short double filter removes the rounding noise it leaves.
/// </para>
/// <para>
/// Memory: three n x m double buffers, rotated between roles (the filter streams two of them in place); the
/// single-precision filter uses the spare one as two float buffers.
/// </para>
/// </remarks>
internal sealed class ChebyshevSubspaceIteration
{
    /// <summary>Largest T_d at the lowest Ritz value: bounds the filtered block's condition number.</summary>
    private const double MaxFilterGrowth = 1e5;

    /// <summary>Smoothing filter cut, in multiples of the block's largest Ritz value.</summary>
    private const double SmoothingCutFactor = 4.0;

    /// <summary>Degree of one smoothing round; with the cut at 4a it damps high frequencies by about 1e2.</summary>
    private const int SmoothingDegree = 20;

    /// <summary>
    /// Cut of the double-precision cleanup filter that follows a single-precision one, as a fraction of the
    /// spectrum's upper bound b. Rounding noise (relative size about 3e-7) below the cut stays; what it adds to a
    /// relative residual grows like (cut / ||L||)^1.5 (the share of eigenvalues below the cut, Weyl, times the
    /// cut), so a fixed fraction of b gives the same floor on every level. Measured largest residuals after the
    /// first round at level 7 (cut, steps): 4 a, 20: 3.1e-8 (a second round needed); 16 a, 20: 1.5e-9; 32 a, 14:
    /// 2.2e-9; 64 a (= b / 11), 10: 2.4e-9; 64 a, 12: 2.0e-9; 64 a, 16: 1.8e-9; 128 a, 10: 3.1e-9. At level 6 a
    /// cut at 64 a left 5.1e-9, at b / 11 (16 a there) 3.9e-9.
    /// </summary>
    private const double CleanupCutFraction = 1.0 / 11;

    /// <summary>Diagnostic hook for experiments (round, degree, worst residual); null in production.</summary>
    internal static Action<string>? Trace;

    private readonly GraphLaplacian laplacian;
    private readonly EigensolverOptions options;
    private readonly int n;
    private readonly int m;
    private readonly double norm;
    private readonly double upperBound;
    private readonly Random random;
    private readonly ProlongedStart? prolongedStart;
    private readonly bool finalOrthonormalisation;
    private double[] block;
    private double[] product;
    private double[] spare;
    private CancellationToken cancellation;

    /// <summary>
    /// Takes over <paramref name="start"/> (n x m row-major) as the first of three buffers. With
    /// <paramref name="prolongedStart"/> the block comes from a coarser level and its first round filters before
    /// any Rayleigh-Ritz; with <paramref name="finalOrthonormalisation"/> a last Rayleigh-Ritz from the converged
    /// block makes it orthonormal to rounding (intermediate levels of a multilevel solve skip it).
    /// </summary>
    public ChebyshevSubspaceIteration(
        GraphLaplacian laplacian, double[] start, int columns, double norm, double upperBound,
        EigensolverOptions options, ProlongedStart? prolongedStart, bool finalOrthonormalisation)
    {
        Debug.Assert(start.Length == laplacian.Size * columns);
        Debug.Assert(prolongedStart is null || prolongedStart.EstimatedRitzValues.Length == columns);
        this.laplacian = laplacian;
        this.options = options;
        this.prolongedStart = prolongedStart;
        this.finalOrthonormalisation = finalOrthonormalisation;
        n = laplacian.Size;
        m = columns;
        this.norm = norm;
        this.upperBound = upperBound;
        random = new Random(options.RandomSeed ^ n);
        block = start;
        product = new double[n * m];
        spare = new double[n * m];
        RitzValues = new double[m];
        Residuals = new double[m];
    }

    /// <summary>Ritz values ascending (valid after <see cref="Run"/>).</summary>
    public double[] RitzValues { get; private set; }

    /// <summary>Absolute residual norms ||L x_j - theta_j x_j||.</summary>
    public double[] Residuals { get; }

    /// <summary>The current block, n x m row-major, orthonormal after <see cref="Run"/>.</summary>
    public double[] Block => block;

    /// <summary>L times the current block.</summary>
    public double[] Product => product;

    public int Rounds { get; private set; }

    public int SparseProducts { get; private set; }

    /// <summary>
    /// Number of leading pairs that must converge: <paramref name="wanted"/>, extended to the end of the
    /// cluster it cuts (judged on the current Ritz values), never past m - 2.
    /// </summary>
    public int ConvergenceCount(int wanted)
    {
        int count = wanted;
        while (count < m - 2 && EigenvalueClusters.SameCluster(
                   RitzValues[count - 1], RitzValues[count], options.ClusterRelativeTolerance, 1e-12 * norm))
        {
            count++;
        }

        return count;
    }

    /// <summary>Refines the block until the wanted pairs meet the tolerance; throws at the round cap.</summary>
    public void Run(int wanted, double tolerance, Action<double>? progress, CancellationToken cancellationToken)
    {
        // Checked at every filter step too: one round of a large level is most of a minute.
        cancellation = cancellationToken;
        double threshold = tolerance * norm;
        if (prolongedStart is null)
        {
            MultiplyBlock(block, product);
            RayleighRitzWithFullRank();
        }
        else
        {
            FilterProlongedBlock(prolongedStart);
        }

        double initialWorst = WorstResidual(ConvergenceCount(wanted), threshold).Worst;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int target = ConvergenceCount(wanted);
            (double worst, int unconverged) = WorstResidual(target, threshold);
            ReportProgress(progress, initialWorst, worst, threshold);
            if (unconverged == 0)
            {
                break;
            }

            if (Rounds >= options.MaxIterations)
            {
                throw new EigensolverNotConvergedException(n, Rounds, unconverged, worst / norm, tolerance);
            }

            int degree = ChooseDegree(target, threshold);
            Trace?.Invoke($"n={n} round={Rounds} target={target} worst={worst / norm:E2} unconverged={unconverged} "
                + $"degree={degree} a={RitzValues[m - 1]:G4} theta_k={RitzValues[target - 1]:G4}");
            Filter(degree, RitzValues[m - 1]);
            RayleighRitzOfFilteredBlock();
            Rounds++;
        }

        if (finalOrthonormalisation)
        {
            // A last Rayleigh-Ritz from the (nearly) orthonormal block makes it orthonormal to rounding.
            MultiplyBlock(block, product);
            RayleighRitzWithFullRank();
        }
    }

    /// <summary>
    /// First round on a block prolonged from a coarser level, with no Rayleigh-Ritz before it: the coarse Ritz
    /// values (scaled to this level) place the filters. A prolonged block is wrong in two ways: interpolation
    /// error, in high frequencies, and the difference between the two discretisations, in low frequencies just
    /// above the block. Filtering on [SmoothingCutFactor * a, b] damps the first much faster per degree than a
    /// filter on [a, b] (the rate acosh(1 + 2 (cut - theta) / (b - cut)) grows with the cut); the second needs the
    /// filter on [a, b]. Both polynomials are applied back to back (they commute), then one Rayleigh-Ritz.
    /// </summary>
    private void FilterProlongedBlock(ProlongedStart start)
    {
        Array.Copy(start.EstimatedRitzValues, RitzValues, m);
        double a = RitzValues[m - 1];
        int mainDegree = start.MainDegree > 0 ? Math.Min(start.MainDegree, GrowthLimitedDegree()) : 0;
        if (start.SinglePrecision)
        {
            FilterInSinglePrecision(start.SmoothingDegree, mainDegree, a);

            // The cut stays above the block's end; on a level so coarse that it would reach b, the Rayleigh-Ritz
            // rounds that follow remove the noise instead.
            double cut = Math.Max(CleanupCutFraction * upperBound, 2 * a);
            if (start.CleanupDegree > 0 && cut < 0.9 * upperBound)
            {
                Filter(start.CleanupDegree, cut);
            }
        }
        else
        {
            Filter(start.SmoothingDegree, SmoothingCutFactor * a);
            if (mainDegree > 0)
            {
                Filter(mainDegree, a);
            }
        }

        RayleighRitzOfFilteredBlock();
        Rounds++;
        Trace?.Invoke($"n={n} prolonged round: smoothing {start.SmoothingDegree}, main {mainDegree}, "
            + $"single precision {start.SinglePrecision}, cleanup {start.CleanupDegree}, "
            + $"worst={Residuals.AsSpan(0, m - 2).ToArray().Max() / norm:E2}");
    }

    /// <summary>
    /// The smoothing and main filters of a prolonged block in single precision, in the memory of
    /// <see cref="spare"/> (one n x m double buffer holds two n x m float ones); the result returns to
    /// <see cref="block"/> in double. Rounding leaves white noise of relative size about 3e-7 in every column
    /// (float's 6e-8, accumulated over the last steps that the filter does not damp); the caller's double cleanup
    /// filter on [CleanupCutFraction * b, b] removes its high-frequency part (see <see cref="CleanupCutFraction"/>).
    /// </summary>
    private void FilterInSinglePrecision(int smoothingDegree, int mainDegree, double a)
    {
        // The constant vector is an exact null vector of L, so p(L) (1 mean^T) = p(0) 1 mean^T: only the
        // block minus its column means goes through single precision, and the constant part stays exact.
        double[] means = ColumnMeans(block);
        Span<float> first = MemoryMarshal.Cast<double, float>(spare.AsSpan())[..(n * m)];
        Span<float> second = MemoryMarshal.Cast<double, float>(spare.AsSpan())[(n * m)..];
        Narrow(block, means, first);
        bool inSecond = FilterSingle(smoothingDegree, SmoothingCutFactor * a, first, second);
        double constantGain = FilterValue(0.0, smoothingDegree, SmoothingCutFactor * a);
        if (mainDegree > 0)
        {
            inSecond ^= inSecond
                ? FilterSingle(mainDegree, a, second, first)
                : FilterSingle(mainDegree, a, first, second);
            constantGain *= FilterValue(0.0, mainDegree, a);
        }

        Widen(inSecond ? second : first, means, constantGain, block);
    }

    /// <summary>The scalar p(lambda) of the filter that <see cref="Filter"/> applies with the same arguments.</summary>
    private double FilterValue(double lambda, int degree, double a)
    {
        double lowest = RitzValues[0];
        double e = (upperBound - a) / 2, c = (upperBound + a) / 2;
        double sigma = e / (lowest - c);
        double tau = 2 / sigma;
        double previous = 1, current = sigma / e * (lambda - c);
        for (int i = 2; i <= degree; i++)
        {
            double sigmaNext = 1 / (tau - sigma);
            (previous, current) = (current, 2 * sigmaNext / e * (lambda - c) * current - sigma * sigmaNext * previous);
            sigma = sigmaNext;
        }

        return current;
    }

    /// <summary>Mean of every column of an n x m block, summed over fixed row ranges (repeatable).</summary>
    private double[] ColumnMeans(double[] source)
    {
        int ranges = RowPartition.RangeCount(n, m);
        var partials = new double[ranges][];
        Parallel.For(0, ranges, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            index =>
            {
                (int start, int end) = RowPartition.Range(n, ranges, index);
                var partial = new double[m];
                for (int i = start; i < end; i++)
                {
                    ReadOnlySpan<double> row = source.AsSpan(i * m, m);
                    for (int j = 0; j < m; j++)
                    {
                        partial[j] += row[j];
                    }
                }

                partials[index] = partial;
            });

        var means = new double[m];
        foreach (double[] partial in partials)
        {
            for (int j = 0; j < m; j++)
            {
                means[j] += partial[j] / n;
            }
        }

        return means;
    }

    /// <summary>
    /// <see cref="Filter"/> in single precision between two float buffers; returns true when the filtered block
    /// ends in <paramref name="other"/>, false when it ends back in <paramref name="x"/>.
    /// </summary>
    private bool FilterSingle(int degree, double a, Span<float> x, Span<float> other)
    {
        double lowest = RitzValues[0];
        double e = (upperBound - a) / 2, c = (upperBound + a) / 2;
        double sigma = e / (lowest - c);
        double tau = 2 / sigma;

        Span<float> previous = x, current = other;
        laplacian.MultiplyCombine(previous, m, (float)(sigma / e), (float)(-c * sigma / e), 0f, default, current);
        SparseProducts++;
        for (int i = 2; i <= degree; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            double sigmaNext = 1 / (tau - sigma);
            laplacian.MultiplyCombine(
                current, m, (float)(2 * sigmaNext / e), (float)(-2 * sigmaNext * c / e),
                (float)(-sigma * sigmaNext), previous, previous);
            SparseProducts++;
            Span<float> newest = previous;
            previous = current;
            current = newest;
            sigma = sigmaNext;
        }

        return degree % 2 == 1;
    }

    /// <summary>target = source - 1 means^T, rounded to single precision.</summary>
    private void Narrow(double[] source, double[] means, Span<float> target)
    {
        unsafe
        {
            fixed (float* pt = target)
            {
                var address = (nint)pt;
                RowPartition.For(n, m, (start, end) =>
                {
                    for (int i = start; i < end; i++)
                    {
                        var destination = new Span<float>((float*)address + (long)i * m, m);
                        ReadOnlySpan<double> row = source.AsSpan(i * m, m);
                        for (int j = 0; j < m; j++)
                        {
                            destination[j] = (float)(row[j] - means[j]);
                        }
                    }
                });
            }
        }
    }

    /// <summary>target = source + gain 1 means^T, in double precision.</summary>
    private void Widen(ReadOnlySpan<float> source, double[] means, double gain, double[] target)
    {
        var constantPart = new double[m];
        for (int j = 0; j < m; j++)
        {
            constantPart[j] = gain * means[j];
        }

        unsafe
        {
            fixed (float* ps = source)
            {
                var address = (nint)ps;
                RowPartition.For(n, m, (start, end) =>
                {
                    for (int i = start; i < end; i++)
                    {
                        var row = new ReadOnlySpan<float>((float*)address + (long)i * m, m);
                        Span<double> destination = target.AsSpan(i * m, m);
                        for (int j = 0; j < m; j++)
                        {
                            destination[j] = row[j] + constantPart[j];
                        }
                    }
                });
            }
        }
    }

    private static void ReportProgress(Action<double>? progress, double initialWorst, double worst, double threshold)
    {
        if (progress is null)
        {
            return;
        }

        double span = Math.Log(Math.Max(initialWorst, threshold * 1.0001) / threshold);
        double done = Math.Log(Math.Max(initialWorst, worst) / Math.Max(worst, threshold));
        progress(Math.Clamp(done / span, 0.0, 1.0));
    }

    private (double Worst, int Unconverged) WorstResidual(int count, double threshold)
    {
        double worst = 0;
        int unconverged = 0;
        for (int j = 0; j < count; j++)
        {
            worst = Math.Max(worst, Residuals[j]);
            if (!(Residuals[j] <= threshold))
            {
                unconverged++;
            }
        }

        return (worst, unconverged);
    }

    /// <summary>
    /// Degree that would bring the worst wanted residual to the tolerance if its residual fell like
    /// 1 / T_d((c - theta_j) / e) (the asymptotic rate), capped by the growth limit and the options.
    /// </summary>
    private int ChooseDegree(int target, double threshold)
    {
        double a = RitzValues[m - 1];
        double halfWidth = (upperBound - a) / 2, centre = (upperBound + a) / 2;
        int cap = GrowthLimitedDegree();

        double needed = 2;
        for (int j = 0; j < target; j++)
        {
            if (Residuals[j] <= threshold)
            {
                continue;
            }

            double point = (centre - RitzValues[j]) / halfWidth;
            if (point <= 1.0 + 1e-12)
            {
                return cap;
            }

            double reduction = 2.0 * Residuals[j] / threshold;
            needed = Math.Max(needed, Math.Acosh(reduction) / Math.Acosh(point));
        }

        return Math.Clamp((int)Math.Ceiling(needed), 2, cap);
    }

    /// <summary>
    /// Largest degree whose filter on [a, b] grows the lowest Ritz value's component at most MaxFilterGrowth
    /// times relative to [a, b] (so the filtered block's condition number stays near it), within the options' cap.
    /// </summary>
    private int GrowthLimitedDegree()
    {
        double a = RitzValues[m - 1], lowest = RitzValues[0];
        double lowestPoint = (upperBound + a - 2 * lowest) / (upperBound - a);
        int cap = (int)Math.Floor(Math.Acosh(MaxFilterGrowth) / Math.Acosh(Math.Max(lowestPoint, 1.0 + 1e-15)));
        return Math.Clamp(cap, 2, options.MaxFilterDegree);
    }

    /// <summary>
    /// Scaled Chebyshev filter (Zhou and Saad 2007, Algorithm 4.2) of the current block (Rayleigh-Ritz follows):
    /// e = (b - a) / 2, c = (b + a) / 2, sigma_1 = e / (a_L - c);
    /// Y_1 = (sigma_1 / e)(L - c) X; Y_(i+1) = (2 sigma_(i+1) / e)(L - c) Y_i - sigma_i sigma_(i+1) Y_(i-1),
    /// with sigma_(i+1) = 1 / (2 / sigma_1 - sigma_i).
    /// </summary>
    /// <remarks>
    /// Each step overwrites Y_(i-1) with Y_(i+1) row by row (row i of Y_(i-1) is read only to make row i of
    /// Y_(i+1)), so the filter streams two buffers instead of three and writes no fresh memory.
    /// Leaves the filtered block in <see cref="block"/>; <see cref="product"/> is stale afterwards.
    /// </remarks>
    private void Filter(int degree, double a)
    {
        double lowest = RitzValues[0];
        double e = (upperBound - a) / 2, c = (upperBound + a) / 2;
        double sigma = e / (lowest - c);
        double tau = 2 / sigma;

        double[] previous = block, current = product;
        laplacian.MultiplyCombine(previous, m, sigma / e, -c * sigma / e, 0.0, default, current);
        SparseProducts++;
        for (int i = 2; i <= degree; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            double sigmaNext = 1 / (tau - sigma);
            laplacian.MultiplyCombine(
                current, m, 2 * sigmaNext / e, -2 * sigmaNext * c / e, -sigma * sigmaNext, previous, previous);
            SparseProducts++;
            (previous, current) = (current, previous);
            sigma = sigmaNext;
        }

        block = current;
        product = previous;
    }

    /// <summary>L Y for the filtered block Y, then Rayleigh-Ritz.</summary>
    private void RayleighRitzOfFilteredBlock()
    {
        MultiplyBlock(block, product);
        RayleighRitzWithFullRank();
    }

    private void MultiplyBlock(double[] x, double[] y)
    {
        laplacian.MultiplyBlock(x, y, m);
        SparseProducts++;
    }

    private void RayleighRitzWithFullRank()
    {
        for (int attempt = 0; ; attempt++)
        {
            int rank = RayleighRitz();
            if (rank == m)
            {
                return;
            }

            if (attempt == 3)
            {
                throw new EigensolverNotConvergedException(
                    $"The eigensolver's block lost rank ({rank} of {m} columns independent) on a graph of {n} "
                    + "nodes, three times in a row; the graph may have fewer nodes than the block needs.");
            }

            // Replace the lost directions by random ones; the next Rayleigh-Ritz orthogonalises them.
            for (int i = 0; i < n; i++)
            {
                for (int j = rank; j < m; j++)
                {
                    block[i * m + j] = random.NextDouble() - 0.5;
                }
            }

            MultiplyBlock(block, product);
        }
    }

    /// <summary>
    /// Rayleigh-Ritz of the block Y (with LY in <see cref="product"/>); leaves the Ritz vectors in
    /// <see cref="block"/>, L times them in <see cref="product"/>, and returns the numerical rank of Y.
    /// </summary>
    private int RayleighRitz()
    {
        var gram = new double[m * m];
        var projected = new double[m * m];
        DenseBlockKernels.TransposeMultiply(block, m, block, m, n, gram, symmetric: true);
        // Y^T (L Y) is symmetric in exact arithmetic: its upper triangle, mirrored, is enough.
        DenseBlockKernels.TransposeMultiply(block, m, product, m, n, projected, symmetric: true);

        // SVQB: G' = D G D with D = diag(G)^(-1/2); G' = V S V^T; T = D V S^(-1/2) keeps the independent part.
        var scale = new double[m];
        for (int j = 0; j < m; j++)
        {
            double diagonal = gram[j * m + j];
            scale[j] = diagonal > 0 ? 1 / Math.Sqrt(diagonal) : 0;
        }

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++)
            {
                gram[i * m + j] *= scale[i] * scale[j];
            }
        }

        (double[] gramValues, double[] gramVectors) = SymmetricEigen.Decompose(gram, m);
        double cutoff = gramValues[m - 1] * 1e-14 * m;
        int firstKept = 0;
        while (firstKept < m && gramValues[firstKept] <= cutoff)
        {
            firstKept++;
        }

        int rank = m - firstKept;
        var transform = new double[m * rank];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < rank; j++)
            {
                transform[i * rank + j] = scale[i] * gramVectors[i * m + firstKept + j]
                    / Math.Sqrt(gramValues[firstKept + j]);
            }
        }

        // Small problem: (T^T H T) z = theta z.
        double[] projectedTransform = SmallProduct(projected, m, m, transform, rank);
        double[] reduced = SmallProduct(Transpose(transform, m, rank), rank, m, projectedTransform, rank);
        (double[] theta, double[] z) = SymmetricEigen.Decompose(reduced, rank);
        double[] rotation = SmallProduct(transform, m, rank, z, rank);

        // Pad to m columns with zeros when rank was lost; the caller refills those columns.
        var fullRotation = new double[m * m];
        for (int i = 0; i < m; i++)
        {
            Array.Copy(rotation, i * rank, fullRotation, i * m, rank);
        }

        // X = Y C; L X is a fresh sparse product (7 n m flops), cheaper than rotating L Y (2 n m^2).
        DenseBlockKernels.Multiply(block, n, m, fullRotation, m, spare);
        (block, spare) = (spare, block);
        MultiplyBlock(block, product);

        var values = new double[m];
        Array.Fill(values, double.PositiveInfinity);
        Array.Copy(theta, values, rank);
        RitzValues = values;
        ComputeResiduals();
        return rank;
    }

    private void ComputeResiduals()
    {
        int ranges = RowPartition.RangeCount(n, m);
        var partials = new double[ranges][];
        double[] x = block, w = product, theta = RitzValues;
        Parallel.For(0, ranges, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            index =>
            {
                (int start, int end) = RowPartition.Range(n, ranges, index);
                var partial = new double[m];
                for (int i = start; i < end; i++)
                {
                    int row = i * m;
                    for (int j = 0; j < m; j++)
                    {
                        double r = w[row + j] - theta[j] * x[row + j];
                        partial[j] += r * r;
                    }
                }

                partials[index] = partial;
            });

        for (int j = 0; j < m; j++)
        {
            double sum = 0;
            foreach (double[] partial in partials)
            {
                sum += partial[j];
            }

            Residuals[j] = double.IsFinite(RitzValues[j]) ? Math.Sqrt(sum) : double.PositiveInfinity;
        }
    }

    /// <summary>Row-major (p x q) times (q x r).</summary>
    private static double[] SmallProduct(double[] left, int p, int q, double[] right, int r)
    {
        var result = new double[p * r];
        for (int i = 0; i < p; i++)
        {
            for (int k = 0; k < q; k++)
            {
                double factor = left[i * q + k];
                if (factor == 0)
                {
                    continue;
                }

                for (int j = 0; j < r; j++)
                {
                    result[i * r + j] += factor * right[k * r + j];
                }
            }
        }

        return result;
    }

    private static double[] Transpose(double[] matrix, int rows, int columns)
    {
        var result = new double[rows * columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                result[j * rows + i] = matrix[i * columns + j];
            }
        }

        return result;
    }
}
