namespace WeatherGinr.Training;

/// <summary>
/// Goodness of fit in physical units. Truth values that are NaN (missing) are skipped with their
/// predictions; a prediction that is NaN where the truth is valid makes every score NaN, so a broken model
/// cannot look good.
/// </summary>
public static class FieldMetrics
{
    /// <summary>Coefficient of determination <c>1 - sum (y - f)^2 / sum (y - mean y)^2</c>.</summary>
    /// <returns>NaN when nothing is scored; -infinity or below for a constant truth that is missed.</returns>
    public static double RSquared(ReadOnlySpan<float> truth, ReadOnlySpan<float> predicted) =>
        Score("value", truth, predicted).RSquared;

    /// <summary>Root-mean-square error <c>sqrt(mean (y - f)^2)</c>.</summary>
    public static double Rmse(ReadOnlySpan<float> truth, ReadOnlySpan<float> predicted) =>
        Score("value", truth, predicted).Rmse;

    /// <summary>Mean absolute error <c>mean |y - f|</c>.</summary>
    public static double Mae(ReadOnlySpan<float> truth, ReadOnlySpan<float> predicted) =>
        Score("value", truth, predicted).Mae;

    /// <summary>R-squared, RMSE and MAE of one variable.</summary>
    public static FieldScore Score(string variable, ReadOnlySpan<float> truth, ReadOnlySpan<float> predicted) =>
        Score(variable, truth, predicted, stride: 1, offset: 0);

    /// <summary>
    /// Scores of every variable of interleaved [..., variable] arrays (the layout of
    /// <see cref="SpatioTemporalSamples.Targets"/> and of the model's predictions).
    /// </summary>
    public static IReadOnlyList<FieldScore> ScorePerVariable(
        ReadOnlySpan<float> truth, ReadOnlySpan<float> predicted, IReadOnlyList<string> variableNames)
    {
        ArgumentNullException.ThrowIfNull(variableNames);
        var variables = variableNames.Count;
        if (variables == 0 || truth.Length % variables != 0)
        {
            throw new ArgumentException(
                $"truth has {truth.Length} values, not a multiple of {variables} variables.", nameof(truth));
        }

        var scores = new FieldScore[variables];
        for (var variable = 0; variable < variables; variable++)
        {
            scores[variable] = Score(variableNames[variable], truth, predicted, variables, variable);
        }

        return scores;
    }

    /// <summary>
    /// Scores a model against true values at chosen nodes and every time step of <paramref name="truth"/>
    /// (its targets hold the true values, NaN where unknown).
    /// </summary>
    /// <param name="model">The trained model.</param>
    /// <param name="truth">Embedding, times and true values; the embedding may be of another (aligned) mesh.</param>
    /// <param name="nodes">Nodes to score (for example the held-out ones); null scores every node.</param>
    public static IReadOnlyList<FieldScore> Evaluate(
        GinrModel model, SpatioTemporalSamples truth, IReadOnlyCollection<int>? nodes = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(truth);
        if (truth.EmbeddingColumns != model.Architecture.EmbeddingColumns
            || truth.VariableCount != model.Architecture.Outputs)
        {
            throw new ArgumentException(
                $"truth has {truth.EmbeddingColumns} embedding columns and {truth.VariableCount} variables; the " +
                $"model reads {model.Architecture.EmbeddingColumns} and predicts {model.Architecture.Outputs}.",
                nameof(truth));
        }

        var selected = nodes?.ToArray() ?? Enumerable.Range(0, truth.NodeCount).ToArray();
        var columns = truth.EmbeddingColumns;
        var variables = truth.VariableCount;
        var rows = new float[(long)selected.Length * columns];
        for (var index = 0; index < selected.Length; index++)
        {
            var node = selected[index];
            ArgumentOutOfRangeException.ThrowIfNegative(node, nameof(nodes));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(node, truth.NodeCount, nameof(nodes));
            truth.Embedding.AsSpan(node * columns, columns).CopyTo(rows.AsSpan(index * columns, columns));
        }

        var expected = new float[(long)truth.TimeCount * selected.Length * variables];
        var predicted = new float[expected.Length];
        for (var step = 0; step < truth.TimeCount; step++)
        {
            var values = model.Predict(rows, selected.Length, truth.Times[step]);
            values.CopyTo(predicted, (long)step * selected.Length * variables);
            for (var index = 0; index < selected.Length; index++)
            {
                var source = (((long)step * truth.NodeCount) + selected[index]) * variables;
                var target = (((long)step * selected.Length) + index) * variables;
                truth.Targets.AsSpan((int)source, variables).CopyTo(expected.AsSpan((int)target, variables));
            }
        }

        return ScorePerVariable(expected, predicted, truth.VariableNames);
    }

    /// <summary>
    /// Compression ratio: bytes of the represented values as float32 over the bytes of the model's weights.
    /// </summary>
    public static double CompressionRatio(long representedValues, long modelBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(representedValues);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(modelBytes);
        return (double)representedValues * sizeof(float) / modelBytes;
    }

    // Two passes in double: the mean of the scored truths, then the sums of squared and absolute errors
    // and the total sum of squares about that mean.
    private static FieldScore Score(string variable, ReadOnlySpan<float> truth, ReadOnlySpan<float> predicted,
        int stride, int offset)
    {
        if (truth.Length != predicted.Length)
        {
            throw new ArgumentException(
                $"truth has {truth.Length} values but predicted has {predicted.Length}.", nameof(predicted));
        }

        long count = 0;
        var sum = 0.0;
        for (var index = offset; index < truth.Length; index += stride)
        {
            if (!float.IsNaN(truth[index]))
            {
                sum += truth[index];
                count++;
            }
        }

        if (count == 0)
        {
            return new FieldScore(variable, 0, double.NaN, double.NaN, double.NaN);
        }

        var mean = sum / count;
        double squaredErrors = 0, absoluteErrors = 0, totalSquares = 0;
        for (var index = offset; index < truth.Length; index += stride)
        {
            if (float.IsNaN(truth[index]))
            {
                continue;
            }

            var error = (double)truth[index] - predicted[index];
            squaredErrors += error * error;
            absoluteErrors += Math.Abs(error);
            totalSquares += (truth[index] - mean) * (truth[index] - mean);
        }

        var rSquared = totalSquares > 0 ? 1.0 - (squaredErrors / totalSquares)
            : squaredErrors == 0 ? 1.0 : double.NegativeInfinity;
        return new FieldScore(variable, count, rSquared, Math.Sqrt(squaredErrors / count), absoluteErrors / count);
    }
}
