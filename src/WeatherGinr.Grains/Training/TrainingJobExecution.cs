using System.Diagnostics;
using WeatherGinr.Core.Mesh;
using WeatherGinr.Core.Spectral;
using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Spectral;
using WeatherGinr.Grains.Storage;
using WeatherGinr.Ingest;
using WeatherGinr.Training;

namespace WeatherGinr.Grains.Training;

/// <summary>What a finished job leaves behind.</summary>
public sealed record JobOutcome(
    string CheckpointPath,
    string CoveragePath,
    IReadOnlyList<VariableMetrics> Metrics,
    string Device,
    long ParameterCount,
    int Steps,
    double Seconds);

/// <summary>
/// The work of one training job, free of Orleans so it can be tested and timed on its own:
/// hold out grid cells, regrid the rest onto the mesh, train the GINR, and score it against the
/// training nodes, the held-out cells and a linear-interpolation baseline.
/// </summary>
public static class TrainingJobExecution
{
    /// <summary>Time enters the network in days since the Unix epoch (the trainer rescales it).</summary>
    public static double ToModelTime(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).TotalDays;

    public static JobOutcome Run(TrainingJob job, EmbeddingLibrary library, IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(library);
        var clock = Stopwatch.StartNew();

        var mesh = library.Mesh(job.Embedding.MeshLevel);
        var embedding = library.Embedding(job.Embedding);
        var fields = job.Variables.Select(v => GriddedFieldStore.Read(v.StoragePath)).ToArray();
        var times = fields[0].TimesUtc;
        foreach (var field in fields)
        {
            if (!field.TimesUtc.SequenceEqual(times))
            {
                throw new InvalidOperationException(
                    $"job {job.JobId}: variable '{field.VariableName}' has another time axis than '{fields[0].VariableName}'");
            }
        }

        var heldOut = fields.Select((f, i) => new HeldOutGridPoints(
            f.LatitudesDegrees.Length, f.LongitudesDegrees.Length, job.HeldOutFraction, job.Settings.Seed + i)).ToArray();
        var targets = RegridTrainingTargets(fields, heldOut, mesh);

        var samples = new SpatioTemporalSamples(
            embedding.Values, embedding.NodeCount, embedding.Columns,
            times.Select(ToModelTime).ToArray(), targets, fields.Select(f => f.VariableName).ToArray());
        var architecture = new GinrArchitecture(
            embedding.Columns, ConditioningColumns: 1, Outputs: fields.Length,
            job.Settings.Layers, job.Settings.Width,
            Enum.Parse<GinrActivation>(job.Settings.Activation, ignoreCase: true));
        // The measured demo schedule (plateau patience, progress interval), sized by the job's settings.
        var options = GinrPresets.DemoOptions with
        {
            MaxSteps = job.Settings.MaxSteps,
            BatchSize = job.Settings.BatchSize,
            LearningRate = job.Settings.LearningRate,
            Seed = job.Settings.Seed,
            TimeBudgetSeconds = job.Settings.TimeBudgetSeconds,
            ProgressIntervalSteps = Math.Clamp(job.Settings.MaxSteps / 50, 1, 100),
        };

        var outcome = GinrTrainer.Train(samples, architecture, options, progress, cancellationToken);
        using var model = outcome.Model;

        Directory.CreateDirectory(job.OutputFolder);
        var checkpoint = Path.Combine(job.OutputFolder, "model.ginr");
        var temporary = checkpoint + ".tmp";
        model.Save(temporary);
        File.Move(temporary, checkpoint, overwrite: true);

        var coveragePath = Path.Combine(job.OutputFolder, "coverage.bin");
        NodeCoverage.FromTargets(targets, mesh.NodeCount, fields.Length).Write(coveragePath);

        var metrics = Score(model, fields, heldOut, targets, embedding, mesh, times);
        return new JobOutcome(checkpoint, coveragePath, metrics, outcome.Device, model.ParameterCount, outcome.Steps,
            clock.Elapsed.TotalSeconds);
    }

    /// <summary>Targets <c>[time, node, variable]</c> from the grid with the held-out cells removed.</summary>
    public static float[] RegridTrainingTargets(GriddedField[] fields, HeldOutGridPoints[] heldOut, Icosphere mesh)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(heldOut);
        ArgumentNullException.ThrowIfNull(mesh);
        var nodes = mesh.NodeCount;
        var variables = fields.Length;
        var timeCount = fields[0].TimesUtc.Length;
        var targets = new float[timeCount * nodes * variables];

        for (var v = 0; v < variables; v++)
        {
            var masked = fields[v] with { Values = heldOut[v].Mask(fields[v].Values) };
            for (var t = 0; t < timeCount; t++)
            {
                var atNodes = LatLonRegridder.Regrid(masked, t, mesh.LatitudesDegrees, mesh.LongitudesDegrees,
                    mesh.MeanEdgeLengthDegrees);
                for (var i = 0; i < nodes; i++)
                {
                    targets[(t * nodes + i) * variables + v] = atNodes[i];
                }
            }
        }

        return targets;
    }

    private static VariableMetrics[] Score(GinrModel model, GriddedField[] fields, HeldOutGridPoints[] heldOut,
        float[] targets, SpectralEmbedding embedding, Icosphere mesh, DateTimeOffset[] times)
    {
        var nodes = mesh.NodeCount;
        var variables = fields.Length;
        var training = fields.Select(_ => new FitScoreAccumulator()).ToArray();
        var heldOutScores = fields.Select(_ => new FitScoreAccumulator()).ToArray();
        var baseline = fields.Select(_ => new FitScoreAccumulator()).ToArray();
        var columns = embedding.Columns;

        for (var t = 0; t < times.Length; t++)
        {
            // Training nodes: the network against the very values it was fitted to.
            var atNodes = model.Predict(embedding.Values, nodes, ToModelTime(times[t]));
            for (var i = 0; i < nodes; i++)
            {
                for (var v = 0; v < variables; v++)
                {
                    var target = targets[(t * nodes + i) * variables + v];
                    if (float.IsFinite(target))
                    {
                        training[v].Add(target, atNodes[i * variables + v]);
                    }
                }
            }

            // Held-out grid cells: the network through the interpolated embedding, against the baseline
            // that interpolates the training nodes' values linearly inside the same triangle.
            for (var v = 0; v < variables; v++)
            {
                var field = fields[v];
                var cells = heldOut[v].Cells;
                var rows = new float[cells.Length * columns];
                var baselineValues = new double[cells.Length];
                for (var c = 0; c < cells.Length; c++)
                {
                    var (lat, lon) = CellCentre(field, cells[c]);
                    embedding.EvaluateAt(mesh, lat, lon, rows.AsSpan(c * columns, columns));
                    baselineValues[c] = InterpolateNodes(mesh.Locate(lat, lon), targets, t, nodes, variables, v);
                }

                var predicted = model.Predict(rows, cells.Length, ToModelTime(times[t]));
                var gridOffset = t * field.LatitudesDegrees.Length * field.LongitudesDegrees.Length;
                for (var c = 0; c < cells.Length; c++)
                {
                    var truth = field.Values[gridOffset + cells[c]];
                    if (!float.IsFinite(truth) || !double.IsFinite(baselineValues[c]))
                    {
                        continue; // both are scored on the same points
                    }

                    heldOutScores[v].Add(truth, predicted[c * variables + v]);
                    baseline[v].Add(truth, baselineValues[c]);
                }
            }
        }

        return fields.Select((f, v) => new VariableMetrics(
            f.VariableName, f.CanonicalUnits, training[v].ToScore(), heldOutScores[v].ToScore(), baseline[v].ToScore()))
            .ToArray();
    }

    private static (double Latitude, double Longitude) CellCentre(GriddedField field, int cell)
    {
        var longitudeCount = field.LongitudesDegrees.Length;
        return (field.LatitudesDegrees[cell / longitudeCount], field.LongitudesDegrees[cell % longitudeCount]);
    }

    /// <summary>Barycentric interpolation of node values; a missing corner drops out and the rest renormalise.</summary>
    private static double InterpolateNodes(PointLocation at, float[] targets, int t, int nodes, int variables, int v)
    {
        double sum = 0, weight = 0;
        void Corner(int node, double w)
        {
            var value = targets[(t * nodes + node) * variables + v];
            if (float.IsFinite(value))
            {
                sum += w * value;
                weight += w;
            }
        }

        Corner(at.NodeA, at.WeightA);
        Corner(at.NodeB, at.WeightB);
        Corner(at.NodeC, at.WeightC);
        return weight > 1e-12 ? sum / weight : double.NaN;
    }
}
