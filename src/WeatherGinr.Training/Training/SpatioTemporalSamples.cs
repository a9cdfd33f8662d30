namespace WeatherGinr.Training;

/// <summary>
/// Training data for one GINR: the spectral embedding of a mesh and the values of one or more variables on
/// its nodes at a sequence of times.
/// </summary>
/// <param name="Embedding">
/// <paramref name="NodeCount"/> x <paramref name="EmbeddingColumns"/> row-major, already scaled by sqrt(n)
/// (every column has unit RMS).
/// </param>
/// <param name="NodeCount">Nodes of the mesh.</param>
/// <param name="EmbeddingColumns">k, eigenvector columns per node.</param>
/// <param name="Times">One per time step, strictly increasing, any unit (for example days since 1970).</param>
/// <param name="Targets">
/// [time, node, variable] row-major in physical units. NaN marks a missing or held-out value: it never
/// enters the loss or the normalisation. Infinities are rejected.
/// </param>
/// <param name="VariableNames">One name per variable, in the order of the last axis of the targets.</param>
public sealed record SpatioTemporalSamples(
    float[] Embedding,
    int NodeCount,
    int EmbeddingColumns,
    double[] Times,
    float[] Targets,
    IReadOnlyList<string> VariableNames)
{
    /// <summary>Identifies the embedding (for example mesh level, k and a hash); stored in checkpoints.</summary>
    public string? EmbeddingIdentity { get; init; }

    /// <summary>Number of time steps.</summary>
    public int TimeCount => Times.Length;

    /// <summary>Number of variables.</summary>
    public int VariableCount => VariableNames.Count;

    /// <summary>
    /// Checks shapes and values; throws <see cref="ArgumentException"/> naming the member and the value
    /// found. Returns the number of valid (non-NaN) target values.
    /// </summary>
    public long Validate(string? parameterName = null)
    {
        parameterName ??= "samples";
        ArgumentNullException.ThrowIfNull(Embedding, $"{parameterName}.{nameof(Embedding)}");
        ArgumentNullException.ThrowIfNull(Times, $"{parameterName}.{nameof(Times)}");
        ArgumentNullException.ThrowIfNull(Targets, $"{parameterName}.{nameof(Targets)}");
        ArgumentNullException.ThrowIfNull(VariableNames, $"{parameterName}.{nameof(VariableNames)}");

        Fail(NodeCount < 1, $"NodeCount is {NodeCount}; a mesh has at least one node.");
        Fail(EmbeddingColumns < 1, $"EmbeddingColumns is {EmbeddingColumns}; it must be at least 1.");
        Fail(Times.Length < 1, "Times is empty; give at least one time step.");
        Fail(VariableNames.Count < 1, "VariableNames is empty; give at least one variable.");
        Fail(VariableNames.Any(string.IsNullOrWhiteSpace), "VariableNames holds an empty name.");
        Fail(VariableNames.Distinct(StringComparer.Ordinal).Count() != VariableNames.Count,
            $"VariableNames has duplicates: {string.Join(", ", VariableNames)}.");

        var embeddingLength = (long)NodeCount * EmbeddingColumns;
        Fail(Embedding.LongLength != embeddingLength,
            $"Embedding has {Embedding.LongLength} values; NodeCount x EmbeddingColumns = {NodeCount} x " +
            $"{EmbeddingColumns} = {embeddingLength}. Does the embedding belong to this mesh?");
        var badEmbedding = Array.FindIndex(Embedding, value => !float.IsFinite(value));
        FailLazy(badEmbedding >= 0, () => $"Embedding[{badEmbedding}] is {Embedding[badEmbedding]}; " +
            $"node {badEmbedding / EmbeddingColumns}, column {badEmbedding % EmbeddingColumns}.");

        for (var step = 0; step < Times.Length; step++)
        {
            FailLazy(!double.IsFinite(Times[step]), () => $"Times[{step}] is {Times[step]}; times must be finite.");
            FailLazy(step > 0 && Times[step] <= Times[step - 1], () =>
                $"Times[{step}] = {Times[step]} does not follow Times[{step - 1}] = {Times[step - 1]}; " +
                "times must be strictly increasing.");
        }

        var targetLength = (long)Times.Length * NodeCount * VariableNames.Count;
        Fail(Targets.LongLength != targetLength,
            $"Targets has {Targets.LongLength} values; times x nodes x variables = {Times.Length} x {NodeCount} " +
            $"x {VariableNames.Count} = {targetLength}.");

        long valid = 0;
        for (long index = 0; index < Targets.LongLength; index++)
        {
            var value = Targets[index];
            if (float.IsNaN(value))
            {
                continue;
            }

            FailLazy(float.IsInfinity(value), () => DescribeTarget(index, value) +
                " Infinite targets are rejected; mark missing values with NaN.");
            valid++;
        }

        Fail(valid == 0, "Targets holds no valid value (all NaN); there is nothing to learn.");
        return valid;

        void Fail(bool condition, string message)
        {
            if (condition)
            {
                throw new ArgumentException($"{parameterName}.{message}", parameterName);
            }
        }

        // Messages that index into the arrays are built only when the check fails.
        void FailLazy(bool condition, Func<string> message) => Fail(condition, condition ? message() : "");
    }

    private string DescribeTarget(long index, float value)
    {
        var variables = VariableNames.Count;
        var variable = (int)(index % variables);
        var node = (int)(index / variables % NodeCount);
        var step = (int)(index / variables / NodeCount);
        return $"Targets[{index}] is {value} (variable '{VariableNames[variable]}', node {node}, time step {step}).";
    }
}
