using WeatherGinr.Core.Mesh;
using WeatherGinr.Core.Spectral;

namespace WeatherGinr.Core.Tests.Spectral;

public class LaplacianEigensolverTests
{
    [Theory]
    [InlineData(8, 3445, 0.01)] // measured, docs/spectral.md "Level 8"; the fixed part per node is fitted to it
    [InlineData(7, 899, 0.05)]  // measured by the spectral benchmark (README), not fitted
    public void The_peak_memory_estimate_meets_the_measured_peaks_at_k_100(int level, double measuredMiB,
        double tolerance)
    {
        double estimateMiB = LaplacianEigensolver.EstimatePeakBytes(Icosphere.NodeCountAt(level), 100) / (1 << 20);

        Assert.InRange(estimateMiB, measuredMiB * (1 - tolerance), measuredMiB * (1 + tolerance));
    }

    [Fact]
    public void Icosahedron_spectrum_is_the_analytic_one()
    {
        // The icosahedron's adjacency has eigenvalues 5, sqrt 5 (x3), -1 (x5), -sqrt 5 (x3); L = 5 I - A.
        LaplacianEigenbasis basis = LaplacianEigensolver.Solve(Icosphere.Create(0), 12);
        double s5 = Math.Sqrt(5);
        double[] expected = [0, 5 - s5, 5 - s5, 5 - s5, 6, 6, 6, 6, 6, 5 + s5, 5 + s5, 5 + s5];
        for (int j = 0; j < 12; j++)
        {
            Assert.Equal(expected[j], basis.Eigenvalues[j], 1e-12);
        }

        Assert.Equal([1, 3, 5, 3], basis.ClusterSizes);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)] // 40,962 nodes: the first filter on this level runs in single precision
    public void Residuals_and_orthonormality_meet_the_contract(int level)
    {
        LaplacianEigenbasis basis = SolvedBases.K100(level);
        GraphLaplacian laplacian = GraphLaplacian.Combinatorial(SolvedBases.Mesh(level));
        double norm = SolvedBases.LargestEigenvalue(laplacian);

        Assert.Equal(100, basis.Count);
        Assert.Equal(laplacian.Size, basis.NodeCount);
        Assert.True(basis.Eigenvalues.Zip(basis.Eigenvalues.Skip(1), (a, b) => a <= b).All(x => x), "not ascending");
        Assert.Equal(0.0, basis.Eigenvalues[0], 1e-12);
        Assert.InRange(basis.NormEstimate, norm * (1 - 1e-3), norm * (1 + 1e-2));

        double residual = SolvedBases.RelativeResidual(laplacian, basis, norm);
        Assert.True(residual <= 1e-8, $"relative residual {residual:E2} at level {level}");
        Assert.True(basis.MaxRelativeResidual <= 1e-8, $"reported residual {basis.MaxRelativeResidual:E2}");
        double orthonormality = SolvedBases.OrthonormalityError(basis);
        Assert.True(orthonormality <= 1e-10, $"orthonormality error {orthonormality:E2} at level {level}");

        // The constant vector: every entry 1 / sqrt(n), sign fixed positive.
        Assert.All(basis.Vector(0).ToArray(), value => Assert.Equal(1 / Math.Sqrt(basis.NodeCount), value, 10));
    }

    [Fact]
    public void Single_precision_first_filter_finds_the_same_eigenpairs_as_double()
    {
        // Level 6 by default filters in single precision after the prolongation; the double path (whose level 5
        // result scipy checks) must give the same eigenvalues and the same 100-dimensional invariant subspace
        // (k = 100 ends a cluster, so the subspace is well defined; its angle is about residual / gap).
        LaplacianEigenbasis single = SolvedBases.K100(6);
        LaplacianEigenbasis reference = LaplacianEigensolver.Solve(
            SolvedBases.Mesh(6), 100, new EigensolverOptions { SinglePrecisionFilter = false });
        double norm = reference.NormEstimate;

        for (int j = 0; j < 100; j++)
        {
            Assert.True(Math.Abs(single.Eigenvalues[j] - reference.Eigenvalues[j]) <= 1e-10 * norm,
                $"eigenvalue {j}: {single.Eigenvalues[j]:R} against {reference.Eigenvalues[j]:R}");
        }

        // 1 - ||P u_j||^2, with P the projector onto the double path's span: the squared sine of u_j's angle.
        double worst = 0;
        for (int j = 0; j < 100; j++)
        {
            ReadOnlySpan<double> u = single.Vector(j);
            double projected = 0;
            for (int i = 0; i < 100; i++)
            {
                double dot = 0;
                ReadOnlySpan<double> v = reference.Vector(i);
                for (int p = 0; p < u.Length; p++)
                {
                    dot += u[p] * v[p];
                }

                projected += dot * dot;
            }

            worst = Math.Max(worst, Math.Abs(1 - projected));
        }

        Assert.True(worst <= 1e-10, $"largest squared sine between the two subspaces {worst:E2}");
    }

    [Fact]
    public void Single_precision_on_small_levels_still_meets_the_contract()
    {
        // Forced onto levels 3 and 4, where the cleanup filter's cut leaves much of the spectrum uncleaned: the
        // double rounds that follow must still reach the tolerance and the same eigenvalues.
        var options = new EigensolverOptions { SinglePrecisionMinimumNodes = 0 };
        LaplacianEigenbasis basis = LaplacianEigensolver.Solve(SolvedBases.Mesh(4), 100, options);
        LaplacianEigenbasis reference = SolvedBases.K100(4);
        GraphLaplacian laplacian = GraphLaplacian.Combinatorial(SolvedBases.Mesh(4));
        double norm = SolvedBases.LargestEigenvalue(laplacian);

        Assert.True(SolvedBases.RelativeResidual(laplacian, basis, norm) <= 1e-8);
        Assert.True(SolvedBases.OrthonormalityError(basis) <= 1e-10);
        for (int j = 0; j < 100; j++)
        {
            Assert.Equal(reference.Eigenvalues[j], basis.Eigenvalues[j], 1e-9);
        }
    }

    [Fact]
    public void Multilevel_solve_matches_a_dense_MathNet_decomposition()
    {
        // Level 3 forced through the iterative path (dense limit below its 642 nodes), against a dense EVD.
        Icosphere mesh = Icosphere.Create(3);
        var options = new EigensolverOptions { DenseNodeLimit = 200 };
        LaplacianEigenbasis iterative = LaplacianEigensolver.Solve(mesh, 60, options);
        Assert.Contains(iterative.Statistics, s => s.Method == "chebyshev-subspace" && s.NodeCount == 642);

        double[] dense = DenseEigenvalues(GraphLaplacian.Combinatorial(mesh), mesh);
        for (int j = 0; j < 60; j++)
        {
            Assert.Equal(dense[j], iterative.Eigenvalues[j], 1e-9);
        }
    }

    [Fact]
    public void Random_start_without_a_mesh_converges_to_the_same_eigenvalues()
    {
        Icosphere mesh = Icosphere.Create(3);
        GraphLaplacian laplacian = GraphLaplacian.Combinatorial(mesh);
        var options = new EigensolverOptions { DenseNodeLimit = 100 };
        LaplacianEigenbasis basis = LaplacianEigensolver.Solve(laplacian, 16, options);

        double[] dense = DenseEigenvalues(laplacian, mesh);
        for (int j = 0; j < 16; j++)
        {
            Assert.Equal(dense[j], basis.Eigenvalues[j], 1e-9);
        }

        Assert.True(SolvedBases.OrthonormalityError(basis) <= 1e-10);
    }

    [Fact]
    public void Cluster_sizes_follow_the_icosahedral_splitting_of_spherical_harmonics()
    {
        LaplacianEigenbasis basis = SolvedBases.K100(5);

        // l = 0, 1, 2 stay whole (1, 3, 5); l = 3 splits into 3 + 4 and l = 4 into 4 + 5 under the icosahedral
        // group (Golding 1973); the order of the two parts is what the mesh gives.
        Assert.Equal([1, 3, 5], basis.ClusterSizes.Take(3));
        Assert.Equal([3, 4], basis.ClusterSizes.Skip(3).Take(2).Order());
        Assert.Equal([4, 5], basis.ClusterSizes.Skip(5).Take(2).Order());

        // Consecutive clusters add up to the sphere's 2l + 1 bands, and k = 100 = 10^2 ends band l = 9.
        int index = 0;
        for (int l = 0; l <= 9; l++)
        {
            int band = 0;
            while (band < 2 * l + 1)
            {
                band += basis.ClusterSizes[index++];
            }

            Assert.Equal(2 * l + 1, band);
        }

        Assert.Equal(basis.ClusterSizes.Count, index);
        Assert.False(basis.CutsCluster);
        Assert.Equal(100, basis.ClusterCompleteCount);
        Assert.True(basis.NextEigenvalue > basis.Eigenvalues[99] * 1.05, "band l = 10 starts well above l = 9");
    }

    [Fact]
    public void A_count_that_cuts_a_cluster_is_reported_with_the_rounded_count()
    {
        // k = 6 keeps 2 of the 5-fold l = 2 cluster.
        LaplacianEigenbasis basis = LaplacianEigensolver.Solve(Icosphere.Create(4), 6);
        Assert.True(basis.CutsCluster);
        Assert.Equal(9, basis.ClusterCompleteCount);
        Assert.Equal([1, 3, 2], basis.ClusterSizes);
        Assert.True(basis.MaxRelativeResidual <= 1e-8);
    }

    [Fact]
    public void Eigenvalue_ratios_approach_l_times_l_plus_1_over_2_as_the_level_grows()
    {
        // Band means lambda_l / lambda_1 tend to the Laplace-Beltrami ratio l(l+1) / 2.
        double[] errors3 = BandRatioErrors(SolvedBases.K100(3));
        double[] errors4 = BandRatioErrors(SolvedBases.K100(4));
        double[] errors5 = BandRatioErrors(SolvedBases.K100(5));
        for (int l = 2; l <= 9; l++)
        {
            Assert.True(errors5[l] < errors4[l] && errors4[l] < errors3[l],
                $"l = {l}: errors {errors3[l]:E2}, {errors4[l]:E2}, {errors5[l]:E2} do not shrink");
        }

        Assert.InRange(errors5[2], 0, 0.01);
        Assert.InRange(errors5[4], 0, 0.03);
    }

    [Theory]
    [InlineData(642, 16, true)]     // at most DenseNodeLimit (1000) nodes: always dense
    [InlineData(2562, 100, false)]  // a block of 128 on level 4: iterative
    [InlineData(2562, 672, false)]  // 672 + 168 guard = 840 columns; 3 x 840 = 2520 < 2562: iterative
    [InlineData(2562, 680, true)]   // 680 + 170 = 850, rounded up to 856; 3 x 856 = 2568 >= 2562: dense
    [InlineData(2562, 2000, true)]  // a block of 2504 on 2562 nodes: dense (31 s) rather than iterative (707 s)
    [InlineData(10242, 2727, false)] // the largest k that level 5 still solves iteratively
    public void A_block_that_is_a_large_share_of_a_small_graph_is_solved_densely(int nodes, int k, bool dense) =>
        Assert.Equal(dense, LaplacianEigensolver.UseDense(nodes, k, EigensolverOptions.Default));

    [Fact]
    public void A_block_that_is_a_large_share_of_a_large_graph_is_refused_with_the_largest_k_that_is_not()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => LaplacianEigensolver.UseDense(10242, 2728, EigensolverOptions.Default));

        Assert.Contains("ask for at most 2727 eigenpairs (near that many", error.Message, StringComparison.Ordinal);
        Assert.False(LaplacianEigensolver.UseDense(10242, 2727, EigensolverOptions.Default));
    }

    [Fact]
    public void Hitting_the_iteration_cap_throws_a_clear_error()
    {
        var options = new EigensolverOptions { MaxIterations = 1, MaxFilterDegree = 2, DenseNodeLimit = 100 };
        var error = Assert.Throws<EigensolverNotConvergedException>(
            () => LaplacianEigensolver.Solve(GraphLaplacian.Combinatorial(Icosphere.Create(3)), 20, options));
        Assert.Contains("MaxIterations", error.Message);
        Assert.Equal(642, error.NodeCount);
        Assert.True(error.WorstRelativeResidual > 1e-8);
    }

    [Fact]
    public void A_cancelled_token_stops_the_solve()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(
            () => LaplacianEigensolver.Solve(Icosphere.Create(4), 20, cancellationToken: cancellation.Token));
    }

    private static double[] BandRatioErrors(LaplacianEigenbasis basis)
    {
        var errors = new double[10];
        double first = basis.Eigenvalues.Skip(1).Take(3).Average();
        for (int l = 1; l <= 9; l++)
        {
            double mean = basis.Eigenvalues.Skip(l * l).Take(2 * l + 1).Average();
            errors[l] = Math.Abs(mean / first / (l * (l + 1) / 2.0) - 1);
        }

        return errors;
    }

    private static double[] DenseEigenvalues(GraphLaplacian laplacian, Icosphere mesh)
    {
        int n = laplacian.Size;
        var matrix = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, n);
        for (int e = 0; e < mesh.EdgeCount; e++)
        {
            int u = mesh.EdgeEndpoints[2 * e], v = mesh.EdgeEndpoints[2 * e + 1];
            matrix[u, v] = -1;
            matrix[v, u] = -1;
            matrix[u, u] += 1;
            matrix[v, v] += 1;
        }

        return matrix.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric).EigenValues
            .Select(c => c.Real).Order().ToArray();
    }
}
