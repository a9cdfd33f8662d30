using System.CommandLine;
using System.CommandLine.Invocation;
using System.Text.Json;
using Spectre.Console;
using WeatherGinr.Core.Mesh;
using WeatherGinr.Core.Spectral;
using WeatherGinr.Grains.Storage;

namespace WeatherGinr.Cli.Commands;

/// <summary>
/// <c>weatherginr mesh --level L --k K [--round-k] [--json] [--data DIR]</c>: builds (or loads from the shared
/// embedding cache, <c>{data}/embeddings</c>) the spectral embedding of an icosphere and describes it.
/// </summary>
/// <remarks>
/// Every usage error, whether the parser's (an unknown option, a value that is not a number) or ours (a level
/// outside 0..8), is one line on standard error and exit code 2; the parser's help text is not printed.
/// </remarks>
public static class MeshCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var json = CommonOptions.JsonOutput();
        var level = new Option<int>("--level")
        {
            Description = $"Icosphere level, 0..{Icosphere.MaxLevel} (level L has 10*4^L + 2 nodes)",
            DefaultValueFactory = _ => 5,
        };
        var k = new Option<int>("--k")
        {
            Description = "Eigenpairs (embedding columns), the constant vector included",
            DefaultValueFactory = _ => 100,
        };
        var roundK = new Option<bool>("--round-k")
        {
            Description = "When k cuts a degenerate eigenvalue cluster, raise it to the end of that cluster",
        };

        var command = new Command("mesh", "Build or load the icosphere's Laplacian eigenbasis and describe it: "
            + "counts, eigenvalues, degenerate clusters, residual, cache use and time")
        {
            data, json, level, k, roundK,
        };
        command.TreatUnmatchedTokensAsErrors = true;
        command.Action = new MeshAction(data, json, level, k, roundK);
        return command;
    }

    /// <summary>Validates, then runs; owns the parse errors of its options so it can report them in one line.</summary>
    private sealed class MeshAction(
        Option<string> data, Option<bool> json, Option<int> level, Option<int> k, Option<bool> roundK)
        : AsynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
        {
            if (parseResult.Errors.Count > 0 || parseResult.UnmatchedTokens.Count > 0)
            {
                var problem = CommonOptions.FirstUsageProblem(parseResult);
                return Task.FromResult(CommonOptions.Fail(
                    $"{problem} (see 'weatherginr mesh --help')", CommonOptions.ExitBadInput));
            }

            int meshLevel = parseResult.GetValue(level), columns = parseResult.GetValue(k);
            if (meshLevel is < 0 or > Icosphere.MaxLevel)
            {
                return Task.FromResult(CommonOptions.Fail(
                    $"--level {meshLevel} is outside 0..{Icosphere.MaxLevel}", CommonOptions.ExitBadInput));
            }

            // Refused before anything starts (no status line on standard output first).
            if (EmbeddingSizeProblem(meshLevel, columns) is { } sizeProblem)
            {
                return Task.FromResult(CommonOptions.Fail(sizeProblem, CommonOptions.ExitBadInput));
            }

            string root = Path.GetFullPath(parseResult.GetValue(data)!);
            return Task.Run(
                () => Run(new DataFolder(root), meshLevel, columns, parseResult.GetValue(roundK),
                    parseResult.GetValue(json), cancellationToken),
                cancellationToken);
        }
    }

    private static int Run(
        DataFolder folder, int level, int columns, bool roundK, bool json, CancellationToken cancellationToken)
    {
        var console = json
            ? CommonOptions.HumanOutput(Console.Error, Console.IsErrorRedirected)
            : CommonOptions.HumanOutput(Console.Out, Console.IsOutputRedirected);

        MeshSummary summary;
        try
        {
            var cache = new EmbeddingCache(folder.Embeddings)
            {
                InvalidFileReplaced = reason =>
                    Console.Error.WriteLine(CommonOptions.Printable($"weatherginr: warning: {reason}")),
            };
            // With --round-k the count is known only once the solve has seen the eigenvalue clusters: say so, rather
            // than announce the k asked for; the result names the rounded count.
            string count = roundK ? $"{columns} eigenpairs or more (--round-k)" : $"{columns} eigenpairs";
            summary = console.Status().Start(
                $"Icosphere level {level}: {count} (cache {Markup.Escape(CommonOptions.Printable(cache.Folder))})",
                _ => MeshSummary.Create(cache, level, columns, roundK, cancellationToken: cancellationToken));
        }
        catch (ArgumentOutOfRangeException e)
        {
            // The solver refuses a k too close to n for its guard vectors; the message names the fix.
            return CommonOptions.Fail(
                $"--k {columns}: {FirstLine(e.Message).Split(" (Parameter", 2)[0]}", CommonOptions.ExitBadInput);
        }
        catch (Exception e) when (e is EigensolverNotConvergedException or IOException or UnauthorizedAccessException)
        {
            return CommonOptions.Fail(FirstLine(e.Message), CommonOptions.ExitFailure);
        }

        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(summary, CommonOptions.Json));
        }
        else
        {
            Write(console, summary);
        }

        return CommonOptions.ExitOk;
    }

    /// <remarks>Numbers print with '.' decimals: the project runs with invariant globalization.</remarks>
    private static void Write(IAnsiConsole console, MeshSummary summary)
    {
        console.MarkupLine(
            $"[bold]Icosphere level {summary.Level}[/]: {summary.NodeCount:N0} nodes, {summary.EdgeCount:N0} edges, "
            + $"{summary.TriangleCount:N0} triangles, mean edge {summary.MeanEdgeLengthDegrees:F3} degrees");
        string rounded = summary.Columns != summary.RequestedColumns
            ? $" (rounded up from {summary.RequestedColumns})"
            : "";
        console.MarkupLine(
            $"Embedding [bold]{summary.EmbeddingId}[/]: k = {summary.Columns}{rounded}, "
            + $"max residual {summary.MaxRelativeResidual:0.00e0} ||L||");

        var table = new Table().AddColumns("cluster", "size", "columns", "eigenvalue (mean)");
        int first = 0;
        for (int c = 0; c < summary.ClusterSizes.Count; c++)
        {
            int size = summary.ClusterSizes[c];
            double mean = summary.Eigenvalues.Skip(first).Take(size).Average();
            table.AddRow($"{c + 1}", $"{size}", $"{first}..{first + size - 1}", $"{mean:G10}");
            first += size;
        }

        console.Write(table);
        console.MarkupLine(summary.CutsCluster
            ? $"[yellow]k = {summary.Columns} cuts a degenerate cluster[/]: round to {summary.LowerClusterBoundary} "
                + $"or {summary.ClusterCompleteCount} (--round-k takes {summary.ClusterCompleteCount})"
            : $"k = {summary.Columns} ends on a cluster boundary");

        string source = summary.FromCache ? "Loaded from" : "Computed and stored in";
        string cachePath = Markup.Escape(CommonOptions.Printable(summary.CachePath));
        console.MarkupLine($"{source} {cachePath} in {summary.Seconds:F2} s");
    }

    /// <summary>
    /// Memory this process can still take: the smaller of the runtime's limit (physical memory or a container's
    /// limit) and, where Linux reports it, <c>MemAvailable</c> (free memory plus caches it can drop).
    /// </summary>
    /// <summary>
    /// What is wrong with asking for k columns on a level, or null: k in 1..n, a block the solver takes (not a
    /// third of a graph too large to solve densely), and a peak memory this machine has. The demo and mesh both
    /// ask it, so the two verbs take and refuse the same k with the same words.
    /// </summary>
    internal static string? EmbeddingSizeProblem(int level, int columns)
    {
        int nodes = Icosphere.NodeCountAt(level);
        if (columns < 1 || columns > nodes)
        {
            return $"--k {columns} must lie in 1..{nodes} (the node count of level {level})";
        }

        if (LaplacianEigensolver.SizeRefusal(nodes, columns) is { } refusal)
        {
            return $"--k {columns}: {refusal}";
        }

        // A solve that cannot fit would run for minutes and then take the machine's memory: refuse it first.
        double neededBytes = LaplacianEigensolver.EstimatePeakBytes(nodes, columns);
        long availableBytes = AvailableMemoryBytes();
        return neededBytes > availableBytes
            ? $"--level {level} --k {columns} needs an estimated {Gibibytes(neededBytes)} of memory " +
              "(block buffers and returned vectors, docs/spectral.md), more than the " +
              $"{Gibibytes(availableBytes)} available; choose a smaller --k or a lower --level"
            : null;
    }

    internal static long AvailableMemoryBytes()
    {
        long limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        try
        {
            foreach (string line in File.ReadLines("/proc/meminfo"))
            {
                // "MemAvailable:   22953380 kB"
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields is ["MemAvailable:", var kibibytes, "kB"] && long.TryParse(kibibytes, out long available))
                {
                    return Math.Min(limit, available * 1024);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or no /proc: the runtime's figure alone.
        }

        return limit;
    }

    private static string Gibibytes(double bytes) =>
        (bytes / (1L << 30)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " GiB";

    private static string FirstLine(string message) => message.Split('\n')[0].TrimEnd();
}
