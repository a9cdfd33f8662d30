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

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static int Execute(Arguments arguments)
    {
        int[] levels = arguments.Integers("levels", [5, 6, 7]);
        int k = arguments.Integer("k", 100);
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
                Console.Error.WriteLine($"level {level}: WeatherGinr solver...");
                SolveResult ours = JsonSerializer.Deserialize<SolveResult>(RunChild(SelfCommand(
                    "solve", "--level", Invariant(level), "--k", Invariant(k), "--work", work)), Json)!;
                foreach (LevelCost cost in ours.Levels)
                {
                    Console.Error.WriteLine((
                        $"  n = {cost.NodeCount,7}: {cost.Method,-18} {cost.Rounds,3} rounds, "
                        + $"{cost.SparseProducts,4} sparse products, {cost.Seconds,6:F2} s"));
                }

                Console.Error.WriteLine($"level {level}: scipy eigsh shift-invert...");
                ReferenceResult reference = JsonSerializer.Deserialize<ReferenceResult>(RunChild(
                    [python, script, SolveRun.MatrixPath(work, level), SolveRun.PairsPath(work, level),
                        Invariant(k), Invariant(ScipyShift)]), Json)!;
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

        string table = Table(rows, k);
        Console.Out.Write(table);
        if (markdownPath is not null)
        {
            File.WriteAllText(markdownPath, table);
        }

        return 0;
    }

    private static string Table(List<string> rows, int k)
    {
        var text = new StringBuilder();
        text.AppendLine((
            $"k = {k}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}; residual = max_j "
            + "||L u_j - lambda_j u_j|| / ||L||, the same Python code for both; peak = resident high-water mark"));
        text.AppendLine();
        text.AppendLine("| level | nodes | ours (s) | scipy (s) | scipy / ours | ours residual | scipy residual "
            + "| ours orthonormality | scipy orthonormality | max \\|lambda diff\\| | ours peak (MiB) "
            + "| scipy peak (MiB) |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        rows.ForEach(row => text.AppendLine(row));
        return text.ToString();
    }

    private static string Row(SolveResult ours, ReferenceResult reference)
        => (
            $"| {ours.Level} | {ours.NodeCount} | {ours.Seconds:F2} | {reference.Seconds:F2} "
            + $"| {reference.Seconds / ours.Seconds:F1} | {reference.OursResidual:E1} | {reference.Residual:E1} "
            + $"| {reference.OursOrthonormality:E1} | {reference.Orthonormality:E1} "
            + $"| {reference.MaxEigenvalueDifference:E1} | {ours.PeakMemoryBytes / 1048576.0:F0} "
            + $"| {reference.PeakMemoryBytes / 1048576.0:F0} |");

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
