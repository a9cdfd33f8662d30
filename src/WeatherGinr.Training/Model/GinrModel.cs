using TorchSharp;
using static TorchSharp.torch;

namespace WeatherGinr.Training;

/// <summary>
/// A trained GINR: the network, the normalisation of its targets and time, and the names of its variables.
/// Predictions take embedding rows (of the training mesh or an aligned finer one) and a time, and return
/// physical values. Thread-safe: concurrent calls are serialised (each already uses every torch thread).
/// </summary>
public sealed class GinrModel : IDisposable
{
    /// <summary>Rows per forward pass of a prediction: bounds memory for any number of points.</summary>
    internal const int PredictionChunkRows = 32_768;

    private readonly Lock gate = new();
    private readonly GinrNetwork network;
    private readonly Device device;
    private bool disposed;

    internal GinrModel(
        GinrArchitecture architecture,
        IReadOnlyList<string> variableNames,
        FieldNormalisation normalisation,
        GinrNetwork network,
        Device device,
        string? embeddingIdentity)
    {
        Architecture = architecture;
        VariableNames = variableNames.ToArray();
        Normalisation = normalisation;
        EmbeddingIdentity = embeddingIdentity;
        this.network = network;
        this.device = device;
        ParameterCount = network.parameters().Sum(parameter => parameter.numel());
        Debug.Assert(ParameterCount == architecture.ParameterCount, "network and architecture disagree");
    }

    /// <summary>The network's shape.</summary>
    public GinrArchitecture Architecture { get; }

    /// <summary>Variable names, in output order.</summary>
    public IReadOnlyList<string> VariableNames { get; }

    /// <summary>Trainable scalars (weights and biases).</summary>
    public long ParameterCount { get; }

    /// <summary>Per-variable mean and standard deviation, and the training time range.</summary>
    public FieldNormalisation Normalisation { get; }

    /// <summary>The embedding the model was trained on, when the caller named it.</summary>
    public string? EmbeddingIdentity { get; }

    /// <summary>Bytes of the float32 weights: the size of the representation for compression ratios.</summary>
    public long WeightBytes => ParameterCount * sizeof(float);

    internal GinrNetwork Network => network;

    internal Device Device => device;

    /// <summary>
    /// Evaluates the field at <paramref name="rowCount"/> points at one time.
    /// </summary>
    /// <param name="embeddingRows">rowCount x EmbeddingColumns row-major embedding rows (scaled by sqrt(n)).</param>
    /// <param name="rowCount">Number of points.</param>
    /// <param name="time">Time in the training samples' unit; outside the training range extrapolates.</param>
    /// <returns>rowCount x Outputs row-major values in physical units.</returns>
    public float[] Predict(ReadOnlySpan<float> embeddingRows, int rowCount, double time)
    {
        if (!double.IsFinite(time))
        {
            throw new ArgumentOutOfRangeException(nameof(time), time, "The query time must be finite.");
        }

        ThrowIfAutoDecoder();
        var normalisedTime = (float)Normalisation.NormaliseTime(time);
        return PredictCore(embeddingRows, rowCount, (_, conditioning) => conditioning.Fill(normalisedTime));
    }

    /// <summary>Evaluates one stored signal of an auto-decoder (see <see cref="GinrArchitecture.LatentSignals"/>).
    /// </summary>
    /// <param name="embeddingRows">rowCount x EmbeddingColumns row-major embedding rows.</param>
    /// <param name="rowCount">Number of points.</param>
    /// <param name="signal">Index of the signal, 0 to LatentSignals - 1.</param>
    public float[] PredictSignal(ReadOnlySpan<float> embeddingRows, int rowCount, int signal)
    {
        if (!Architecture.HasLatents)
        {
            throw new InvalidOperationException(
                "This model is conditioned on time, not on stored signals; call Predict with a time.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(signal);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(signal, Architecture.LatentSignals);
        var latent = Latents().AsSpan(signal * Architecture.ConditioningColumns, Architecture.ConditioningColumns)
            .ToArray();
        return PredictCore(embeddingRows, rowCount, (_, conditioning) => latent.CopyTo(conditioning));
    }

    /// <summary>The learned latent vectors of an auto-decoder, LatentSignals x d row-major; empty otherwise.</summary>
    public float[] Latents()
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return network.Latents is { } table ? ToArray(table) : [];
        }
    }

    /// <summary>Evaluates the field at points that each have their own time.</summary>
    /// <param name="embeddingRows">rowCount x EmbeddingColumns row-major embedding rows.</param>
    /// <param name="times">One time per row, in the training samples' unit.</param>
    /// <returns>times.Length x Outputs row-major values in physical units.</returns>
    public float[] Predict(ReadOnlySpan<float> embeddingRows, ReadOnlySpan<double> times)
    {
        foreach (var time in times)
        {
            if (!double.IsFinite(time))
            {
                throw new ArgumentOutOfRangeException(nameof(times), time, "Every query time must be finite.");
            }
        }

        ThrowIfAutoDecoder();
        var normalised = times.ToArray().Select(time => (float)Normalisation.NormaliseTime(time)).ToArray();
        return PredictCore(embeddingRows, normalised.Length,
            (row, conditioning) => conditioning.Fill(normalised[row]));
    }

    /// <summary>Writes one self-describing file: architecture, normalisation, variable names, weights.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var (tensors, values) = ExportParameters();
            GinrCheckpointFile.Write(path, CreateHeader(tensors, training: null), values);
        }
    }

    /// <summary>
    /// Reads a file written by <see cref="Save"/> (or a training checkpoint) onto the default device.
    /// Throws <see cref="InvalidDataException"/> when the weights do not match the declared architecture.
    /// </summary>
    public static GinrModel Load(string path) => Load(path, device: null);

    /// <summary>Reads a saved model onto a chosen device ("cpu", "cuda"; null: CUDA where available).</summary>
    public static GinrModel Load(string path, string? device)
    {
        var (header, values) = GinrCheckpointFile.Read(path);
        return FromCheckpoint(header, values, TorchRuntime.SelectDevice(device), path);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (gate)
        {
            if (!disposed)
            {
                network.Dispose();
                disposed = true;
            }
        }
    }

    internal static GinrModel FromCheckpoint(CheckpointHeader header, float[][] values, Device device, string path)
    {
        try
        {
            header.Architecture.Validate("path");
        }
        catch (ArgumentException exception)
        {
            throw new InvalidDataException($"Checkpoint '{path}': {exception.Message}", exception);
        }

        if (header.VariableNames.Count != header.Architecture.Outputs
            || header.Normalisation.Means.Count != header.Architecture.Outputs
            || header.Normalisation.StandardDeviations.Count != header.Architecture.Outputs)
        {
            throw new InvalidDataException(
                $"Checkpoint '{path}' has {header.Architecture.Outputs} outputs but {header.VariableNames.Count} " +
                $"variable names and {header.Normalisation.Means.Count} means.");
        }

        var network = new GinrNetwork(header.Architecture, device);
        try
        {
            ImportParameters(network, header, values, path);
            return new GinrModel(header.Architecture, header.VariableNames, header.Normalisation, network, device,
                header.EmbeddingIdentity);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    internal (CheckpointTensor[] Tensors, float[][] Values) ExportParameters()
    {
        var named = network.named_parameters().ToArray();
        var tensors = new CheckpointTensor[named.Length];
        var values = new float[named.Length][];
        for (var index = 0; index < named.Length; index++)
        {
            var (name, parameter) = named[index];
            tensors[index] = new CheckpointTensor(name, parameter.shape);
            values[index] = ToArray(parameter);
        }

        return (tensors, values);
    }

    internal CheckpointHeader CreateHeader(IReadOnlyList<CheckpointTensor> tensors, TrainingState? training) => new()
    {
        FormatVersion = GinrCheckpointFile.CurrentFormatVersion,
        Architecture = Architecture,
        VariableNames = VariableNames,
        Normalisation = Normalisation,
        EmbeddingIdentity = EmbeddingIdentity,
        Tensors = tensors,
        Training = training,
    };

    internal static float[] ToArray(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.detach().cpu().contiguous().data<float>().ToArray();
    }

    // Copies checkpoint values into the freshly built network after checking every name and shape, so a
    // checkpoint of another model shape fails with a message instead of a native error.
    private static void ImportParameters(GinrNetwork network, CheckpointHeader header, float[][] values, string path)
    {
        var named = network.named_parameters().ToArray();
        if (header.Tensors.Count < named.Length)
        {
            throw new InvalidDataException(
                $"Checkpoint '{path}' holds {header.Tensors.Count} tensors; the architecture needs {named.Length}.");
        }

        using var noGrad = no_grad();
        for (var index = 0; index < named.Length; index++)
        {
            var (name, parameter) = named[index];
            var stored = header.Tensors[index];
            if (stored.Name != name || !stored.Shape.SequenceEqual(parameter.shape))
            {
                throw new InvalidDataException(
                    $"Checkpoint '{path}': tensor {index} is '{stored.Name}' [{string.Join(", ", stored.Shape)}] " +
                    $"but the architecture needs '{name}' [{string.Join(", ", parameter.shape)}]; " +
                    "the checkpoint belongs to another model shape.");
            }

            using var source = tensor(values[index], parameter.shape);
            parameter.copy_(source);
        }
    }

    private void ThrowIfAutoDecoder()
    {
        if (Architecture.HasLatents)
        {
            throw new InvalidOperationException(
                $"This model stores {Architecture.LatentSignals} signals with learned latents, not a time series; " +
                "call PredictSignal.");
        }
    }

    private float[] PredictCore(ReadOnlySpan<float> embeddingRows, int rowCount, ConditioningWriter conditionRow)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        var columns = Architecture.EmbeddingColumns;
        if (embeddingRows.Length != (long)rowCount * columns)
        {
            throw new ArgumentException(
                $"embeddingRows has {embeddingRows.Length} values; rowCount x EmbeddingColumns = {rowCount} x " +
                $"{columns} = {(long)rowCount * columns}.", nameof(embeddingRows));
        }

        var outputs = Architecture.Outputs;
        var result = new float[(long)rowCount * outputs];
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            using var noGrad = no_grad();
            var inputColumns = Architecture.InputColumns;
            var input = new float[(long)Math.Min(rowCount, PredictionChunkRows) * inputColumns];
            for (var start = 0; start < rowCount; start += PredictionChunkRows)
            {
                var rows = Math.Min(PredictionChunkRows, rowCount - start);
                FillInput(input, embeddingRows.Slice(start * columns, rows * columns), rows, start, conditionRow);
                var chunk = RunNetwork(input, rows);
                Destandardise(chunk, result.AsSpan(start * outputs, rows * outputs));
            }
        }

        return result;
    }

    // Network input row: [e_1 .. e_k, c_1 .. c_d] with c the normalised time, a latent vector, or nothing.
    private void FillInput(
        float[] input, ReadOnlySpan<float> rows, int rowCount, int firstRow, ConditioningWriter conditionRow)
    {
        var columns = Architecture.EmbeddingColumns;
        var inputColumns = Architecture.InputColumns;
        for (var row = 0; row < rowCount; row++)
        {
            var target = input.AsSpan(row * inputColumns, inputColumns);
            rows.Slice(row * columns, columns).CopyTo(target);
            if (Architecture.ConditioningColumns > 0)
            {
                conditionRow(firstRow + row, target[columns..]);
            }
        }
    }

    private float[] RunNetwork(float[] input, int rows)
    {
        using var scope = NewDisposeScope();
        var shape = new long[] { rows, Architecture.InputColumns };
        var batch = input.Length == rows * Architecture.InputColumns
            ? tensor(input, shape, device: device)
            : tensor(input.AsSpan(0, rows * Architecture.InputColumns).ToArray(), shape, device: device);
        return network.forward(batch).cpu().contiguous().data<float>().ToArray();
    }

    private delegate void ConditioningWriter(int row, Span<float> conditioning);

    // y = z * std + mean, per variable.
    private void Destandardise(float[] standardised, Span<float> physical)
    {
        var outputs = Architecture.Outputs;
        for (var index = 0; index < physical.Length; index++)
        {
            var variable = index % outputs;
            physical[index] = (float)((standardised[index] * Normalisation.StandardDeviations[variable])
                + Normalisation.Means[variable]);
        }
    }
}
