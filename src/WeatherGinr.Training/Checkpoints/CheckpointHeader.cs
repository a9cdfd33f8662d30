namespace WeatherGinr.Training;

/// <summary>The self-describing part of a checkpoint file, stored as JSON before the raw tensors.</summary>
internal sealed record CheckpointHeader
{
    public required int FormatVersion { get; init; }

    public required GinrArchitecture Architecture { get; init; }

    public required IReadOnlyList<string> VariableNames { get; init; }

    public required FieldNormalisation Normalisation { get; init; }

    public string? EmbeddingIdentity { get; init; }

    /// <summary>Name and shape of every tensor that follows the header, in file order.</summary>
    public required IReadOnlyList<CheckpointTensor> Tensors { get; init; }

    /// <summary>Present in checkpoints written during training; absent in a plain saved model.</summary>
    public TrainingState? Training { get; init; }
}

/// <summary>One tensor of a checkpoint: float32, little-endian, row-major.</summary>
internal sealed record CheckpointTensor(string Name, long[] Shape)
{
    public long ElementCount => Shape.Aggregate(1L, (product, size) => product * size);
}

/// <summary>
/// Where a training run stood when its checkpoint was written: enough to continue to the same result as an
/// uninterrupted run (the batch order is a pure function of the seed and the step).
/// </summary>
internal sealed record TrainingState
{
    public required int Step { get; init; }

    public required long OptimiserStep { get; init; }

    public required double LearningRate { get; init; }

    public required double BestWindowLoss { get; init; }

    public required int WindowsWithoutImprovement { get; init; }

    public required double WindowLossSum { get; init; }

    public required int WindowSteps { get; init; }

    public required double LastWindowLoss { get; init; }

    public required int Seed { get; init; }

    public required int BatchSize { get; init; }

    public required int NodeCount { get; init; }

    public required double[] Times { get; init; }

    public required long ValidTargetCount { get; init; }

    public required double ElapsedSeconds { get; init; }
}
