using System.Diagnostics;
using WeatherGinr.Core.Mesh;
using WeatherGinr.Core.Spectral;
using WeatherGinr.Training;

namespace WeatherGinr.Cli.Experiments;

/// <summary>
/// Transfer (the paper's super-resolution): a network trained on icosphere level L answers on levels
/// L+1 and L+2 through their embeddings aligned to level L's (<see cref="SpectralAlignment"/>: a
/// Procrustes rotation per eigenvalue cluster on the shared nodes). The signal is known in closed form
/// (<see cref="SmoothSphereSignal"/>), so every new node has an exact truth. Scored on the new nodes only,
/// beside the same network on the unaligned embedding and barycentric interpolation of level L's values,
/// for a SIREN and a ReLU network.
/// </summary>
public sealed class TransferExperiment : IExperiment
{
    public string Name => "transfer";

    public string Description => "Train on level L, evaluate on L+1 and L+2 through the aligned embedding";

    public ExperimentResult Run(ExperimentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var clock = Stopwatch.StartNew();
        var (level, columns) = context.Quick ? (2, 16) : (4, 36);
        var coarseMesh = context.Mesh(level);
        var n = coarseMesh.NodeCount;
        FitSettings[] networks = context.Quick
            ? [new(4, 64, 1e-3, 600, n), new(4, 64, 1e-3, 600, n, Activation: GinrActivation.Relu)]
            : [new(6, 256, 3e-4, 1500, n), new(6, 256, 1e-3, 1500, n, Activation: GinrActivation.Relu)];

        var coarse = context.Embedding(level, columns);
        var coarseValues = SmoothSphereSignal.OnNodes(coarseMesh);
        var finer = new[] { level + 1, level + 2 }.Select(fineLevel => FinerLevel.Prepare(context, coarse, coarseMesh,
            coarseValues, fineLevel)).ToArray();

        var table = new ExperimentTable("network, level");
        var device = "";
        foreach (var settings in networks)
        {
            context.Narrate($"transfer: training on level {level} ({n:N0} nodes), k = {columns}, {settings}");
            using var fit = SignalFit.Train(coarse.Values, columns, coarseValues, settings, heldOutNodes: null,
                cancellationToken);
            device = fit.Outcome.Device;
            table.Add($"{settings.Network}, {level} (trained)",
                ("nodes scored", n, "N0"),
                ("R² aligned", fit.Training.RSquared, "F4"),
                ("RMSE aligned", fit.Training.Rmse, "G3"));

            foreach (var fine in finer)
            {
                var aligned = fine.Score(fit.Model, fine.Aligned);
                var unaligned = fine.Score(fit.Model, fine.Unaligned);
                table.Add($"{settings.Network}, {fine.Level}",
                    ("nodes scored", fine.NewNodes.Length, "N0"),
                    ("R² aligned", aligned.RSquared, "F4"),
                    ("RMSE aligned", aligned.Rmse, "G3"),
                    ("R² unaligned", unaligned.RSquared, "F4"),
                    ("R² baseline", fine.Baseline.RSquared, "F4"),
                    ("RMSE baseline", fine.Baseline.Rmse, "G3"),
                    ("alignment RMS", fine.AlignmentRms, "G3"));
                context.Narrate($"transfer: {settings.Network}, level {fine.Level}: " +
                    $"aligned R² {aligned.RSquared:F4}, " +
                    $"unaligned {unaligned.RSquared:F4}, baseline {fine.Baseline.RSquared:F4}");
            }
        }

        return new ExperimentResult(Name, "Transfer to finer icosphere levels", context.Quick, table.LabelColumn,
            table.Columns, table.Rows, new Dictionary<string, string>
            {
                ["signal"] = "f(x, y, z) = 2xy + z^2 - x/2 + sin(3z) + cos(2x + y) on the unit sphere",
                ["training"] = $"icosphere level {level} ({n:N0} nodes), every node",
                ["embedding"] = $"first {columns} eigenvectors; finer levels aligned per eigenvalue cluster",
                ["networks"] = string.Join("; ", networks.Select(s => s.ToString())),
            },
            [
                "Finer levels are scored on their new nodes only (level L's nodes are the first nodes of every " +
                "finer level).",
                "unaligned: the same network on the finer level's own eigenvectors (signs and rotations inside " +
                "degenerate clusters arbitrary). baseline: barycentric interpolation of level L's node values.",
                "alignment RMS: the largest per-column RMS difference between the aligned finer embedding and " +
                "level L's on the shared nodes.",
            ],
            device, clock.Elapsed.TotalSeconds, DateTimeOffset.UtcNow);
    }

    /// <summary>A finer level's new nodes, their truth, both embeddings there and the baseline's score.</summary>
    private sealed record FinerLevel(int Level, int Columns, int[] NewNodes, float[] Expected, float[] Aligned,
        float[] Unaligned, FieldScore Baseline, double AlignmentRms)
    {
        public static FinerLevel Prepare(ExperimentContext context, SpectralEmbedding coarse, Icosphere coarseMesh,
            float[] coarseValues, int level)
        {
            var mesh = context.Mesh(level);
            var fine = context.Embedding(level, coarse.Columns);
            var report = SpectralAlignment.Align(coarse, fine);
            var newNodes = Enumerable.Range(coarseMesh.NodeCount, mesh.NodeCount - coarseMesh.NodeCount).ToArray();
            var truth = SmoothSphereSignal.OnNodes(mesh);
            var expected = newNodes.Select(i => truth[i]).ToArray();

            // The coarse nodes' values interpolated inside the coarse triangle that holds each new node.
            var interpolated = newNodes.Select(i =>
            {
                var at = coarseMesh.Locate(mesh.LatitudesDegrees[i], mesh.LongitudesDegrees[i]);
                return (float)((at.WeightA * coarseValues[at.NodeA]) + (at.WeightB * coarseValues[at.NodeB])
                    + (at.WeightC * coarseValues[at.NodeC]));
            }).ToArray();

            return new FinerLevel(level, coarse.Columns, newNodes, expected, Rows(report.Aligned.Values),
                Rows(fine.Values), FieldMetrics.Score("value", expected, interpolated), report.ColumnRmsErrors.Max());

            float[] Rows(float[] embedding)
            {
                var k = coarse.Columns;
                var rows = new float[newNodes.Length * k];
                for (var r = 0; r < newNodes.Length; r++)
                {
                    embedding.AsSpan(newNodes[r] * k, k).CopyTo(rows.AsSpan(r * k, k));
                }

                return rows;
            }
        }

        public FieldScore Score(GinrModel model, float[] rows) =>
            FieldMetrics.Score("value", Expected, model.Predict(rows, NewNodes.Length, 0.0));
    }
}
