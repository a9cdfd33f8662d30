namespace WeatherGinr.Training.Tests;

public sealed class GinrModelPersistenceTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("ginr-persistence-").FullName;

    [Fact]
    public void Save_and_load_round_trip_gives_identical_predictions_and_metadata()
    {
        var embedding = new SphericalHarmonicEmbedding(300);
        var samples = SampleFields.TwoSeasons(embedding) with { EmbeddingIdentity = "fibonacci-300-sh3" };
        var architecture = GinrTrainerFitTests.SmallSine with { Outputs = 2 };
        using var trained = new OwnedOutcome(GinrTrainer.Train(samples, architecture,
            GinrTrainerFitTests.QuickOptions with { MaxSteps = 50 }));
        var path = Path.Combine(folder, "model.ginr");

        trained.Model.Save(path);
        using var loaded = GinrModel.Load(path);

        Assert.Equal(trained.Model.Architecture, loaded.Architecture);
        Assert.Equal(trained.Model.VariableNames, loaded.VariableNames);
        Assert.Equal(trained.Model.ParameterCount, loaded.ParameterCount);
        Assert.Equal(trained.Model.Normalisation.Means, loaded.Normalisation.Means);
        Assert.Equal(trained.Model.Normalisation.StandardDeviations, loaded.Normalisation.StandardDeviations);
        Assert.Equal("fibonacci-300-sh3", loaded.EmbeddingIdentity);
        foreach (var time in new[] { 0.0, 12.5, 30.0, 45.0 })
        {
            Assert.Equal(trained.Model.Predict(embedding.Rows, embedding.NodeCount, time),
                loaded.Predict(embedding.Rows, embedding.NodeCount, time));
        }

        // The file is the size of the weights plus a small header: a compact representation.
        var bytes = new FileInfo(path).Length;
        Assert.InRange(bytes - loaded.WeightBytes, 100, 8_192);
    }

    [Fact]
    public void Loading_a_file_that_is_not_a_checkpoint_fails_clearly()
    {
        var path = Path.Combine(folder, "not-a-model.ginr");
        File.WriteAllText(path, "hello, world");

        var error = Assert.Throws<InvalidDataException>(() => GinrModel.Load(path));
        Assert.Contains("not a WeatherGinr checkpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loading_a_truncated_checkpoint_fails_clearly()
    {
        var embedding = new SphericalHarmonicEmbedding(100);
        using var trained = new OwnedOutcome(GinrTrainer.Train(SampleFields.StaticTemperature(embedding),
            GinrTrainerFitTests.SmallSine with { ConditioningColumns = 0 },
            GinrTrainerFitTests.QuickOptions with { MaxSteps = 2 }));
        var path = Path.Combine(folder, "truncated.ginr");
        trained.Model.Save(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);

        var error = Assert.Throws<InvalidDataException>(() => GinrModel.Load(path));
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flipped_bit_in_the_weights_is_refused_and_a_checkpoint_of_format_1_still_loads()
    {
        var embedding = new SphericalHarmonicEmbedding(100);
        using var trained = new OwnedOutcome(GinrTrainer.Train(SampleFields.StaticTemperature(embedding),
            GinrTrainerFitTests.SmallSine with { ConditioningColumns = 0 },
            GinrTrainerFitTests.QuickOptions with { MaxSteps = 2 }));
        var path = Path.Combine(folder, "flipped.ginr");
        trained.Model.Save(path);
        var bytes = File.ReadAllBytes(path);

        // A bit of a weight near the end: lengths and shapes all still agree.
        var flipped = (byte[])bytes.Clone();
        flipped[^40] ^= 0x40;
        File.WriteAllBytes(path, flipped);
        var error = Assert.Throws<InvalidDataException>(() => GinrModel.Load(path));
        Assert.Equal($"Checkpoint '{path}' does not match its checksum; the file is corrupt or truncated.",
            error.Message);

        // Format 1 (version 1 after the 8-byte magic, no checksum) is what earlier builds wrote.
        var formatOne = bytes[..^32];
        BitConverter.GetBytes(1).CopyTo(formatOne, 8);
        File.WriteAllBytes(path, formatOne);
        using var loaded = GinrModel.Load(path);
        Assert.Equal(trained.Model.Predict(embedding.Rows, embedding.NodeCount, 0.0),
            loaded.Predict(embedding.Rows, embedding.NodeCount, 0.0));
    }

    [Fact]
    public void Predictions_are_batched_for_more_rows_than_one_chunk()
    {
        var embedding = new SphericalHarmonicEmbedding(200);
        using var trained = new OwnedOutcome(GinrTrainer.Train(SampleFields.StaticTemperature(embedding),
            GinrTrainerFitTests.SmallSine with { ConditioningColumns = 0 },
            GinrTrainerFitTests.QuickOptions with { MaxSteps = 5 }));

        // Repeat the 200 rows past one prediction chunk; every copy must give the same values.
        var copies = (GinrModel.PredictionChunkRows / 200) + 2;
        var rows = Enumerable.Repeat(embedding.Rows, copies).SelectMany(row => row).ToArray();
        var single = trained.Model.Predict(embedding.Rows, 200, 0.0);
        var many = trained.Model.Predict(rows, 200 * copies, 0.0);

        Assert.Equal(200 * copies, many.Length);
        for (var copy = 0; copy < copies; copy++)
        {
            for (var row = 0; row < 200; row++)
            {
                Assert.Equal(single[row], many[(copy * 200) + row], tolerance: 1e-3);
            }
        }
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
