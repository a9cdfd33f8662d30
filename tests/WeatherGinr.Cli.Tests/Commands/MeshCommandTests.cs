using System.Diagnostics;
using System.Text.Json;
using WeatherGinr.Core.Spectral;

namespace WeatherGinr.Cli.Tests.Commands;

/// <summary>
/// <c>weatherginr mesh</c> run as a child process (<c>dotnet weatherginr.dll mesh ...</c> from the test's output
/// folder), its JSON checked against the icosphere's formulas and the icosahedron's analytic spectrum.
/// </summary>
public sealed class MeshCommandTests : IDisposable
{
    private readonly string dataRoot = Directory.CreateTempSubdirectory("wginr-mesh-").FullName;

    public void Dispose() => Directory.Delete(dataRoot, recursive: true);

    [Theory]
    [InlineData(2, 9)]
    [InlineData(4, 25)]
    public void Json_counts_follow_the_icosphere_formulas_and_the_second_run_reads_the_cache(int level, int k)
    {
        JsonElement first = RunJson("--level", $"{level}", "--k", $"{k}");
        JsonElement second = RunJson("--level", $"{level}", "--k", $"{k}");

        // V = 10 * 4^L + 2, E = 30 * 4^L, F = 20 * 4^L (so V - E + F = 2, a sphere).
        long power = 1L << (2 * level);
        Assert.Equal(10 * power + 2, first.GetProperty("nodeCount").GetInt64());
        Assert.Equal(30 * power, first.GetProperty("edgeCount").GetInt64());
        Assert.Equal(20 * power, first.GetProperty("triangleCount").GetInt64());

        double[] eigenvalues = Doubles(first.GetProperty("eigenvalues"));
        Assert.Equal(k, eigenvalues.Length);
        Assert.Equal(k, first.GetProperty("columns").GetInt32());
        Assert.InRange(eigenvalues[0], -1e-10, 1e-10);
        Assert.True(eigenvalues.Zip(eigenvalues.Skip(1), (a, b) => a <= b).All(x => x), "not ascending");
        Assert.True(first.GetProperty("maxRelativeResidual").GetDouble() <= 1e-8);

        // Bands l = 0, 1, 2 of the sphere (1, 3, 5); k = 9 and k = 25 end bands l = 2 and l = 4.
        int[] sizes = Ints(first.GetProperty("clusterSizes"));
        Assert.Equal([1, 3, 5], sizes.Take(3));
        Assert.Equal(k, sizes.Sum());
        Assert.False(first.GetProperty("cutsCluster").GetBoolean());
        Assert.Equal(k, first.GetProperty("lowerClusterBoundary").GetInt32());
        Assert.Equal(k, first.GetProperty("clusterCompleteCount").GetInt32());

        Assert.False(first.GetProperty("fromCache").GetBoolean());
        Assert.True(second.GetProperty("fromCache").GetBoolean());
        Assert.Equal(eigenvalues, Doubles(second.GetProperty("eigenvalues")));
        string path = second.GetProperty("cachePath").GetString()!;
        string expectedFile = $"ico{level}-combinatorial-k{k}-s{LaplacianEigensolver.SolverVersion}.wgemb";
        Assert.Equal(Path.Combine(dataRoot, "embeddings", expectedFile), path);
        Assert.True(File.Exists(path));
        Assert.True(second.GetProperty("seconds").GetDouble() >= 0);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("300")]
    public void Redirected_output_is_not_wrapped_unless_COLUMNS_asks(string? columns)
    {
        // A data folder whose path alone is longer than 80 columns, Spectre's width when there is no terminal.
        string root = Path.Combine(dataRoot, new string('d', 100));

        var result = CliProcess.Run(["mesh", "--level", "0", "--k", "4", "--data", root],
            environment: new Dictionary<string, string?> { ["COLUMNS"] = columns });

        Assert.Equal(0, result.ExitCode);
        string expected = $"Computed and stored in {Path.Combine(root, "embeddings")}";
        Assert.Contains(result.StandardOutput.Split('\n'), line => line.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_solve_larger_than_the_memory_available_is_refused_before_it_starts()
    {
        // Level 8 (655,362 nodes), k = 50,000: block m = 62,504 columns; 8 n (3 m + k) + 24 m^2 + 1640 n bytes,
        // 1248.1 GiB, more than any machine these tests run on. Nothing is allocated: the check comes first.
        var result = CliProcess.Run(["mesh", "--level", "8", "--k", "50000", "--data", dataRoot]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.StandardOutput);
        string line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^weatherginr: error: --level 8 --k 50000 needs an estimated 1248\.1 GiB of memory " +
            @"\(block buffers and returned vectors, docs/spectral\.md\), more than the \d+\.\d GiB available; " +
            "choose a smaller --k or a lower --level$", line);
        Assert.False(Directory.Exists(Path.Combine(dataRoot, "embeddings")), "nothing may be computed or stored");
    }

    [Fact]
    public void Round_k_never_announces_the_unrounded_count_and_reports_the_rounded_one()
    {
        var result = CliProcess.Run(["mesh", "--level", "3", "--k", "20", "--round-k", "--data", dataRoot]);

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.StandardOutput.Split('\n');
        Assert.DoesNotContain(lines, line => line.Contains(": 20 eigenpairs (cache", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("Icosphere level 3: 20 eigenpairs or more (--round-k) (cache ",
            StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("k = 21 (rounded up from 20)", StringComparison.Ordinal));
    }

    [Fact]
    public void COLUMNS_sets_the_wrapping_width()
    {
        var result = CliProcess.Run(["mesh", "--level", "0", "--k", "4", "--data", dataRoot],
            environment: new Dictionary<string, string?> { ["COLUMNS"] = "50" });

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.StandardOutput.Split('\n');
        Assert.All(lines, line => Assert.InRange(line.TrimEnd('\r').Length, 0, 50));
        Assert.Contains(lines, line => line.Length > 40);
    }

    [Fact]
    public void Level_0_prints_the_icosahedron_spectrum()
    {
        // L = 5 I - A; A has eigenvalues 5, sqrt 5 (x3), -1 (x5), -sqrt 5 (x3).
        double s5 = Math.Sqrt(5);
        double[] expected = [0, 5 - s5, 5 - s5, 5 - s5, 6, 6, 6, 6, 6, 5 + s5, 5 + s5, 5 + s5];

        JsonElement summary = RunJson("--level", "0", "--k", "12");

        double[] eigenvalues = Doubles(summary.GetProperty("eigenvalues"));
        for (int j = 0; j < 12; j++)
        {
            Assert.Equal(expected[j], eigenvalues[j], 1e-12);
        }

        Assert.Equal([1, 3, 5, 3], Ints(summary.GetProperty("clusterSizes")));
    }

    [Fact]
    public void A_k_that_cuts_a_cluster_names_both_boundaries_and_round_k_takes_the_upper_one()
    {
        // Level 3: clusters 1, 3, 5, 3, 4, 5, ... so k = 20 keeps 4 of a 5-fold cluster (boundaries 16 and 21).
        JsonElement cut = RunJson("--level", "3", "--k", "20");
        Assert.True(cut.GetProperty("cutsCluster").GetBoolean());
        Assert.Equal(16, cut.GetProperty("lowerClusterBoundary").GetInt32());
        Assert.Equal(21, cut.GetProperty("clusterCompleteCount").GetInt32());

        JsonElement rounded = RunJson("--level", "3", "--k", "20", "--round-k");
        Assert.Equal(20, rounded.GetProperty("requestedColumns").GetInt32());
        Assert.Equal(21, rounded.GetProperty("columns").GetInt32());
        Assert.False(rounded.GetProperty("cutsCluster").GetBoolean());
        Assert.Equal($"ico3-combinatorial-k21-s{LaplacianEigensolver.SolverVersion}",
            rounded.GetProperty("embeddingId").GetString());
        double[] eigenvalues = Doubles(rounded.GetProperty("eigenvalues"));
        Assert.Equal(eigenvalues[16], eigenvalues[20], 1e-9);

        // Asked again, both counts come from the cache.
        JsonElement again = RunJson("--level", "3", "--k", "20", "--round-k");
        Assert.True(again.GetProperty("fromCache").GetBoolean());
        Assert.Equal(21, again.GetProperty("columns").GetInt32());
    }

    [Theory]
    [InlineData("--level 9", "--level 9 is outside 0..8")]
    [InlineData("--level -1", "--level -1 is outside 0..8")]
    [InlineData("--level 2 --k 0", "--k 0 must lie in 1..162")]
    [InlineData("--level 1 --k 43", "--k 43 must lie in 1..42")]
    [InlineData("--level abc", "'abc'")]
    [InlineData("--level 2 --bogus", "'--bogus'")]
    // Level 5 has 10,242 nodes; k = 2728 needs a block of 3416 (2728 + 682 guard, to a multiple of 8),
    // 3 x 3416 >= 10242, while k = 2727 needs 3408 (3 x 3408 = 10224).
    [InlineData("--level 5 --k 3000", "--k 3000: 3000 eigenpairs need a block of 3752 vectors, a third or more " +
        "of the graph's 10242 nodes: the iterative solver would take hours, and a graph of more than 4000 nodes is " +
        "too large to solve densely; ask for at most 2727 eigenpairs (near that many a solve takes tens of minutes; " +
        "its time grows like k^3) or use a coarser level")]
    public void Bad_arguments_give_one_clear_line_and_exit_code_2(string arguments, string expected)
    {
        (int exitCode, string output, string error) = Run([.. arguments.Split(' '), "--data", dataRoot]);

        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("weatherginr: error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_data_folder_that_is_a_file_is_one_line_naming_the_option_and_exit_code_2()
    {
        string file = Path.Combine(dataRoot, "not-a-folder");
        File.WriteAllText(file, "x");

        (int exitCode, string output, string error) = Run(["--level", "1", "--k", "4", "--data", file]);

        Assert.Equal((2, ""), (exitCode, output));
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"weatherginr: error: --data '{file}' is a file", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_data_folder_under_a_file_is_one_line_naming_the_path_and_its_file_parent_and_exit_code_2()
    {
        // It ended in .NET's "Could not find a part of the path" with exit code 1.
        string file = Path.Combine(dataRoot, "a-file");
        File.WriteAllText(file, "x");
        string folder = Path.Combine(file, "sub");

        (int exitCode, string output, string error) = Run(["--level", "1", "--k", "5", "--data", folder]);

        Assert.Equal((2, ""), (exitCode, output));
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"weatherginr: error: --data '{folder}': its parent '{file}' is a file, not a folder", line,
            StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(file, "sub")));
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("ingest")]
    [InlineData("serve")]
    public void Every_verb_refuses_a_data_folder_under_a_file_in_the_same_words(string verb)
    {
        // demo ended in a stack trace and exit code 1 (found by a helper).
        string file = Path.Combine(dataRoot, "a-file");
        File.WriteAllText(file, "x");
        string folder = Path.Combine(file, "sub");
        string[] arguments = verb == "ingest"
            ? ["ingest", "--source", dataRoot, "--dataset", "x", "--once", "--data", folder]
            : [verb, "--data", folder];

        var result = CliProcess.Run(arguments, timeoutSeconds: 120);

        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"weatherginr: error: --data '{folder}': its parent '{file}' is a file, not a folder", line,
            StringComparison.Ordinal);
    }

    private JsonElement RunJson(params string[] arguments)
    {
        (int exitCode, string output, string error) = Run([.. arguments, "--json", "--data", dataRoot]);
        Assert.True(exitCode == 0, $"exit code {exitCode}: {error}");
        using var document = JsonDocument.Parse(output);
        return document.RootElement.Clone();
    }

    private static (int ExitCode, string Output, string Error) Run(string[] arguments)
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "weatherginr.dll");
        var start = new ProcessStartInfo("dotnet", ["exec", cli, "mesh", .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "weatherginr mesh did not finish in 2 minutes");
        return (process.ExitCode, output.Result, error.Result);
    }

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();
}
