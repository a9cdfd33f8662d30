using System.Diagnostics;
using System.Globalization;
using WeatherGinr.Core.Mesh;
using WeatherGinr.Core.Spectral;
using Xunit.Abstractions;

namespace WeatherGinr.Core.Tests.Spectral;

/// <summary>Eigenvalues against scipy's ARPACK (Debian's python3-scipy under /usr/bin/python3).</summary>
public class ScipyComparisonTests(ITestOutputHelper output)
{
    private const string Python = "/usr/bin/python3";

    private const string Script = """
        import sys, numpy as np, scipy.sparse as sp
        from scipy.sparse.linalg import eigsh
        n, k = int(sys.argv[2]), int(sys.argv[3])
        e = np.loadtxt(sys.argv[1], dtype=np.int64).reshape(-1, 2)
        ij = (np.r_[e[:, 0], e[:, 1]], np.r_[e[:, 1], e[:, 0]])
        a = sp.coo_matrix((np.ones(2 * len(e)), ij), shape=(n, n)).tocsr()
        lap = sp.diags(np.asarray(a.sum(axis=1)).ravel()) - a
        w = eigsh(lap.tocsc(), k=k, sigma=-1e-3, which='LM', tol=1e-13, return_eigenvectors=False)
        print("\n".join(repr(x) for x in np.sort(w)))
        """;

    [Fact]
    public void Level_5_eigenvalues_match_scipy_eigsh_shift_invert()
    {
        if (!ScipyAvailable())
        {
            // Reported rather than silently passed: the comparison needs Debian's python3-scipy.
            output.WriteLine($"NOT RUN: {Python} cannot import scipy (apt-get install python3-scipy).");
            return;
        }

        Icosphere mesh = SolvedBases.Mesh(5);
        LaplacianEigenbasis basis = SolvedBases.K100(5);
        string folder = Directory.CreateTempSubdirectory("wginr-scipy-").FullName;
        try
        {
            string edges = Path.Combine(folder, "edges.txt");
            File.WriteAllLines(edges, Enumerable.Range(0, mesh.EdgeCount).Select(e =>
                string.Create(CultureInfo.InvariantCulture,
                    $"{mesh.EdgeEndpoints[2 * e]} {mesh.EdgeEndpoints[2 * e + 1]}")));
            string script = Path.Combine(folder, "eig.py");
            File.WriteAllText(script, Script);

            double[] reference = Run(script, edges, mesh.NodeCount, 100)
                .Select(line => double.Parse(line, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(100, reference.Length);
            double worst = reference.Zip(basis.Eigenvalues, (a, b) => Math.Abs(a - b)).Max();
            output.WriteLine($"largest |lambda - lambda_scipy| = {worst:E2}");
            Assert.True(worst <= 1e-9, $"eigenvalues differ from scipy by up to {worst:E2}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static bool ScipyAvailable()
    {
        if (!File.Exists(Python))
        {
            return false;
        }

        using Process process = Process.Start(new ProcessStartInfo(Python, ["-c", "import scipy"])
        {
            RedirectStandardError = true,
        })!;
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    private static string[] Run(string script, string edges, int nodes, int count)
    {
        var start = new ProcessStartInfo(Python, [script, edges, nodes.ToString(CultureInfo.InvariantCulture),
            count.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"scipy failed: {stderr}");
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
