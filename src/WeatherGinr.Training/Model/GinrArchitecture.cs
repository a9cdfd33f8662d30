namespace WeatherGinr.Training;

/// <summary>
/// The shape of a GINR network (Grattarola and Vandergheynst 2022): <paramref name="Layers"/> linear
/// layers counted with the output layer, all <paramref name="Width"/> wide; the network input (embedding
/// row plus conditioning columns) is concatenated again before layer <c>ceil(Layers / 2)</c> (zero-based,
/// as in the reference code); the output layer is linear with one output per variable.
/// </summary>
/// <param name="EmbeddingColumns">k, the number of Laplacian eigenvector columns per node.</param>
/// <param name="ConditioningColumns">
/// Global columns concatenated to every embedding row: 1 for time-conditioned fields, 0 for a static
/// field (exactly one time step), or the latent size d of an auto-decoder (<paramref name="LatentSignals"/>).
/// </param>
/// <param name="Outputs">One output per variable.</param>
/// <param name="Layers">Linear layers in total, the output layer included (at least 2).</param>
/// <param name="Width">Neurons in every hidden layer.</param>
/// <param name="Activation">Hidden activation.</param>
/// <param name="Omega0">SIREN frequency w0, applied on every sine layer.</param>
/// <param name="LatentSignals">
/// 0 for time conditioning; otherwise the network is an auto-decoder that stores this many signals, each
/// with a learned latent vector of <paramref name="ConditioningColumns"/> values concatenated to the
/// embedding in place of time (the paper's multi-signal setting, section 4).
/// </param>
public sealed record GinrArchitecture(
    int EmbeddingColumns,
    int ConditioningColumns,
    int Outputs,
    int Layers = 6,
    int Width = 256,
    GinrActivation Activation = GinrActivation.Sine,
    double Omega0 = 30.0,
    int LatentSignals = 0)
{
    /// <summary>Columns of the network input: embedding plus conditioning.</summary>
    public int InputColumns => EmbeddingColumns + ConditioningColumns;

    /// <summary>Zero-based index of the layer whose input is <c>[hidden, network input]</c>.</summary>
    public int SkipLayerIndex => (Layers + 1) / 2;

    /// <summary>True for an auto-decoder with one learned latent vector per signal.</summary>
    public bool HasLatents => LatentSignals > 0;

    /// <summary>Trainable scalars: weights and biases of every layer, and the latent table.</summary>
    public long ParameterCount
    {
        get
        {
            var count = (long)LatentSignals * ConditioningColumns;
            for (var layer = 0; layer < Layers; layer++)
            {
                var (inputs, outputs) = LayerShape(layer);
                count += ((long)inputs * outputs) + outputs;
            }

            return count;
        }
    }

    /// <summary>Input and output width of one linear layer.</summary>
    public (int Inputs, int Outputs) LayerShape(int layer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, Layers);

        var inputs = layer == 0 ? InputColumns : Width;
        if (layer == SkipLayerIndex)
        {
            inputs += InputColumns;
        }

        var outputs = layer == Layers - 1 ? Outputs : Width;
        return (inputs, outputs);
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate(string? parameterName = null)
    {
        parameterName ??= "architecture";
        Require(EmbeddingColumns >= 1, nameof(EmbeddingColumns), EmbeddingColumns, "at least 1");
        Require(ConditioningColumns >= 0, nameof(ConditioningColumns), ConditioningColumns, "0 or more");
        Require(Outputs >= 1, nameof(Outputs), Outputs, "at least 1 (one per variable)");
        Require(Layers >= 2, nameof(Layers), Layers, "at least 2 (one hidden and the output layer)");
        Require(Width >= 1, nameof(Width), Width, "at least 1");
        Require(double.IsFinite(Omega0) && Omega0 > 0, nameof(Omega0), Omega0, "finite and positive");
        Require(Enum.IsDefined(Activation), nameof(Activation), Activation, "Sine or Relu");
        Require(LatentSignals >= 0, nameof(LatentSignals), LatentSignals, "0 or more");
        Require(LatentSignals == 0 || ConditioningColumns >= 1, nameof(ConditioningColumns), ConditioningColumns,
            "at least 1 (the latent size) when LatentSignals is positive");

        void Require(bool condition, string setting, object value, string expected)
        {
            if (!condition)
            {
                throw new ArgumentException(
                    $"GinrArchitecture.{setting} is {value}; it must be {expected}.", parameterName);
            }
        }
    }
}
