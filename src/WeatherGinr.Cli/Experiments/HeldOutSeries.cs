using WeatherGinr.Core.Mesh;
using WeatherGinr.Core.Spectral;
using WeatherGinr.Grains.Training;
using WeatherGinr.Ingest;
using WeatherGinr.Training;

namespace WeatherGinr.Cli.Experiments;

/// <summary>
/// A gridded series on icosphere nodes, split as a training job splits it (<see cref="TrainingJobExecution"/>:
/// held-out grid cells removed before regridding, held-out interior time steps) plus a share of held-out
/// nodes, and scored per variable against each held-out set beside its plain baseline (<see cref="SeriesScore"/>).
/// Time enters the network in days since the Unix epoch, as in a job.
/// </summary>
public sealed class HeldOutSeries
{
    private readonly GriddedField[] fields;
    private readonly Icosphere mesh;
    private readonly SpectralEmbedding embedding;
    private readonly bool[] isHeldOutNode;
    private readonly float[] observed;
    private readonly float[] training;
    private readonly double[] modelTimes;
    private readonly CellProbe[] probes;

    private HeldOutSeries(GriddedField[] fields, Icosphere mesh, SpectralEmbedding embedding, int[] heldOutNodes,
        JobTargets targets, HeldOutGridPoints[] cells)
    {
        this.fields = fields;
        this.mesh = mesh;
        this.embedding = embedding;
        HeldOutNodes = heldOutNodes;
        HeldOutSteps = targets.HeldOutSteps;
        isHeldOutNode = new bool[mesh.NodeCount];
        foreach (var node in heldOutNodes)
        {
            isHeldOutNode[node] = true;
        }

        observed = targets.Observed;
        training = (float[])targets.Training.Clone();
        var variables = fields.Length;
        for (var t = 0; t < TimeCount; t++)
        {
            foreach (var node in heldOutNodes)
            {
                training.AsSpan(((t * NodeCount) + node) * variables, variables).Fill(float.NaN);
            }
        }

        modelTimes = fields[0].TimesUtc.Select(TrainingJobExecution.ToModelTime).ToArray();
        probes = cells.Select((c, v) => CellProbe.Locate(fields[v], c, mesh, embedding)).ToArray();
    }

    public int NodeCount => mesh.NodeCount;

    public int TimeCount => fields[0].TimeCount;

    /// <summary>Nodes never in the loss at any step, ascending.</summary>
    public int[] HeldOutNodes { get; }

    /// <summary>Interior steps never in the loss.</summary>
    public HeldOutTimeSteps HeldOutSteps { get; }

    /// <summary>Held-out grid cells per variable.</summary>
    public int HeldOutCellCount => probes.Sum(p => p.Cells.Length);

    public IReadOnlyList<string> VariableNames => fields.Select(f => f.VariableName).ToArray();

    /// <summary>
    /// Regrids the fields without their held-out cells and removes the held-out steps and nodes from what the
    /// network will see.
    /// </summary>
    /// <param name="fields">Variables on one grid and time axis.</param>
    /// <param name="mesh">The icosphere.</param>
    /// <param name="embedding">Its embedding, every column used.</param>
    /// <param name="nodeFraction">Share of nodes held out (random, seeded).</param>
    /// <param name="cellFraction">Share of grid cells held out per variable (seed + variable index).</param>
    /// <param name="timeFraction">Share of interior steps held out, spread evenly.</param>
    /// <param name="seed">Seeds the random choices.</param>
    public static HeldOutSeries Prepare(GriddedField[] fields, Icosphere mesh, SpectralEmbedding embedding,
        double nodeFraction, double cellFraction, double timeFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(mesh);
        ArgumentNullException.ThrowIfNull(embedding);
        ArgumentOutOfRangeException.ThrowIfZero(fields.Length, nameof(fields));
        if (embedding.NodeCount != mesh.NodeCount)
        {
            throw new ArgumentException(
                $"embedding {embedding.Id} has {embedding.NodeCount} nodes; the mesh has {mesh.NodeCount}",
                nameof(embedding));
        }

        var steps = new HeldOutTimeSteps(fields[0].TimeCount, timeFraction);
        var cells = fields.Select((f, v) => new HeldOutGridPoints(f.LatitudeCount, f.LongitudeCount, cellFraction,
            seed + v)).ToArray();
        var targets = TrainingJobExecution.PrepareTargets(fields, cells, steps, mesh);
        var nodes = SignalFit.HoldOutNodes(mesh.NodeCount, nodeFraction, seed);
        return new HeldOutSeries(fields, mesh, embedding, nodes, targets, cells);
    }

    /// <summary>
    /// Refuses the series before any training (<see cref="InputCoverage"/>) when a variable reaches no mesh node at
    /// any step, or only nodes that are held out, so that no training value is left.
    /// </summary>
    /// <param name="paths">The file of each variable, in the order of the fields.</param>
    /// <param name="quick">Whether the mesh is the quick size's (the hint says a finer one exists).</param>
    /// <exception cref="TrainingInputException">A variable has nothing to train on.</exception>
    public void RequireTrainingValues(IReadOnlyList<string> paths, bool quick)
    {
        ArgumentNullException.ThrowIfNull(paths);
        for (var v = 0; v < fields.Length; v++)
        {
            var (reached, training) = (0, 0);
            for (var node = 0; node < NodeCount; node++)
            {
                var (observedHere, trainingHere) = (false, false);
                for (var t = 0; t < TimeCount; t++)
                {
                    var at = (((t * NodeCount) + node) * fields.Length) + v;
                    observedHere |= float.IsFinite(observed[at]);
                    trainingHere |= float.IsFinite(this.training[at]);
                }

                reached += observedHere ? 1 : 0;
                training += trainingHere ? 1 : 0;
            }

            if (training == 0)
            {
                throw InputCoverage.Refusal(paths[v], fields[v], mesh, reached, reached == 0 ? null
                    : "every one of them is held out (a node, a month or a grid cell) to score the model", quick);
            }
        }
    }

    /// <summary>Training samples of some of the variables, in the order given (NaN = held out or missing).</summary>
    public SpatioTemporalSamples Samples(IReadOnlyList<int> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var count = variables.Count;
        var targets = new float[TimeCount * NodeCount * count];
        for (var pair = 0; pair < TimeCount * NodeCount; pair++)
        {
            for (var index = 0; index < count; index++)
            {
                targets[(pair * count) + index] = training[(pair * fields.Length) + variables[index]];
            }
        }

        return new SpatioTemporalSamples(embedding.Values, NodeCount, embedding.Columns, modelTimes, targets,
            variables.Select(v => fields[v].VariableName).ToArray())
        {
            EmbeddingIdentity = embedding.Id,
        };
    }

    /// <summary>Scores a model trained on <see cref="Samples"/> of <paramref name="variables"/>.</summary>
    public IReadOnlyList<SeriesScore> Score(GinrModel model, IReadOnlyList<int> variables)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(variables);
        var outputs = variables.Count;
        var sets = variables.Select(_ => new ScoreSets()).ToArray();
        for (var t = 0; t < TimeCount; t++)
        {
            var atNodes = model.Predict(embedding.Values, NodeCount, modelTimes[t]);
            var atCells = probes.Select((p, v) => variables.Contains(v)
                ? model.Predict(p.Rows, p.Cells.Length, modelTimes[t]) : []).ToArray();
            for (var index = 0; index < outputs; index++)
            {
                var v = variables[index];
                var set = sets[index];
                if (HeldOutSteps.Contains(t))
                {
                    ScoreHeldOutStep(t, v, index, outputs, atNodes, set);
                    continue;
                }

                var slice = Slice(training, t, v);
                var neighbourMean = NeighbourMean.At(mesh, slice, HeldOutNodes);
                for (var node = 0; node < NodeCount; node++)
                {
                    var prediction = atNodes[(node * outputs) + index];
                    if (!isHeldOutNode[node] && float.IsFinite(slice[node]))
                    {
                        set.Training.Add(slice[node], prediction);
                    }
                }

                for (var h = 0; h < HeldOutNodes.Length; h++)
                {
                    var node = HeldOutNodes[h];
                    set.Nodes.Add(observed[(((t * NodeCount) + node) * fields.Length) + v],
                        atNodes[(node * outputs) + index], neighbourMean[h]);
                }

                probes[v].Score(t, slice, atCells[v], outputs, index, set.Grid);
            }
        }

        return variables.Select((v, index) => new SeriesScore(fields[v].VariableName, fields[v].CanonicalUnits,
            sets[index].Training.Model(), sets[index].Nodes.Model(), sets[index].Nodes.Baseline(),
            sets[index].Times.Model(), sets[index].Times.Baseline(), sets[index].Grid.Model(),
            sets[index].Grid.Baseline())).ToArray();
    }

    // A held-out step at the training nodes, beside y(t) = (1 - w) y(t0) + w y(t1), w = (t - t0) / (t1 - t0).
    private void ScoreHeldOutStep(int t, int v, int index, int outputs, float[] atNodes, ScoreSets set)
    {
        var (before, after, w) = HeldOutSteps.Bracket(modelTimes, t);
        var earlier = Slice(training, before, v);
        var later = Slice(training, after, v);
        for (var node = 0; node < NodeCount; node++)
        {
            if (isHeldOutNode[node])
            {
                continue;
            }

            var interpolated = (float)(((1 - w) * earlier[node]) + (w * later[node]));
            set.Times.Add(observed[(((t * NodeCount) + node) * fields.Length) + v], atNodes[(node * outputs) + index],
                interpolated);
        }
    }

    private float[] Slice(float[] values, int t, int v)
    {
        var slice = new float[NodeCount];
        for (var node = 0; node < NodeCount; node++)
        {
            slice[node] = values[(((t * NodeCount) + node) * fields.Length) + v];
        }

        return slice;
    }

    /// <summary>Truth, network and baseline values of one held-out set, kept where truth and baseline are finite.
    /// </summary>
    private sealed class Pairs
    {
        private readonly List<float> truth = [];
        private readonly List<float> model = [];
        private readonly List<float> baseline = [];

        /// <summary>A value without a baseline (training nodes).</summary>
        public void Add(float truthValue, float modelValue) => Add(truthValue, modelValue, 0f);

        /// <summary>Skipped unless both truth and baseline are finite, so both are scored on the same values.
        /// </summary>
        public void Add(float truthValue, float modelValue, float baselineValue)
        {
            if (!float.IsFinite(truthValue) || !float.IsFinite(baselineValue))
            {
                return;
            }

            truth.Add(truthValue);
            model.Add(modelValue);
            baseline.Add(baselineValue);
        }

        public FieldScore Model() => FieldMetrics.Score("value", truth.ToArray(), model.ToArray());

        public FieldScore Baseline() => FieldMetrics.Score("value", truth.ToArray(), baseline.ToArray());
    }

    private sealed class ScoreSets
    {
        public Pairs Training { get; } = new();

        public Pairs Nodes { get; } = new();

        public Pairs Times { get; } = new();

        public Pairs Grid { get; } = new();
    }

    /// <summary>One variable's held-out cells located on the mesh, with their interpolated embedding rows.</summary>
    private sealed record CellProbe(GriddedField Field, int[] Cells, PointLocation[] Locations, float[] Rows)
    {
        public static CellProbe Locate(GriddedField field, HeldOutGridPoints cells, Icosphere mesh,
            SpectralEmbedding embedding)
        {
            var k = embedding.Columns;
            var locations = new PointLocation[cells.Cells.Length];
            var rows = new float[cells.Cells.Length * k];
            for (var c = 0; c < locations.Length; c++)
            {
                var cell = cells.Cells[c];
                locations[c] = mesh.Locate(field.LatitudesDegrees[cell / field.LongitudeCount],
                    field.LongitudesDegrees[cell % field.LongitudeCount]);
                embedding.EvaluateAt(locations[c], rows.AsSpan(c * k, k));
            }

            return new CellProbe(field, cells.Cells, locations, rows);
        }

        // Held-out cells at a training step: the network beside barycentric interpolation of the training
        // nodes' values, y = sum w_c y_c / sum w_c over the corners that have a value.
        public void Score(int t, float[] nodeValues, float[] predicted, int outputs, int index, Pairs pairs)
        {
            var offset = t * Field.LatitudeCount * Field.LongitudeCount;
            for (var c = 0; c < Cells.Length; c++)
            {
                var at = Locations[c];
                double sum = 0, weight = 0;
                foreach (var (node, w) in new[] { (at.NodeA, at.WeightA), (at.NodeB, at.WeightB),
                    (at.NodeC, at.WeightC) })
                {
                    if (float.IsFinite(nodeValues[node]))
                    {
                        sum += w * nodeValues[node];
                        weight += w;
                    }
                }

                var baseline = weight > 1e-12 ? (float)(sum / weight) : float.NaN;
                if (float.IsFinite(baseline))
                {
                    pairs.Add(Field.Values[offset + Cells[c]], predicted[(c * outputs) + index], baseline);
                }
            }
        }
    }
}
