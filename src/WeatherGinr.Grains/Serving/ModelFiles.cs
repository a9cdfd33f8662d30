using System.Text.Json;
using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Spectral;
using WeatherGinr.Grains.Training;
using WeatherGinr.Training;

namespace WeatherGinr.Grains.Serving;

/// <summary>
/// The files a served model is read from (descriptor, checkpoint, coverage), loaded with every storage failure
/// told as a <see cref="ModelUnavailableException"/> that names the file and what is wrong with it; and their
/// stamps, by which a model grain sees that a retraining elsewhere replaced them.
/// </summary>
internal sealed record ModelFiles(
    string DescriptorPath, FileStamp? Descriptor,
    string CheckpointPath, FileStamp? Checkpoint,
    string? CoveragePath, FileStamp? Coverage)
{
    /// <summary>
    /// Stamps the files before they are read, so that a file replaced while it is read counts as changed later.
    /// </summary>
    public static ModelFiles Stamp(string descriptorPath, ModelDescriptor descriptor) =>
        new(descriptorPath, FileStamp.Of(descriptorPath), descriptor.CheckpointPath,
            FileStamp.Of(descriptor.CheckpointPath), descriptor.CoveragePath, FileStamp.Of(descriptor.CoveragePath));

    /// <summary>
    /// Whether any of the files was written, replaced or removed since it was stamped: three stat calls, cheap
    /// enough for every request.
    /// </summary>
    public bool Changed() =>
        FileStamp.Of(DescriptorPath) != Descriptor || FileStamp.Of(CheckpointPath) != Checkpoint
        || FileStamp.Of(CoveragePath) != Coverage;

    /// <summary>The network, mesh, embedding and coverage of a model whose descriptor was checked.</summary>
    public static LoadedModel Load(ModelDescriptor descriptor, EmbeddingLibrary library)
    {
        var modelId = descriptor.ModelId;
        var mesh = library.Mesh(descriptor.Embedding.MeshLevel);
        var coverage = descriptor.CoveragePath is { } coveragePath
            ? ReadCoverage(modelId, coveragePath, mesh.NodeCount, descriptor.Variables.Count)
            : null;

        GinrModel network;
        try
        {
            network = GinrModel.Load(descriptor.CheckpointPath);
        }
        catch (Exception e) when (IsFileProblem(e))
        {
            throw Unavailable(modelId, "checkpoint", descriptor.CheckpointPath, e);
        }

        try
        {
            return new LoadedModel(descriptor, network, mesh, Embedding(modelId, descriptor, library), coverage);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A grid answer that could not be written, said by what stands in its way: a file where a folder should be,
    /// or a folder that cannot be written. Said without the answer's own file name, which differs each time, so
    /// that the same cause reads the same on every request.
    /// </summary>
    public static string ExportProblem(string parquetPath, Exception e)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(parquetPath))!;
        for (var at = folder; at is not null; at = Path.GetDirectoryName(at))
        {
            if (File.Exists(at))
            {
                return $"'{at}' is a file, not a folder";
            }

            if (Directory.Exists(at))
            {
                break;
            }
        }

        // ParquetSharp reports an errno in its message ("... Detail: [errno 13] Permission denied").
        var denied = e is UnauthorizedAccessException
            || e.Message.Contains("Permission denied", StringComparison.Ordinal);
        var reason = denied
            ? "permission denied"
            : e.Message.Contains("Read-only file system", StringComparison.Ordinal)
                ? "the file system is read-only"
                : ErrorText.Of(e);
        return $"'{folder}' cannot be written: {reason}";
    }

    /// <summary>
    /// Failures of reading or writing a file, as opposed to bugs: these are told in words, without a stack.
    /// </summary>
    public static bool IsFileProblem(Exception e) =>
        e is IOException or UnauthorizedAccessException or InvalidDataException or JsonException
            or ParquetSharp.ParquetException;

    /// <remarks>
    /// <see cref="NodeCoverage.Read"/> checks the file (its checksum, or an older file's lengths) and the node
    /// count; the variable count is the model's to check.
    /// </remarks>
    private static NodeCoverage ReadCoverage(string modelId, string path, int nodeCount, int variableCount)
    {
        try
        {
            var coverage = NodeCoverage.Read(path, nodeCount);
            return coverage.VariableCount == variableCount
                ? coverage
                : throw new ModelUnavailableException(
                    $"model '{modelId}' cannot be served: its coverage file '{path}' describes "
                    + $"{coverage.VariableCount} variables; the model has {variableCount}; restore the file or "
                    + "train the model again");
        }
        catch (Exception e) when (IsFileProblem(e))
        {
            throw Unavailable(modelId, "coverage file", path, e);
        }
    }

    /// <summary>The embedding from the cache (recomputed there if its file went bad).</summary>
    private static Core.Spectral.SpectralEmbedding Embedding(string modelId, ModelDescriptor descriptor,
        EmbeddingLibrary library)
    {
        try
        {
            return library.Embedding(descriptor.Embedding);
        }
        catch (Exception e) when (IsFileProblem(e))
        {
            // The cache's own messages name its folder or file ("the embedding cache '...' is a file, ...").
            throw new ModelUnavailableException(
                $"model '{modelId}' cannot be served: embedding '{descriptor.Embedding.Id}': {ErrorText.Of(e)}");
        }
    }

    private static ModelUnavailableException Unavailable(string modelId, string what, string path, Exception e)
    {
        var problem = e switch
        {
            _ when Directory.Exists(path) => "is a folder, not a file",
            FileNotFoundException or DirectoryNotFoundException => "does not exist",
            UnauthorizedAccessException => "cannot be read: permission denied",
            EndOfStreamException => "is truncated: it ends before its content does",
            JsonException => "is damaged: its header is not valid JSON",

            // The checkpoint reader's messages name the file already ("'...' is not a WeatherGinr checkpoint").
            InvalidDataException when e.Message.Contains(path, StringComparison.Ordinal) =>
                null,
            _ => $"cannot be read: {ErrorText.Of(e)}",
        };
        return new ModelUnavailableException(problem is null
            ? $"model '{modelId}' cannot be served: {e.Message.TrimEnd('.')}; " +
                "restore the file or train the model again"
            : $"model '{modelId}' cannot be served: its {what} '{path}' {problem}; " +
                "restore the file or train the model again");
    }
}
