using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using WeatherGinr.Cli.Demo;
using WeatherGinr.Core.Mesh;
using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Storage;
using WeatherGinr.Host;
using WeatherGinr.Ingest;
using WeatherGinr.Training;

namespace WeatherGinr.Cli.Commands;

/// <summary><c>weatherginr demo</c>: the whole job on real data, in one embedded process.</summary>
public static class DemoCommand
{
    /// <summary>
    /// Training defaults for the demo: the measured preset (<see cref="GinrPresets"/>), about 80 s a job on
    /// 2 idle cores; the time budget guards a busy machine.
    /// </summary>
    public static TrainingSettings DefaultTraining { get; } = new(
        Layers: GinrPresets.DemoArchitecture(100, 1).Layers, Width: GinrPresets.DemoArchitecture(100, 1).Width,
        Activation: GinrPresets.DemoArchitecture(100, 1).Activation.ToString(),
        LearningRate: GinrPresets.DemoOptions.LearningRate, BatchSize: GinrPresets.DemoOptions.BatchSize,
        MaxSteps: GinrPresets.DemoOptions.MaxSteps, TimeBudgetSeconds: GinrPresets.DemoOptions.TimeBudgetSeconds!.Value,
        Seed: GinrPresets.DemoOptions.Seed);

    public static Command Create()
    {
        var data = CommonOptions.Data();
        var json = CommonOptions.JsonOutput();
        var input = new Option<string[]>("--input")
        {
            Description = "Your own NetCDF files instead of the Debian sample packages",
            AllowMultipleArgumentsPerToken = true,
        };
        var level = new Option<int>("--level") { Description = "Icosphere level", DefaultValueFactory = _ => 5 };
        var k = new Option<int>("--k")
        {
            Description = "Embedding columns (eigenvectors)", DefaultValueFactory = _ => 100,
        };
        var steps = new Option<int?>("--steps") { Description = "Training steps per job (default: preset)" };
        var budget = new Option<double?>("--time-budget")
        {
            Description = "Training seconds per job (default: preset)",
        };
        var layers = new Option<int?>("--layers") { Description = "Linear layers of the network (default: preset)" };
        var width = new Option<int?>("--width") { Description = "Width of every hidden layer (default: preset)" };
        var activation = new Option<string?>("--activation") { Description = "Sine (SIREN) or Relu (default: preset)" };
        var learningRate = new Option<double?>("--lr") { Description = "AdamW learning rate (default: preset)" };
        var batch = new Option<int?>("--batch") { Description = "(node, time) pairs per step (default: preset)" };
        var serve = new Option<bool>("--serve") { Description = "Keep the HTTP query service up until Ctrl+C" };
        var port = new Option<int?>("--port") { Description = "HTTP port (default: any free port; 5088 with --serve)" };

        var command = new Command("demo", "Run the whole job on real sample data: ingest, embed, train, score, " +
            "export super-resolved Parquet and maps, and query the HTTP service")
        {
            data, json, input, level, k, steps, budget, layers, width, activation, learningRate, batch, serve, port,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var training = DefaultTraining with
            {
                MaxSteps = parse.GetValue(steps) ?? DefaultTraining.MaxSteps,
                TimeBudgetSeconds = parse.GetValue(budget) ?? DefaultTraining.TimeBudgetSeconds,
                Layers = parse.GetValue(layers) ?? DefaultTraining.Layers,
                Width = parse.GetValue(width) ?? DefaultTraining.Width,
                Activation = parse.GetValue(activation) ?? DefaultTraining.Activation,
                LearningRate = parse.GetValue(learningRate) ?? DefaultTraining.LearningRate,
                BatchSize = parse.GetValue(batch) ?? DefaultTraining.BatchSize,
            };
            var options = new DemoOptions
            {
                DataRoot = Path.GetFullPath(parse.GetValue(data)!),
                InputFiles = parse.GetValue(input),
                MeshLevel = parse.GetValue(level),
                EmbeddingColumns = parse.GetValue(k),
                Training = training,
            };
            var keepServing = parse.GetValue(serve);
            return await RunAsync(options, parse.GetValue(json), keepServing,
                parse.GetValue(port) ?? (keepServing ? 5088 : 0), cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// What is wrong with the training options, one line per option, named as the user typed it; empty when
    /// nothing is. The rules are those of <see cref="Grains.Training.TrainingSettingsCheck"/>.
    /// </summary>
    internal static IReadOnlyList<string> TrainingOptionProblems(TrainingSettings training)
    {
        ArgumentNullException.ThrowIfNull(training);
        var problems = new List<string>();
        if (training.MaxSteps < 1)
        {
            problems.Add($"--steps {training.MaxSteps} must be at least 1");
        }

        // NaN fails every comparison, so "> 0" refuses it; infinity is allowed (no budget).
        if (!(training.TimeBudgetSeconds > 0))
        {
            problems.Add($"--time-budget {training.TimeBudgetSeconds} must be a positive number of seconds");
        }

        if (training.Layers < 2)
        {
            problems.Add($"--layers {training.Layers} must be at least 2 (the first and the last linear layer)");
        }

        if (training.Width < 1)
        {
            problems.Add($"--width {training.Width} must be at least 1");
        }

        var activations = Enum.GetNames<GinrActivation>();
        if (!activations.Contains(training.Activation, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"--activation '{training.Activation}' is not one of {string.Join(", ", activations)}");
        }

        if (!(double.IsFinite(training.LearningRate) && training.LearningRate > 0))
        {
            problems.Add($"--lr {training.LearningRate} must be a positive finite number");
        }

        if (training.BatchSize < 1)
        {
            problems.Add($"--batch {training.BatchSize} must be at least 1");
        }

        return problems;
    }

    /// <summary>
    /// The exit code of a demo stopped by Ctrl+C or a stop signal (128 + SIGINT, as shells report it).
    /// </summary>
    public const int ExitInterrupted = 130;

    private static async Task<int> RunAsync(DemoOptions options, bool json, bool keepServing, int port,
        CancellationToken cancellationToken)
    {
        var console = json
            ? CommonOptions.HumanOutput(Console.Error, Console.IsErrorRedirected)
            : CommonOptions.HumanOutput(Console.Out, Console.IsOutputRedirected);

        // Training settings are checked before anything is downloaded, ingested or embedded: the training grain
        // would refuse them too, but only after minutes of work.
        if (TrainingOptionProblems(options.Training) is { Count: > 0 } problems)
        {
            foreach (var problem in problems)
            {
                CommonOptions.Fail(problem, CommonOptions.ExitBadInput);
            }

            return CommonOptions.ExitBadInput;
        }

        if (options.MeshLevel is < 0 or > 8)
        {
            return CommonOptions.Fail($"--level {options.MeshLevel} is outside 0..8", CommonOptions.ExitBadInput);
        }

        if (MeshCommand.EmbeddingSizeProblem(options.MeshLevel, options.EmbeddingColumns) is { } sizeProblem)
        {
            return CommonOptions.Fail(sizeProblem, CommonOptions.ExitBadInput);
        }

        if (port is < 0 or > 65535)
        {
            return CommonOptions.Fail($"--port {port} is not a TCP port (0..65535; 0 picks a free one)",
                CommonOptions.ExitBadInput);
        }

        if (new DataFolder(options.DataRoot).LayoutProblem() is { } layout)
        {
            return CommonOptions.Fail(layout, CommonOptions.ExitBadInput);
        }

        console.MarkupLine($"[bold]WeatherGinr demo[/]: data folder {Markup.Escape(options.DataRoot)}");
        await using var app = WeatherGinrHost.Build(new WeatherGinrHostOptions
        {
            DataRoot = options.DataRoot,
            HttpUrl = $"http://127.0.0.1:{port}",
            ConsoleLogLevel = LogLevel.Error,
        });
        if (await CommonOptions.TryStart(app, $"http://127.0.0.1:{port}", cancellationToken) is { } failure)
        {
            return failure;
        }

        var address = WeatherGinrHost.ListeningAddress(app);
        var grains = app.Services.GetRequiredService<IGrainFactory>();

        // Ctrl+C or SIGTERM: the host's console lifetime takes the signal (so the command line's own token may never
        // fire) and only asks the application to stop; the demo watches for that too. Before, it trained to the end.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(
            cancellationToken, app.Lifetime.ApplicationStopping);
        DemoSummary summary;
        try
        {
            await using var observer = new ConsoleDemoObserver(console);
            summary = await DemoPipeline.RunAsync(grains, options, observer, address, stopping.Token);
        }
        catch (Exception e) when (stopping.IsCancellationRequested)
        {
            // Whatever failed once the stop was asked for (a grain call into a stopping silo) is the stop itself.
            await app.StopAsync(CancellationToken.None);
            if (e is not OperationCanceledException && Environment.GetEnvironmentVariable("WEATHERGINR_DEBUG") is
                { Length: > 0 })
            {
                Console.Error.WriteLine(e);
            }

            return CommonOptions.Fail("the demo was stopped before it finished (Ctrl+C or a stop signal); what it " +
                "had stored stays, and running it again takes up from there", ExitInterrupted);
        }
        catch (Exception e)
            when (e is DemoInputException or IngestException or SampleDataException or ArgumentException)
        {
            await app.StopAsync(CancellationToken.None);
            foreach (var line in ErrorText.Of(e).Split(Environment.NewLine))
            {
                CommonOptions.Fail(line, CommonOptions.ExitBadInput);
            }

            return CommonOptions.ExitBadInput;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await app.StopAsync(CancellationToken.None);
            if (Environment.GetEnvironmentVariable("WEATHERGINR_DEBUG") is { Length: > 0 })
            {
                Console.Error.WriteLine(e);
            }

            // One error line per line of the message (several failed training jobs are several lines).
            var lines = ErrorText.Of(e).Split(Environment.NewLine);
            foreach (var line in lines[..^1])
            {
                CommonOptions.Fail(line, CommonOptions.ExitFailure);
            }

            return CommonOptions.Fail($"{lines[^1]} (set WEATHERGINR_DEBUG=1 for details)", CommonOptions.ExitFailure);
        }

        console.MarkupLine("\n[bold deepskyblue1]Results[/]");
        DemoReport.Write(console, summary);
        if (summary.Query is { } query)
        {
            console.MarkupLine($"\n[bold]Query[/] GET {Markup.Escape(query.Url)} -> {query.StatusCode}");
            console.WriteLine(query.Response);
        }

        var model = summary.Models[0].ModelId;
        var time = DemoPipeline.IsoTime(summary.Models[0].ExampleTimeUtc);
        var (lat, lon) = summary.Models[0].ExamplePoint;
        var (south, north, west, east) = summary.Models[0].ExampleWindow;

        // Once the demo stops, its own (ephemeral) port is gone: the examples then address 'serve''s default.
        var exampleAddress = keepServing ? address.ToString() : "http://127.0.0.1:5088/";
        console.MarkupLine((keepServing ? "\nQuery it further:" :
            "\nThe service stops with the demo; keep it up with --serve, or later run " +
            $"'./weatherginr serve --data {Markup.Escape(options.DataRoot)}' (port 5088), then for example:") +
            $"\n  curl '{exampleAddress}v1/models'\n" +
            string.Create(CultureInfo.InvariantCulture,
                $"  curl '{exampleAddress}v1/models/{model}/point?lat={lat}&lon={lon}&time={time}'\n" +
                $"  curl '{exampleAddress}v1/models/{model}/grid?time={time}" +
                $"&south={south:0.###}&north={north:0.###}&west={west:0.###}&east={east:0.###}" +
                $"&resolution=0.25&format=parquet' -o window.parquet"));
        console.MarkupLine(
            $"Finished in {summary.ElapsedSeconds:F0} s. Artefacts under {Markup.Escape(options.DataRoot)}");

        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(summary, CommonOptions.Json));
        }

        if (keepServing)
        {
            console.MarkupLine($"[bold]Serving[/] on {address} until Ctrl+C");
            await app.WaitForShutdownAsync(cancellationToken);
        }
        else
        {
            await app.StopAsync(CancellationToken.None);
        }

        return CommonOptions.ExitOk;
    }
}
