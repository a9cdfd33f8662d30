using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using WeatherGinr.Core.Mesh;
using WeatherGinr.Core.Spectral;

namespace WeatherGinr.Benchmarks.Spectral;

/// <summary>
/// One level in its own process: exports the Laplacian it solves (CSR), solves for k pairs, writes them for the
/// reference script, and prints a <see cref="SolveResult"/> as JSON.
/// </summary>
internal static class SolveRun
{
    public static int Execute(Arguments arguments)
    {
        int level = arguments.Integer("level", 5), k = arguments.Integer("k", 100);
        string work = arguments.Text("work", Path.GetTempPath());
        var options = EigensolverOptions.Default with
        {
            Tolerance = arguments.Number("tolerance", EigensolverOptions.Default.Tolerance),
        };

        if (arguments.Text("trace", "false") == "true")
        {
            ChebyshevSubspaceIteration.Trace = line => Console.Error.WriteLine($"trace: {line}");
        }

        var clock = Stopwatch.StartNew();
        Icosphere mesh = Icosphere.Create(level);
        double meshSeconds = clock.Elapsed.TotalSeconds;
        WriteCsr(GraphLaplacian.Combinatorial(mesh), MatrixPath(work, level));

        // Solve as the product does (icosphere, multilevel); the solver builds its own Laplacians.
        double load = LoadAverage();
        clock.Restart();
        LaplacianEigenbasis basis = LaplacianEigensolver.Solve(mesh, k, options);
        double seconds = clock.Elapsed.TotalSeconds;
        long peak = PeakResidentBytes();

        WritePairs(basis, PairsPath(work, level));
        var result = new SolveResult(
            level, mesh.NodeCount, k, seconds, meshSeconds, peak, basis.MaxRelativeResidual, load,
            basis.Statistics.Select(s => new LevelCost(s.NodeCount, s.Method, s.Rounds, s.SparseProducts, s.Seconds))
                .ToArray());
        Console.Out.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    public static string MatrixPath(string work, int level) => Path.Combine(work, $"laplacian-ico{level}.csr");

    public static string PairsPath(string work, int level) => Path.Combine(work, $"pairs-ico{level}.bin");

    /// <summary>The 1-minute load average (first field of /proc/loadavg); NaN where there is none.</summary>
    public static double LoadAverage()
        => File.Exists("/proc/loadavg")
            ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture)
            : double.NaN;

    /// <summary>VmHWM of this process (the kernel's resident high-water mark), in bytes.</summary>
    private static long PeakResidentBytes()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)
                    * 1024;
            }
        }

        return Process.GetCurrentProcess().PeakWorkingSet64;
    }

    private static void WriteCsr(GraphLaplacian laplacian, string path)
    {
        (int[] offsets, int[] columns, double[] values) = laplacian.ToCsr();
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(laplacian.Size);
        writer.Write(columns.Length);
        foreach (int offset in offsets)
        {
            writer.Write(offset);
        }

        foreach (int column in columns)
        {
            writer.Write(column);
        }

        foreach (double value in values)
        {
            writer.Write(value);
        }
    }

    private static void WritePairs(LaplacianEigenbasis basis, string path)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(basis.NodeCount);
        writer.Write(basis.Count);
        foreach (double value in basis.Eigenvalues)
        {
            writer.Write(value);
        }

        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(basis.Vectors.AsSpan()));
    }
}
