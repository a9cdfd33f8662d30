using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Ingest;
using WeatherGinr.Grains.Storage;
using WeatherGinr.Host;

namespace WeatherGinr.Cli.Commands;

/// <summary>
/// <c>weatherginr ingest --source DIR --dataset NAME --once</c>: one scan of a drop folder into a dataset
/// through the embedded silo, for a Kubernetes CronJob or a shell. Exit codes (docs/ingestion.md):
/// 0 nothing refused, 3 some files refused and others ingested, 1 nothing could be ingested or the
/// source could not be read, 2 bad arguments.
/// </summary>
public static class IngestCommand
{
    public const int ExitPartial = 3;

    public static Command Create()
    {
        var source = new Option<string>("--source")
        {
            Description = "Drop folder to scan (a path or file:// URI); refused files move to SOURCE/rejected/",
        };
        var dataset = new Option<string>("--dataset")
        {
            Description = "Dataset to ingest into (letters, digits, - _ .)",
        };
        var once = new Option<bool>("--once")
        {
            Description = "Scan once and exit (the only mode of this verb; schedules run in the cluster)",
        };
        var data = CommonOptions.Data();
        var json = CommonOptions.JsonOutput();
        var command = new Command("ingest", "Scan a drop folder once and ingest new NetCDF files into a dataset " +
            "(idempotent: a file already held changes nothing). Exit 0 ok, 3 partial, 1 failure, 2 bad arguments")
        {
            source, dataset, once, data, json,
        };
        command.SetAction(async (parse, cancellationToken) => await RunAsync(parse.GetValue(source),
            parse.GetValue(dataset), parse.GetValue(once), parse.GetValue(data)!, parse.GetValue(json),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? sourceLocation, string? dataset, bool once, string dataRoot,
        bool json, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(sourceLocation) || string.IsNullOrWhiteSpace(dataset))
        {
            return CommonOptions.Fail("ingest needs --source DIR and --dataset NAME", CommonOptions.ExitBadInput);
        }

        if (!once)
        {
            return CommonOptions.Fail("ingest scans once per call: add --once (scheduled scans run in the " +
                "cluster through IIngestionScheduleGrain; see docs/ingestion.md)", CommonOptions.ExitBadInput);
        }

        IIngestSource source;
        try
        {
            DataFolder.SafeName(dataset, "--dataset");
            source = IngestSources.Open(sourceLocation);
            if (source is DropFolderSource drop && File.Exists(drop.Folder))
            {
                return CommonOptions.Fail($"--source must be a folder, but '{drop.Folder}' is a file; pass the " +
                    "drop folder that holds the NetCDF files", CommonOptions.ExitBadInput);
            }
        }
        catch (ArgumentException e)
        {
            return CommonOptions.Fail(ErrorText.Of(e), CommonOptions.ExitBadInput);
        }

        var dataFolder = new DataFolder(dataRoot);
        if (source is DropFolderSource dropFolder && dataFolder.OwnFolderHolding(dropFolder.Folder) is { } own)
        {
            return CommonOptions.Fail($"--source '{dropFolder.Folder}' lies in '{own}', which holds the product's " +
                "own files; a scan would take them for input and move them aside. Drop files into a folder of " +
                "their own", CommonOptions.ExitBadInput);
        }

        await using var app = WeatherGinrHost.Build(new WeatherGinrHostOptions
        {
            DataRoot = dataFolder.Root,
            ServeHttp = false,
            // The report is this command's output; console logs would interleave with it.
            ConsoleLogLevel = LogLevel.None,
        });
        IngestScanReport report;
        try
        {
            await app.StartAsync(cancellationToken);
            var grains = app.Services.GetRequiredService<IGrainFactory>();
            report = await IngestScan.RunAsync(source, grains, dataset,
                Path.Combine(dataFolder.Root, "staging", dataset), NullLogger.Instance, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (Environment.GetEnvironmentVariable("WEATHERGINR_DEBUG") is { Length: > 0 })
            {
                Console.Error.WriteLine(e);
            }

            return CommonOptions.Fail($"ingest into '{dataset}' failed: {e.Message} (set WEATHERGINR_DEBUG=1 for " +
                "details)", CommonOptions.ExitFailure);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }

        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(report, CommonOptions.Json));
        }
        else
        {
            WriteSummary(report);
        }

        if (report.Error is not null)
        {
            CommonOptions.Fail(report.Error, CommonOptions.ExitFailure);
        }

        foreach (var rejected in report.Rejected)
        {
            Console.Error.WriteLine(
                CommonOptions.Printable($"weatherginr: rejected '{rejected.Path}': {ReasonAlone(rejected)}"));
        }

        return ExitCode(report.Outcome);
    }

    /// <summary>
    /// The reason without the file's path where it names the file the line names already (decoding errors start
    /// with "'PATH': ", "variable 'V' in 'PATH': " or "file 'PATH' ..."), so the path is printed once.
    /// </summary>
    internal static string ReasonAlone(RejectedFile rejected)
    {
        var (reason, quoted) = (rejected.Reason, $"'{rejected.Path}'");
        if (reason.StartsWith(quoted + ": ", StringComparison.Ordinal))
        {
            return reason[(quoted.Length + 2)..];
        }

        var inFile = reason.IndexOf(" in " + quoted + ": ", StringComparison.Ordinal);
        if (reason.StartsWith("variable '", StringComparison.Ordinal) && inFile > 0)
        {
            return reason.Remove(inFile, 4 + quoted.Length);
        }

        return reason.StartsWith("file " + quoted + " ", StringComparison.Ordinal)
            ? "file" + reason[(5 + quoted.Length)..]
            : reason;
    }

    /// <summary>0 succeeded (also when nothing was new), 3 partial, 1 failed.</summary>
    public static int ExitCode(IngestOutcome outcome) => outcome switch
    {
        IngestOutcome.Succeeded => CommonOptions.ExitOk,
        IngestOutcome.Partial => ExitPartial,
        _ => CommonOptions.ExitFailure,
    };

    /// <summary>One line per file; control characters in names are escaped so that each file stays one line.</summary>
    private static void WriteSummary(IngestScanReport report)
    {
        WriteLine($"{report.Source} -> dataset '{report.Dataset}' (version {report.DatasetVersion?.ToString(
            System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"})");
        foreach (var file in report.Added)
        {
            WriteLine($"  added      {file.Path}: {string.Join(", ", file.Variables)}");
        }

        foreach (var file in report.Unchanged)
        {
            WriteLine($"  unchanged  {file.Path}");
        }

        foreach (var file in report.Rejected)
        {
            WriteLine($"  rejected   {file.Path} -> {file.MovedTo ?? "(left in place)"}");
        }

        WriteLine($"{report.Outcome.ToString().ToLowerInvariant()}: {report.Added.Count} added, " +
            $"{report.Unchanged.Count} unchanged, {report.Rejected.Count} rejected");

        static void WriteLine(string line) => Console.Out.WriteLine(CommonOptions.Printable(line));
    }
}
