using System.Runtime.InteropServices;
using WeatherGinr.Core.Mesh;
using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Spectral;
using WeatherGinr.Grains.Storage;
using WeatherGinr.Grains.Training;
using WeatherGinr.Ingest;

namespace WeatherGinr.Grains.Tests.Training;

/// <summary>
/// One training job end to end at a tiny size (icosphere level 2, 9 columns, a 3-layer network of 32):
/// a field that is linear in time on a 10-degree grid, 8 steps at uneven (monthly) times.
/// </summary>
public sealed class TrainingJobExecutionTests : IDisposable
{
    // Days since the first step: month starts, so the spacing is uneven.
    private static readonly int[] Days = [0, 31, 59, 90, 120, 151, 181, 212];
    private static readonly DateTimeOffset Start = new(2005, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly string root = Directory.CreateTempSubdirectory("wginr-job-").FullName;

    [Fact]
    public void HeldOutStepsAreScoredAndALinearInTimeFieldIsExactForTheBaseline()
    {
        var outcome = RunJob("linear", Field(heldOutStepValue: null));
        var tas = Assert.Single(outcome.Metrics);

        // Default: round((8 - 2) / 6) = 1 interior step, the middle of 1..6 = step 4 (day 120).
        Assert.Equal([Start.AddDays(120)], tas.HeldOutTimesUtc);
        Assert.NotNull(tas.HeldOutTimeSteps);
        // The 162 nodes of level 2 at one step, less any node whose grid cells were all held out.
        Assert.InRange(tas.HeldOutTimeSteps!.Count, 150, 162);
        Assert.Equal(tas.HeldOutTimeSteps.Count, tas.BaselineHeldOutTimeSteps!.Count);

        // Regridding is linear in the values, so each node's value is linear in time too and the
        // interpolation between days 90 and 151 (weight 30/61, not 1/2) is exact up to float32 rounding.
        Assert.True(tas.BaselineHeldOutTimeSteps.Rmse < 2e-4, $"baseline RMSE {tas.BaselineHeldOutTimeSteps.Rmse}");
        Assert.True(tas.BaselineHeldOutTimeSteps.RSquared > 0.999999);
        Assert.True(double.IsFinite(tas.HeldOutTimeSteps.RSquared));

        // Training nodes are scored at the 7 training steps only (the same nodes have values at every step).
        Assert.Equal(7 * tas.HeldOutTimeSteps.Count, tas.TrainingNodes.Count);
    }

    [Fact]
    public void HeldOutStepsNeverEnterTraining()
    {
        // Whatever the held-out step holds, the trained network is the same, bit for bit.
        var plain = RunJob("plain", Field(heldOutStepValue: null));
        var altered = RunJob("altered", Field(heldOutStepValue: 1000f));

        Assert.Equal(File.ReadAllBytes(plain.CheckpointPath), File.ReadAllBytes(altered.CheckpointPath));
        Assert.NotEqual(plain.Metrics[0].HeldOutTimeSteps!.Rmse, altered.Metrics[0].HeldOutTimeSteps!.Rmse);
    }

    [Fact]
    public void PreparedTrainingTargetsAreMissingExactlyAtTheHeldOutSteps()
    {
        var field = Field(heldOutStepValue: null);
        var mesh = new EmbeddingLibrary(new DataFolder(root)).Mesh(2);
        var steps = HeldOutTimeSteps.For(Days.Length, requestedFraction: 0.34); // 2 of 6 interior steps

        var targets = TrainingJobExecution.PrepareTargets([field],
            [new HeldOutGridPoints(field.LatitudeCount, field.LongitudeCount, 0.1, 1)], steps, mesh);

        Assert.Equal([2, 5], steps.Steps);
        for (var index = 0; index < targets.Training.Length; index++)
        {
            var step = index / mesh.NodeCount;
            Assert.True(float.IsFinite(targets.Observed[index]));
            Assert.Equal(steps.Contains(step) ? float.NaN : targets.Observed[index], targets.Training[index]);
        }
    }

    [Theory]
    [InlineData(5, 1)] // nodes about 2 degrees apart on the 10-degree grid: bilinear, through one plan
    [InlineData(5, 2)]
    [InlineData(2, 2)] // about 16 degrees apart: area means
    public void TrainingTargetsAreEveryStepRegriddedAtTheMeshSpacingBitForBit(int level, int variableCount)
    {
        var mesh = Icosphere.Create(level);
        var tas = Field(heldOutStepValue: null);
        var fields = Enumerable.Range(0, variableCount)
            .Select(v => tas with { VariableName = $"tas{v}", Values = tas.Values.Select(x => x + (7 * v)).ToArray() })
            .ToArray();
        var heldOut = fields.Select((f, v) => new HeldOutGridPoints(f.LatitudeCount, f.LongitudeCount, 0.1, 11 + v))
            .ToArray();

        var targets = TrainingJobExecution.RegridTrainingTargets(fields, heldOut, mesh);

        // Held-out cells are missing values, so the plan takes its renormalising path around them.
        Assert.Equal(level == 2, LatLonRegridder.AveragesOverAreas(tas, mesh.MeanEdgeLengthDegrees));
        var expected = new float[targets.Length];
        for (var v = 0; v < variableCount; v++)
        {
            var masked = fields[v] with { Values = heldOut[v].Mask(fields[v].Values) };
            for (var t = 0; t < masked.TimeCount; t++)
            {
                var step = LatLonRegridder.Regrid(masked, t, mesh.LatitudesDegrees, mesh.LongitudesDegrees,
                    mesh.MeanEdgeLengthDegrees);
                for (var i = 0; i < mesh.NodeCount; i++)
                {
                    expected[(((t * mesh.NodeCount) + i) * variableCount) + v] = step[i];
                }
            }
        }

        Assert.True(MemoryMarshal.AsBytes(expected.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(targets.AsSpan())),
            $"level {level}, {variableCount} variables: targets differ from Regrid step by step");
    }

    [Fact]
    public void CoverageIsWhereTheDataHasValuesHeldOutCellsAndStepsIncluded()
    {
        // Complete data; at level 5 the nodes are about 2 degrees apart on the 10-degree grid, so with half the
        // cells held out many nodes lose every neighbouring cell in training. The model answers for them all.
        var field = Field(heldOutStepValue: null);
        var mesh = new EmbeddingLibrary(new DataFolder(root)).Mesh(5);
        var heldOut = new HeldOutGridPoints(field.LatitudeCount, field.LongitudeCount, 0.5, 3);
        var targets = TrainingJobExecution.PrepareTargets(
            [field], [heldOut], HeldOutTimeSteps.For(Days.Length, requestedFraction: 0.34), mesh);
        var trainingOnly = NodeCoverage.FromTargets(targets.Training, mesh.NodeCount, 1);

        var coverage = TrainingJobExecution.DataCoverage([field], mesh);

        var gapsInTraining = Enumerable.Range(0, mesh.NodeCount).Count(i => !trainingOnly.Covers(AtNode(i), 0));
        Assert.True(gapsInTraining > 0, "the held-out cells should leave some nodes without a training value");
        Assert.All(Enumerable.Range(0, mesh.NodeCount), i => Assert.True(coverage.Covers(AtNode(i), 0)));

        // Data that is missing at every step stays uncovered; data present at one step only is covered.
        // Cells: latitude index 9..17 is the northern half (5 N .. 85 N).
        var values = (float[])field.Values.Clone();
        int cells = field.LatitudeCount * field.LongitudeCount, northStart = 9 * field.LongitudeCount;
        for (var t = 0; t < field.TimeCount; t++)
        {
            // North missing always; the southern row -85 (index 0) missing except at step 6.
            values.AsSpan((t * cells) + northStart, cells - northStart).Fill(float.NaN);
            if (t != 6)
            {
                values.AsSpan(t * cells, field.LongitudeCount).Fill(float.NaN);
            }
        }

        var southern = TrainingJobExecution.DataCoverage([field with { Values = values }], mesh);
        for (var i = 0; i < mesh.NodeCount; i++)
        {
            var latitude = mesh.LatitudesDegrees[i];
            if (latitude > 10)
            {
                Assert.False(southern.Covers(AtNode(i), 0), $"node {i} at {latitude:F2} N has no data");
            }
            else if (latitude < 0)
            {
                Assert.True(southern.Covers(AtNode(i), 0), $"node {i} at {latitude:F2} N has data");
            }
        }

        PointLocation AtNode(int node) => new(0, node, node, node, 1, 0, 0);
    }

    [Fact]
    public void ABadHeldOutTimeFractionFailsBeforeTraining()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            RunJob("bad", Field(heldOutStepValue: null), heldOutTimeFraction: 1.5));
        Assert.Contains("held-out time fraction is 1.5", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root, "runs", "bad")));
    }

    [Fact]
    public void AGridThatReachesNoMeshNodeIsToldInWordsBeforeTraining()
    {
        // One grid point (as a 1 x 1 file gives): no node of level 2 has a cell around it.
        var mesh = Icosphere.Create(2);
        var point = new GriddedField(["one"], "tas", WeatherQuantity.AirTemperature, "K", [51.5], [-0.13],
            Days.Select(d => Start.AddDays(d)).ToArray(), Enumerable.Repeat(280f, Days.Length).ToArray());
        var whole = Field(heldOutStepValue: null);
        var steps = HeldOutTimeSteps.For(Days.Length, requestedFraction: 0);
        HeldOutGridPoints NoneHeldOut(GriddedField f) => new(f.LatitudeCount, f.LongitudeCount, 0, 1);

        var pointTargets = TrainingJobExecution.PrepareTargets([point], [NoneHeldOut(point)], steps, mesh);
        var refused = Assert.Throws<TrainingInputException>(
            () => TrainingJobExecution.CheckSomethingToLearn([point], pointTargets, mesh));
        var wholeTargets = TrainingJobExecution.PrepareTargets([whole], [NoneHeldOut(whole)], steps, mesh);
        TrainingJobExecution.CheckSomethingToLearn([whole], wholeTargets, mesh); // a 10-degree grid reaches them

        Assert.StartsWith("variable 'tas' on its 1 x 1 grid reaches none of the 162 nodes of mesh level 2",
            refused.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// tas(lat, lon, t) = 280 + 20 cos(lat) + 5 sin(lat) cos(lon) + 0.05 K/day t: linear in time at every
    /// cell. <paramref name="heldOutStepValue"/> overwrites step 4 (the default held-out step) everywhere.
    /// </summary>
    private static GriddedField Field(float? heldOutStepValue)
    {
        var latitudes = Enumerable.Range(0, 18).Select(i => -85.0 + 10 * i).ToArray();
        var longitudes = Enumerable.Range(0, 36).Select(j => -180.0 + 10 * j).ToArray();
        var values = new float[Days.Length * latitudes.Length * longitudes.Length];
        var index = 0;
        for (var t = 0; t < Days.Length; t++)
        {
            foreach (var lat in latitudes)
            {
                foreach (var lon in longitudes)
                {
                    var (phi, lambda) = (lat * Math.PI / 180, lon * Math.PI / 180);
                    var value = 280 + (20 * Math.Cos(phi)) + (5 * Math.Sin(phi) * Math.Cos(lambda)) + (0.05 * Days[t]);
                    values[index++] = t == 4 && heldOutStepValue is { } v ? v : (float)value;
                }
            }
        }

        return new GriddedField(["synthetic"], "tas", WeatherQuantity.AirTemperature, "K", latitudes, longitudes,
            Days.Select(d => Start.AddDays(d)).ToArray(), values);
    }

    private JobOutcome RunJob(string runId, GriddedField field, double? heldOutTimeFraction = null)
    {
        var folder = new DataFolder(root);
        var library = new EmbeddingLibrary(folder);
        var embedding = library.Cache.GetOrCreate(2, 9, out _);
        var storage = Path.Combine(root, "fields", runId, "tas.field");
        Directory.CreateDirectory(Path.GetDirectoryName(storage)!);
        GriddedFieldStore.Write(storage, field);

        var variable = new DatasetVariable("tas", "AirTemperature", "K", field.LatitudeCount, field.LongitudeCount,
            field.TimeCount, field.TimesUtc[0], field.TimesUtc[^1], storage, field.TimesUtc);
        var descriptor = new EmbeddingDescriptor(embedding.Id, 2, 9, embedding.NodeCount, "", true, 0,
            embedding.MaxRelativeResidual, embedding.Eigenvalues);
        var settings = new TrainingSettings(Layers: 3, Width: 32, Activation: "Sine", LearningRate: 1e-3,
            BatchSize: 256, MaxSteps: 40, TimeBudgetSeconds: 600, Seed: 3)
        {
            HeldOutTimeFraction = heldOutTimeFraction,
        };
        var job = new TrainingJob(runId, "tas", [variable], descriptor, 0.1, settings,
            folder.RunJob(runId, "tas"));
        return TrainingJobExecution.Run(job, library, progress: null, CancellationToken.None);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
