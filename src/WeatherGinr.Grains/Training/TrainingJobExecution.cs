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
/// Targets of one job, <c>[time, node, variable]</c>: every step regridded from the grid without its
/// held-out cells (<c>Observed</c>), and the same with the held-out time steps set to NaN, which is
/// all the network is trained on (<c>Training</c>).
/// </summary>
public sealed record JobTargets(float[] Observed, float[] Training, HeldOutTimeSteps HeldOutSteps);

/// <summary>
/// The work of one training job, free of Orleans so it can be tested and timed on its own:
/// hold out grid cells and interior time steps, regrid the rest onto the mesh, train the GINR, and
/// score it against the training nodes, the held-out cells (beside linear interpolation in space) and
/// the held-out steps (beside linear interpolation in time).
/// </summary>
public static class TrainingJobExecution
{
    /// <summary>
    /// Where one start and attempt of a job writes its checkpoint and coverage:
    /// <c>{job's output folder}/{start id}.{attempt}</c>.
    /// </summary>
    public static string OutputFolderOf(TrainingJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var start = job.StartId is { Length: > 0 } id ? id : "start";
        return Path.Combine(job.OutputFolder,
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{start}.{job.Attempt}"));
    }

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
                    $"job {job.JobId}: variable '{field.VariableName}' has another time axis than " +
                    $"'{fields[0].VariableName}'");
            }
        }

        // A bad fraction fails here, before any regridding or training.
        var heldOutSteps = HeldOutTimeSteps.For(times.Length, job.Settings.HeldOutTimeFraction);
        var heldOut = fields.Select((f, i) => new HeldOutGridPoints(
            f.LatitudesDegrees.Length, f.LongitudesDegrees.Length, job.HeldOutFraction, job.Settings.Seed + i))
            .ToArray();
        var targets = PrepareTargets(fields, heldOut, heldOutSteps, mesh);
        CheckSomethingToLearn(fields, targets, mesh);

        var samples = new SpatioTemporalSamples(
            embedding.Values, embedding.NodeCount, embedding.Columns,
            times.Select(ToModelTime).ToArray(), targets.Training, fields.Select(f => f.VariableName).ToArray());
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

        // Each start and attempt writes a folder of its own: the model a server answers from keeps its files
        // until the new model is registered in their place (the worker then removes the old ones).
        var output = OutputFolderOf(job);
        Directory.CreateDirectory(output);
        var checkpoint = Path.Combine(output, "model.ginr");
        model.Save(checkpoint);

        var coveragePath = Path.Combine(output, "coverage.bin");
        DataCoverage(fields, mesh).Write(coveragePath);

        var metrics = Score(model, fields, heldOut, targets, embedding, mesh, times);
        return new JobOutcome(checkpoint, coveragePath, metrics, outcome.Device, model.ParameterCount, outcome.Steps,
            clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Where the model answers: a node is covered for a variable when some step of the data has a valid value
    /// in the node's neighbourhood, exactly as regridding judges it. Held-out cells and steps count: they are
    /// data the model answers for, only kept out of training to score it (coverage from the training targets
    /// left nodes whose every neighbouring cell was held out without an answer on complete input).
    /// </summary>
    /// <summary>
    /// Each variable must reach at least one mesh node at one training step, or there is nothing to learn: a grid
    /// of one point, or one narrower than the mesh's spacing, reaches none (a node takes its value from the cells
    /// around it). Told in words, as the input's fault, before any training.
    /// </summary>
    internal static void CheckSomethingToLearn(GriddedField[] fields, JobTargets targets, Icosphere mesh)
    {
        for (var v = 0; v < fields.Length; v++)
        {
            bool Any(float[] values)
            {
                for (var i = v; i < values.Length; i += fields.Length)
                {
                    if (float.IsFinite(values[i]))
                    {
                        return true;
                    }
                }

                return false;
            }

            var field = fields[v];
            if (!Any(targets.Observed))
            {
                throw new TrainingInputException(
                    $"variable '{field.VariableName}' on its {field.LatitudeCount} x {field.LongitudeCount} grid " +
                    $"reaches none of the {mesh.NodeCount} nodes of mesh level {mesh.Level} (a node takes its value " +
                    $"from the grid cells around it, about {mesh.MeanEdgeLengthDegrees:0.#} degrees apart at this " +
                    "level): there is nothing to learn; give a grid that spans several mesh spacings, or a finer mesh");
            }

            if (!Any(targets.Training))
            {
                throw new TrainingInputException(
                    $"every value of variable '{field.VariableName}' at the mesh nodes was held out to score the " +
                    "model, so none is left to train on; lower the held-out fraction or give more data");
            }
        }
    }

    public static NodeCoverage DataCoverage(GriddedField[] fields, Icosphere mesh)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(mesh);
        var nodes = mesh.NodeCount;
        var variables = fields.Length;
        var anyValid = new float[nodes * variables]; // one "step": [node, variable]
        for (var v = 0; v < variables; v++)
        {
            // 1 where any step holds a value, NaN where none does: one step whose regridding marks a node
            // missing exactly when every step's would (a node is missing when its neighbourhood has no value).
            var field = fields[v];
            var cells = field.LatitudeCount * field.LongitudeCount;
            var union = new float[cells];
            Array.Fill(union, float.NaN);
            for (var t = 0; t < field.TimeCount; t++)
            {
                var step = field.Values.AsSpan(t * cells, cells);
                for (var c = 0; c < cells; c++)
                {
                    if (!float.IsNaN(step[c]))
                    {
                        union[c] = 1f;
                    }
                }
            }

            var once = field with { TimesUtc = [field.TimesUtc[0]], Values = union };
            var atNodes = LatLonRegridder.Regrid(
                once, 0, mesh.LatitudesDegrees, mesh.LongitudesDegrees, mesh.MeanEdgeLengthDegrees);
            Interleave(atNodes, anyValid, 0, v, variables);
        }

        return NodeCoverage.FromTargets(anyValid, nodes, variables,
            fields.Select(f => (GridExtent?)GridExtent.Of(f)).ToArray());
    }

    /// <summary>
    /// Regrids every step without the held-out cells, then removes the held-out steps from what the
    /// network will see.
    /// </summary>
    public static JobTargets PrepareTargets(GriddedField[] fields, HeldOutGridPoints[] heldOutCells,
        HeldOutTimeSteps heldOutSteps, Icosphere mesh)
    {
        ArgumentNullException.ThrowIfNull(heldOutSteps);
        var observed = RegridTrainingTargets(fields, heldOutCells, mesh);
        if (heldOutSteps.TimeCount != fields[0].TimesUtc.Length)
        {
            throw new ArgumentException(
                $"held-out steps were chosen for {heldOutSteps.TimeCount} time steps; the fields have " +
                $"{fields[0].TimesUtc.Length}", nameof(heldOutSteps));
        }

        return new JobTargets(observed, heldOutSteps.Mask(observed), heldOutSteps);
    }

    /// <summary>Targets <c>[time, node, variable]</c> from the grid with the held-out cells removed.</summary>
    /// <remarks>
    /// Each step as <see cref="LatLonRegridder.Regrid"/> gives it at the mesh's mean edge length: area means
    /// where the mesh is coarser than the grid; otherwise bilinear, through one
    /// <see cref="BilinearRegridPlan"/> for all the variable's steps (the same values bit for bit, without
    /// finding every node's cell again at every step).
    /// </remarks>
    public static float[] RegridTrainingTargets(GriddedField[] fields, HeldOutGridPoints[] heldOut, Icosphere mesh)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(heldOut);
        ArgumentNullException.ThrowIfNull(mesh);
        var nodes = mesh.NodeCount;
        var variables = fields.Length;
        var timeCount = fields[0].TimesUtc.Length;
        var targets = new float[timeCount * nodes * variables];

        // One variable's steps at the nodes, [time, node]; a single variable is written straight into targets.
        var atNodes = variables == 1 ? targets : null;
        for (var v = 0; v < variables; v++)
        {
            var masked = fields[v] with { Values = heldOut[v].Mask(fields[v].Values) };
            if (LatLonRegridder.AveragesOverAreas(masked, mesh.MeanEdgeLengthDegrees))
            {
                for (var t = 0; t < timeCount; t++)
                {
                    var step = LatLonRegridder.Regrid(masked, t, mesh.LatitudesDegrees, mesh.LongitudesDegrees,
                        mesh.MeanEdgeLengthDegrees);
                    Interleave(step, targets, t, v, variables);
                }

                continue;
            }

            atNodes ??= new float[timeCount * nodes];
            LatLonRegridder.PlanBilinear(masked, mesh.LatitudesDegrees, mesh.LongitudesDegrees)
                .ApplyAllSteps(masked, atNodes);
            for (var t = 0; variables > 1 && t < timeCount; t++)
            {
                Interleave(atNodes.AsSpan(t * nodes, nodes), targets, t, v, variables);
            }
        }

        return targets;
    }

    /// <summary>One variable's values at every node at step t into <c>[time, node, variable]</c>.</summary>
    private static void Interleave(ReadOnlySpan<float> atNodes, float[] targets, int t, int v, int variables)
    {
        var offset = t * atNodes.Length * variables;
        for (var i = 0; i < atNodes.Length; i++)
        {
            targets[offset + (i * variables) + v] = atNodes[i];
        }
    }

    private static VariableMetrics[] Score(GinrModel model, GriddedField[] fields, HeldOutGridPoints[] heldOut,
        JobTargets targets, SpectralEmbedding embedding, Icosphere mesh, DateTimeOffset[] times)
    {
        var nodes = mesh.NodeCount;
        var variables = fields.Length;
        var training = fields.Select(_ => new FitScoreAccumulator()).ToArray();
        var heldOutScores = fields.Select(_ => new FitScoreAccumulator()).ToArray();
        var baseline = fields.Select(_ => new FitScoreAccumulator()).ToArray();
        var heldOutStepScores = fields.Select(_ => new FitScoreAccumulator()).ToArray();
        var baselineStepScores = fields.Select(_ => new FitScoreAccumulator()).ToArray();
        var modelTimes = times.Select(ToModelTime).ToArray();

        for (var t = 0; t < times.Length; t++)
        {
            // A held-out step is scored against interpolation in time only; the held-out cells are scored
            // at training steps, where the training nodes around them have values.
            var atNodes = model.Predict(embedding.Values, nodes, modelTimes[t]);
            if (targets.HeldOutSteps.Contains(t))
            {
                ScoreHeldOutStep(targets, modelTimes, t, nodes, variables, atNodes, heldOutStepScores,
                    baselineStepScores);
                continue;
            }

            // Training nodes: the network against the very values it was fitted to.
            for (var i = 0; i < nodes; i++)
            {
                for (var v = 0; v < variables; v++)
                {
                    var target = targets.Training[(t * nodes + i) * variables + v];
                    if (float.IsFinite(target))
                    {
                        training[v].Add(target, atNodes[i * variables + v]);
                    }
                }
            }

            ScoreHeldOutCells(model, fields, heldOut, targets.Training, embedding, mesh, t, modelTimes[t],
                heldOutScores, baseline);
        }

        var heldOutTimes = targets.HeldOutSteps.Steps.Select(t => times[t]).ToArray();
        return fields.Select((f, v) => new VariableMetrics(
            f.VariableName, f.CanonicalUnits, training[v].ToScore(), heldOutScores[v].ToScore(), baseline[v].ToScore())
        {
            HeldOutTimeSteps = heldOutStepScores[v].ToScore(),
            BaselineHeldOutTimeSteps = baselineStepScores[v].ToScore(),
            HeldOutTimesUtc = heldOutTimes,
        }).ToArray();
    }

    /// <summary>
    /// A held-out step at the training nodes: the network at that time against the regridded values,
    /// beside linear interpolation in time of each node's training values,
    /// <c>y(t) = (1 - w) y(t_before) + w y(t_after)</c>, <c>w = (t - t_before) / (t_after - t_before)</c>.
    /// </summary>
    private static void ScoreHeldOutStep(JobTargets targets, double[] modelTimes, int t, int nodes, int variables,
        float[] atNodes, FitScoreAccumulator[] model, FitScoreAccumulator[] baseline)
    {
        var (before, after, w) = targets.HeldOutSteps.Bracket(modelTimes, t);
        for (var i = 0; i < nodes; i++)
        {
            for (var v = 0; v < variables; v++)
            {
                var truth = targets.Observed[(t * nodes + i) * variables + v];
                var interpolated = ((1 - w) * targets.Training[(before * nodes + i) * variables + v])
                    + (w * targets.Training[(after * nodes + i) * variables + v]);
                if (!float.IsFinite(truth) || !double.IsFinite(interpolated))
                {
                    continue; // both are scored on the same values
                }

                model[v].Add(truth, atNodes[i * variables + v]);
                baseline[v].Add(truth, interpolated);
            }
        }
    }

    /// <summary>
    /// Held-out grid cells at a training step: the network through the interpolated embedding, against
    /// the baseline that interpolates the training nodes' values linearly inside the same triangle.
    /// </summary>
    private static void ScoreHeldOutCells(GinrModel model, GriddedField[] fields, HeldOutGridPoints[] heldOut,
        float[] targets, SpectralEmbedding embedding, Icosphere mesh, int t, double modelTime,
        FitScoreAccumulator[] scores, FitScoreAccumulator[] baseline)
    {
        var nodes = mesh.NodeCount;
        var variables = fields.Length;
        var columns = embedding.Columns;
        for (var v = 0; v < variables; v++)
        {
            var field = fields[v];
            var cells = heldOut[v].Cells;
            var rows = new float[cells.Length * columns];
            var baselineValues = new double[cells.Length];
            for (var c = 0; c < cells.Length; c++)
            {
                var (lat, lon) = CellCentre(field, cells[c]);
                var at = mesh.Locate(lat, lon);
                embedding.EvaluateAt(at, rows.AsSpan(c * columns, columns));
                baselineValues[c] = InterpolateNodes(at, targets, t, nodes, variables, v);
            }

            var predicted = model.Predict(rows, cells.Length, modelTime);
            var gridOffset = t * field.LatitudesDegrees.Length * field.LongitudesDegrees.Length;
            for (var c = 0; c < cells.Length; c++)
            {
                var truth = field.Values[gridOffset + cells[c]];
                if (!float.IsFinite(truth) || !double.IsFinite(baselineValues[c]))
                {
                    continue; // both are scored on the same points
                }

                scores[v].Add(truth, predicted[c * variables + v]);
                baseline[v].Add(truth, baselineValues[c]);
            }
        }
    }

    private static (double Latitude, double Longitude) CellCentre(GriddedField field, int cell)
    {
        var longitudeCount = field.LongitudesDegrees.Length;
        return (field.LatitudesDegrees[cell / longitudeCount], field.LongitudesDegrees[cell % longitudeCount]);
    }

    /// <summary>
    /// Barycentric interpolation of node values; a missing corner drops out and the rest renormalise.
    /// </summary>
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

/// <summary>A training job's input cannot be trained on; the message says why in the user's words.</summary>
public sealed class TrainingInputException(string message) : Exception(message);
