using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace WeatherGinr.Benchmarks.Spectral;

/// <summary>
/// For each level: our solver in a child process (which exports the matrix it solves), then scipy's eigsh with
/// shift-invert on that exported matrix, then one table row. Both residuals are computed by the same Python code:
/// <c>max_j ||L u_j - lambda_j u_j||_2 / ||L||_2</c>, with ||L||_2 = lambda_max from Lanczos.
/// </summary>
/// <remarks>Text is formatted with the invariant culture: the build sets InvariantGlobalization.</remarks>
internal static class BenchmarkRun
{
    /// <summary>Shift of scipy's shift-invert: L - sigma I must be non-singular (L has a null vector).</summary>
    private const double ScipyShift = -1e-3;

    /// <summary>Our solver's residual tolerance, relative to ||L||: the honest setting for scipy's tol.</summary>
    private const double ContractTolerance = 1e-8;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static int Execute(Arguments arguments)
    {
        int[] levels = arguments.Integers("levels", [5, 6, 7]);
        int k = arguments.Integer("k", 100);
        int repeat = Math.Max(1, arguments.Integer("repeat", 1));
        double tolerance = arguments.Number("tolerance", ContractTolerance);
        bool withScipy = arguments.Text("reference", "scipy") switch
        {
            "scipy" => true,
            "none" => false,
            string other => throw new ArgumentException($"--reference '{other}': expected 'scipy' or 'none'"),
        };
        string python = arguments.Text("python", "/usr/bin/python3");
        string? markdownPath = arguments.Text("markdown", "") is { Length: > 0 } m ? m : null;
        string work = arguments.Text("work", Directory.CreateTempSubdirectory("wginr-spectral-bench-").FullName);
        Directory.CreateDirectory(work);
        string script = Path.Combine(AppContext.BaseDirectory, "eigsh_reference.py");

        Console.Error.WriteLine($"Working folder {work}; {Environment.ProcessorCount} cores; python {python}");
        var rows = new List<string>();
        try
        {
            foreach (int level in levels)
            {
                SolveResult ours = SolveFastest(level, k, repeat, tolerance, work);
                if (!withScipy)
                {
                    rows.Add(OursOnlyRow(ours));
                    Console.Error.WriteLine(rows[^1]);
                    continue;
                }

                Console.Error.WriteLine(
                    $"level {level}: scipy eigsh shift-invert, default tolerance and tol = {ContractTolerance}...");
                ReferenceResult reference = JsonSerializer.Deserialize<ReferenceResult>(RunChild(
                    [python, script, SolveRun.MatrixPath(work, level), SolveRun.PairsPath(work, level),
                        Invariant(k), Invariant(ScipyShift), Invariant(ContractTolerance)]), Json)!;
                rows.Add(Row(ours, reference));
                Console.Error.WriteLine(rows[^1]);
                File.Delete(SolveRun.PairsPath(work, level));
                File.Delete(SolveRun.MatrixPath(work, level));
            }
        }
        finally
        {
            if (arguments.Text("work", "") is "")
            {
                Directory.Delete(work, recursive: true);
            }
        }

        string table = withScipy ? Table(rows, k) : OursOnlyTable(rows, k);
        Console.Out.Write(table);
        if (markdownPath is not null)
        {
            File.WriteAllText(markdownPath, table);
        }

        return 0;
    }

    /// <summary>Our solver <paramref name="repeat"/> times in fresh child processes; the fastest run counts.</summary>
    private static SolveResult SolveFastest(int level, int k, int repeat, double tolerance, string work)
    {
        SolveResult? fastest = null;
        for (int run = 1; run <= repeat; run++)
        {
            Console.Error.WriteLine($"level {level}: WeatherGinr solver, run {run} of {repeat}...");
            SolveResult ours = JsonSerializer.Deserialize<SolveResult>(RunChild(SelfCommand(
                "solve", "--level", Invariant(level), "--k", Invariant(k), "--tolerance", Invariant(tolerance),
                "--work", work)), Json)!;
            foreach (LevelCost cost in ours.Levels)
            {
                Console.Error.WriteLine((
                    $"  n = {cost.NodeCount,7}: {cost.Method,-18} {cost.Rounds,3} rounds, "
                    + $"{cost.SparseProducts,4} sparse products, {cost.Seconds,6:F2} s"));
            }

            Console.Error.WriteLine(
                $"  total {ours.Seconds:F2} s, load average {ours.LoadAverage:F2} at the start");
            if (fastest is null || ours.Seconds < fastest.Seconds)
            {
                fastest = ours;
            }
        }

        return fastest!;
    }

    private static string Table(List<string> rows, int k)
    {
        var text = new StringBuilder();
        text.AppendLine((
            $"k = {k}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}; residual = max_j "
            + "||L u_j - lambda_j u_j|| / ||L||, the same Python code for all; peak = resident high-water mark; "
            + $"scipy at its default tolerance (machine precision) and at tol = {ContractTolerance} (our contract); "
            + "load = 1-minute load average as each solve started (ours / scipy / scipy at tol)"));
        text.AppendLine();
        text.AppendLine("| level | nodes | ours (s) | scipy (s) | scipy tol (s) | scipy / ours | scipy tol / ours "
            + "| ours residual | scipy residual | scipy tol residual | ours orthonormality | scipy orthonormality "
            + "| max \\|lambda diff\\| | ours peak (MiB) | scipy peak (MiB) | load |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        rows.ForEach(row => text.AppendLine(row));
        return text.ToString();
    }

    private static string OursOnlyTable(List<string> rows, int k)
    {
        var text = new StringBuilder();
        text.AppendLine((
            $"k = {k}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}; ours only; residual as "
            + "the solver reports it; load = 1-minute load average as the solve started"));
        text.AppendLine();
        text.AppendLine("| level | nodes | ours (s) | finest level (s) | sparse products | ours residual "
            + "| ours peak (MiB) | load |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        rows.ForEach(row => text.AppendLine(row));
        return text.ToString();
    }

    private static string Row(SolveResult ours, ReferenceResult reference)
        => (
            $"| {ours.Level} | {ours.NodeCount} | {ours.Seconds:F2} | {reference.Seconds:F2} "
            + $"| {reference.ContractSeconds:F2} | {reference.Seconds / ours.Seconds:F1} "
            + $"| {reference.ContractSeconds / ours.Seconds:F1} | {reference.OursResidual:E1} "
            + $"| {reference.Residual:E1} | {reference.ContractResidual:E1} "
            + $"| {reference.OursOrthonormality:E1} | {reference.Orthonormality:E1} "
            + $"| {reference.MaxEigenvalueDifference:E1} | {ours.PeakMemoryBytes / 1048576.0:F0} "
            + $"| {reference.PeakMemoryBytes / 1048576.0:F0} "
            + $"| {ours.LoadAverage:F1} / {reference.LoadAverage:F1} / {reference.ContractLoadAverage:F1} |");

    private static string OursOnlyRow(SolveResult ours)
    {
        LevelCost finest = ours.Levels[^1];
        return (
            $"| {ours.Level} | {ours.NodeCount} | {ours.Seconds:F2} | {finest.Seconds:F2} "
            + $"| {ours.Levels.Sum(level => level.SparseProducts)} | {ours.ReportedResidual:E1} "
            + $"| {ours.PeakMemoryBytes / 1048576.0:F0} | {ours.LoadAverage:F1} |");
    }

    /// <summary>This program again (through the dotnet host when that is how it was started).</summary>
    private static string[] SelfCommand(params string[] arguments)
    {
        string host = Environment.ProcessPath!;
        return Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? [host, "exec", typeof(BenchmarkRun).Assembly.Location, .. arguments]
            : [host, .. arguments];
    }

    /// <summary>Runs a command to completion; returns its standard output, throws with its error output.</summary>
    private static string RunChild(string[] command)
    {
        var start = new ProcessStartInfo(command[0], command[1..])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{string.Join(' ', command)}' exited with {process.ExitCode}: {error.Result}");
        }

        return output.Result;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
