using System.CommandLine;
using WeatherGinr.Grains.Abstractions;
using System.CommandLine.Invocation;
using System.Text.Json;
using Spectre.Console;
using WeatherGinr.Cli.Experiments;
using WeatherGinr.Grains.Training;
using WeatherGinr.Ingest;

namespace WeatherGinr.Cli.Commands;

/// <summary>
/// <c>weatherginr experiment NAME [--quick] [--json] [--data DIR] [--input FILE]</c>: runs one of the
/// paper's experiments (<see cref="ExperimentCatalog"/>) and writes its table as Markdown and JSON under
/// <c>{data}/experiments/</c>. <c>--quick</c> runs it at the tiny size the tests use.
/// </summary>
public static class ExperimentCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var json = CommonOptions.JsonOutput();
        var name = new Argument<string>("name")
        {
            Description = "Experiment: " + string.Join(", ", ExperimentCatalog.All.Select(e => e.Name)) + ", or all",
        };
        var quick = new Option<bool>("--quick")
        {
            Description = "Tiny meshes and short trainings (seconds, as the tests run them) instead of the full sizes",
        };
        var input = new Option<string?>("--input")
        {
            Description = "NetCDF file with near-surface temperature for the real-data signals; 'variables' " +
                "also reads uas* and vas* beside a tas* file (default: the demo's CMIP5 2005 monthly tas, uas " +
                "and vas, downloaded into the data folder once)",
        };

        var command = new Command("experiment", "Run one of the paper's experiments and write its result table "
            + "(Markdown and JSON) under {data}/experiments")
        {
            name, data, json, quick, input,
        };
        command.TreatUnmatchedTokensAsErrors = true;
        command.Action = new ExperimentAction(name, data, json, quick, input);
        return command;
    }

    private sealed class ExperimentAction(
        Argument<string> name, Option<string> data, Option<bool> json, Option<bool> quick, Option<string?> input)
        : AsynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override async Task<int> InvokeAsync(ParseResult parseResult,
            CancellationToken cancellationToken = default)
        {
            var choices = string.Join(", ", ExperimentCatalog.All.Select(e => e.Name)) + " or all";
            if (parseResult.GetResult(name) is not { Tokens.Count: > 0 })
            {
                // The parser's own words for a missing argument are about FILEs, which this verb does not take.
                return CommonOptions.Fail($"experiment needs the name of an experiment: {choices} (see " +
                    "'weatherginr experiment --help')", CommonOptions.ExitBadInput);
            }

            if (parseResult.Errors.Count > 0 || parseResult.UnmatchedTokens.Count > 0)
            {
                var problem = CommonOptions.FirstUsageProblem(parseResult);
                return CommonOptions.Fail($"{problem} (see 'weatherginr experiment --help')",
                    CommonOptions.ExitBadInput);
            }

            var requested = parseResult.GetValue(name)!;
            var experiments = requested.Equals("all", StringComparison.OrdinalIgnoreCase)
                ? ExperimentCatalog.All
                : ExperimentCatalog.Find(requested) is { } one ? [one] : [];
            if (experiments.Count == 0)
            {
                return CommonOptions.Fail($"unknown experiment '{requested}'; choose one of {choices}",
                    CommonOptions.ExitBadInput);
            }

            var temperatureFile = parseResult.GetValue(input);
            if (temperatureFile is not null && Directory.Exists(temperatureFile))
            {
                return CommonOptions.Fail($"--input '{temperatureFile}' is a directory, not a NetCDF file; name one " +
                    "file with near-surface temperature", CommonOptions.ExitBadInput);
            }

            if (temperatureFile is not null && !File.Exists(temperatureFile))
            {
                return CommonOptions.Fail($"{temperatureFile}: file does not exist", CommonOptions.ExitBadInput);
            }

            // A file that cannot be read is refused now, before minutes of embedding and training.
            if (temperatureFile is not null)
            {
                try
                {
                    // The same acceptance as ingest: values no weather can have are refused here too.
                    var refusals = WeatherGinr.Ingest.FieldAcceptance.Refusals(
                        WeatherGinr.Ingest.WeatherFieldReader.ReadWeatherFields([temperatureFile]), temperatureFile);
                    if (refusals.Count > 0)
                    {
                        return CommonOptions.Fail($"--input: {refusals[0]}", CommonOptions.ExitBadInput);
                    }
                }
                catch (WeatherGinr.Ingest.IngestException e)
                {
                    return CommonOptions.Fail($"--input: {e.Message}", CommonOptions.ExitBadInput);
                }
            }

            var asJson = parseResult.GetValue(json);
            var console = asJson
                ? CommonOptions.HumanOutput(Console.Error, Console.IsErrorRedirected)
                : CommonOptions.HumanOutput(Console.Out, Console.IsOutputRedirected);
            var context = new ExperimentContext(parseResult.GetValue(data)!, parseResult.GetValue(quick),
                temperatureFile, text => console.MarkupLine($"[grey]{Markup.Escape(text)}[/]"));
            try
            {
                // Each experiment on its own: one whose input does not suit it (no wind files beside the temperature
                // file for 'variables') is told and the others still run, write and print their results.
                var results = new List<ExperimentResult>();
                var refused = 0;
                foreach (var experiment in experiments)
                {
                    ExperimentResult result;
                    try
                    {
                        result = await Task.Run(() => experiment.Run(context, cancellationToken), cancellationToken);
                    }
                    catch (Exception e) when (e is IngestException or ArgumentException or TrainingInputException)
                    {
                        // The temperature file is not NetCDF or does not hold what this experiment needs (a grid
                        // that reaches too few mesh nodes is TrainingInputException, as in a training job).
                        refused++;
                        var reason = ErrorText.Of(e).Split('\n')[0].TrimEnd();
                        var line = experiments.Count == 1 ? reason : $"experiment '{experiment.Name}': {reason}";
                        CommonOptions.Fail(line, CommonOptions.ExitBadInput);
                        continue;
                    }

                    var (markdown, jsonPath) = ExperimentReport.Write(result, context.ResultsFolder);
                    results.Add(result);
                    if (!asJson)
                    {
                        console.WriteLine(ExperimentReport.ToMarkdown(result));
                    }

                    console.MarkupLine($"wrote {Markup.Escape(markdown)} and {Markup.Escape(jsonPath)}");
                }

                if (asJson && results.Count > 0)
                {
                    Console.Out.WriteLine(experiments.Count == 1
                        ? JsonSerializer.Serialize(results[0], CommonOptions.Json)
                        : JsonSerializer.Serialize(results, CommonOptions.Json));
                }

                return refused == 0 ? CommonOptions.ExitOk : CommonOptions.ExitBadInput;
            }
            catch (IOException e)
            {
                return CommonOptions.Fail(e.Message.Split('\n')[0].TrimEnd(), CommonOptions.ExitFailure);
            }
        }
    }
}
