using WeatherGinr.Core.Mesh;
using WeatherGinr.Core.Spectral;
using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Training;
using WeatherGinr.Training;

namespace WeatherGinr.Grains.Serving;

/// <summary>
/// A trained network together with the mesh and embedding it was trained on: evaluates the field at
/// any latitude and longitude by interpolating the embedding inside the containing triangle.
/// Not thread-safe; the model grain serialises its use.
/// </summary>
public sealed class LoadedModel : IDisposable
{
    /// <summary>Points per network call: bounds memory (points x columns floats) for any request size.</summary>
    internal const int ChunkPoints = 16_384;

    private readonly GinrModel network;
    private readonly Icosphere mesh;
    private readonly SpectralEmbedding embedding;

    private readonly NodeCoverage? coverage;

    public LoadedModel(ModelDescriptor descriptor, GinrModel network, Icosphere mesh, SpectralEmbedding embedding,
        NodeCoverage? coverage)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(embedding);

        // A descriptor and a checkpoint that do not belong together (one replaced without the other) would answer
        // with the wrong columns, or read past a point's values: refused, naming both files.
        if (network.Architecture.EmbeddingColumns != embedding.Columns
            || network.Architecture.Outputs != descriptor.Variables.Count)
        {
            throw new ModelUnavailableException(
                $"model '{descriptor.ModelId}' cannot be served: its checkpoint '{descriptor.CheckpointPath}' " +
                $"takes {network.Architecture.EmbeddingColumns} embedding columns and gives " +
                $"{network.Architecture.Outputs} variables; its descriptor names embedding '{embedding.Id}' with " +
                $"{embedding.Columns} columns and {descriptor.Variables.Count} variables; train the model again");
        }

        // The same count of other variables: a descriptor pointed at another model's checkpoint answered its wind
        // in kelvin (found by a tester).
        if (!network.VariableNames.SequenceEqual(descriptor.Variables.Select(v => v.Name), StringComparer.Ordinal))
        {
            throw new ModelUnavailableException(
                $"model '{descriptor.ModelId}' cannot be served: its checkpoint '{descriptor.CheckpointPath}' was " +
                $"trained for {string.Join(", ", network.VariableNames)}; its descriptor names " +
                $"{string.Join(", ", descriptor.Variables.Select(v => v.Name))}; train the model again");
        }

        Descriptor = descriptor;
        this.network = network;
        this.mesh = mesh;
        this.embedding = embedding;
        this.coverage = coverage;
    }

    public ModelDescriptor Descriptor { get; }

    public int VariableCount => Descriptor.Variables.Count;

    /// <summary>
    /// Values <c>[point, variable]</c> at the given points, all at one time. A variable is NaN at points
    /// outside the area its data covered (an ocean-only field over land). Cancellation is checked before each
    /// chunk of points.
    /// </summary>
    public float[] Evaluate(ReadOnlySpan<double> latitudesDegrees, ReadOnlySpan<double> longitudesDegrees,
        DateTimeOffset timeUtc, CancellationToken cancellationToken = default)
    {
        if (latitudesDegrees.Length != longitudesDegrees.Length)
        {
            throw new ArgumentException("latitudes and longitudes differ in length");
        }

        var count = latitudesDegrees.Length;
        var columns = embedding.Columns;
        var values = new float[count * VariableCount];
        var rows = new float[Math.Min(count, ChunkPoints) * columns];
        var time = TrainingJobExecution.ToModelTime(timeUtc);

        for (var start = 0; start < count; start += ChunkPoints)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = Math.Min(ChunkPoints, count - start);
            var locations = new PointLocation[chunk];
            for (var p = 0; p < chunk; p++)
            {
                locations[p] = mesh.Locate(latitudesDegrees[start + p], longitudesDegrees[start + p]);
                embedding.EvaluateAt(locations[p], rows.AsSpan(p * columns, columns));
            }

            var predicted = network.Predict(rows.AsSpan(0, chunk * columns), chunk, time);
            if (coverage is not null)
            {
                for (var p = 0; p < chunk; p++)
                {
                    for (var v = 0; v < VariableCount; v++)
                    {
                        if (!coverage.Covers(locations[p], v, latitudesDegrees[start + p],
                                longitudesDegrees[start + p]))
                        {
                            predicted[p * VariableCount + v] = float.NaN;
                        }
                    }
                }
            }

            predicted.CopyTo(values.AsSpan(start * VariableCount, chunk * VariableCount));
        }

        return values;
    }

    public void Dispose() => network.Dispose();
}
