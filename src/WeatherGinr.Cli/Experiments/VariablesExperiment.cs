using System.Diagnostics;
using WeatherGinr.Training;

namespace WeatherGinr.Cli.Experiments;

/// <summary>
/// Several variables in one network or one network per variable, for the same budget: the CMIP5 2005
/// monthly tas, uas and vas, held out as in <see cref="SpatioTemporalExperiment"/>, fitted by one
/// time-conditioned network with three outputs for N steps, and by three networks of the same shape with one
/// output for N / 3 steps each (equal total optimiser steps, each of the same batch of (node, month) pairs; a
/// step costs about the same with one output or three, so about equal time too, which the table reports).
/// Per variable: R-squared on training pairs, held-out nodes, months and grid points; per setup: parameters,
/// bytes and seconds.
/// </summary>
public sealed class VariablesExperiment : IExperiment
{
    public const string Joint = "one network";
    public const string Separate = "one per variable";

    public string Name => "variables";

    public string Description =>
        "tas, uas, vas in one network (3 outputs) against three networks (1 output each), same total steps";

    public ExperimentResult Run(ExperimentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var clock = Stopwatch.StartNew();
        var (level, columns) = context.Quick ? (3, 16) : (4, 64);
        var joint = context.Quick
            ? new FitSettings(4, 64, 1e-3, 3000, 1024, Activation: GinrActivation.Relu)
            : new FitSettings(4, 256, 1e-3, 1500, 4096, Activation: GinrActivation.Relu);
        var separate = joint with { Steps = joint.Steps / 3 };

        var mesh = context.Mesh(level);
        // The input first: a refused file is told before the embedding is computed.
        var fields = MonthlySeries.TemperatureAndWind(context);
        var embedding = context.Embedding(level, columns);
        var series = HeldOutSeries.Prepare(fields, mesh, embedding, SpatioTemporalExperiment.HeldOutNodeFraction,
            SpatioTemporalExperiment.HeldOutCellFraction, SpatioTemporalExperiment.HeldOutTimeFraction, seed: 17);
        series.RequireTrainingValues(MonthlySeries.TemperatureAndWindPaths(context), context.Quick);

        var table = new ExperimentTable("setup, variable");
        var device = "";
        var setups = new (string Label, FitSettings Settings, int[][] Groups)[]
        {
            (Joint, joint, [[0, 1, 2]]),
            (Separate, separate, [[0], [1], [2]]),
        };
        var baselines = new Dictionary<string, SeriesScore>();
        foreach (var (label, settings, groups) in setups)
        {
            var scores = new List<SeriesScore>();
            var (parameters, seconds, steps) = (0L, 0.0, 0);
            foreach (var group in groups)
            {
                context.Narrate($"variables: {label}: {string.Join(", ", group.Select(v => fields[v].VariableName))}" +
                    $", {settings}");
                var outcome = GinrTrainer.Train(series.Samples(group),
                    new GinrArchitecture(columns, ConditioningColumns: 1, group.Length, settings.Layers,
                        settings.Width, settings.Activation),
                    settings.Options, null, cancellationToken);
                using var model = outcome.Model;
                device = outcome.Device;
                parameters += model.ParameterCount;
                seconds += outcome.ElapsedSeconds;
                steps += outcome.Steps;
                scores.AddRange(series.Score(model, group));
            }

            foreach (var score in scores)
            {
                baselines.TryAdd(score.Variable, score);
                table.Add($"{label}, {score.Variable}",
                    ("R² train", score.Training.RSquared, "F4"),
                    ("R² held-out nodes", score.HeldOutNodes.RSquared, "F4"),
                    ("R² held-out months", score.HeldOutTimes.RSquared, "F4"),
                    ("R² held-out grid points", score.GridPoints.RSquared, "F4"),
                    ("RMSE held-out nodes", score.HeldOutNodes.Rmse, "F3"),
                    ("parameters", parameters, "N0"),
                    ("bytes", parameters * sizeof(float), "N0"),
                    ("steps", steps, "N0"),
                    ("seconds", seconds, "F0"));
                context.Narrate($"variables: {label}, {score.Variable}: train {score.Training.RSquared:F4}, " +
                    $"nodes {score.HeldOutNodes.RSquared:F4}, months {score.HeldOutTimes.RSquared:F4}, grid " +
                    $"{score.GridPoints.RSquared:F4}");
            }
        }

        foreach (var (variable, score) in baselines)
        {
            table.Add($"baseline, {variable}",
                ("R² held-out nodes", score.NodesBaseline.RSquared, "F4"),
                ("R² held-out months", score.TimesBaseline.RSquared, "F4"),
                ("R² held-out grid points", score.GridBaseline.RSquared, "F4"),
                ("RMSE held-out nodes", score.NodesBaseline.Rmse, "F3"));
        }

        return new ExperimentResult(Name, "Several variables in one network or one network each", context.Quick,
            table.LabelColumn, table.Columns, table.Rows, new Dictionary<string, string>
            {
                ["series"] = string.Join(", ", fields.Select(f => $"{f.VariableName} ({f.CanonicalUnits})")) +
                    $", {series.TimeCount} months beside {MonthlySeries.TemperaturePath(context)}",
                ["mesh"] = $"icosphere level {level} ({mesh.NodeCount:N0} nodes), first {columns} eigenvectors",
                ["held out"] = $"{series.HeldOutNodes.Length} nodes, {series.HeldOutSteps.Steps.Length} months, " +
                    $"{SpatioTemporalExperiment.HeldOutCellFraction:P0} of the grid cells per variable (as " +
                    "spatio-temporal)",
                ["one network"] = $"{joint}, 3 outputs",
                ["one per variable"] = $"{separate}, 1 output, three networks",
                ["budget"] = "equal total optimiser steps and batch size in (node, month) pairs",
            },
            [
                "parameters, bytes, steps and seconds are per setup (the three networks summed); R² per variable " +
                "in its own units' variance. baseline rows: the plain baselines of spatio-temporal (neighbour " +
                "mean, linear in time, barycentric) on the same held-out values.",
            ],
            device, clock.Elapsed.TotalSeconds, DateTimeOffset.UtcNow);
    }
}
