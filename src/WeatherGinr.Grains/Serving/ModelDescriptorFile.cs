using System.Text.Json;
using WeatherGinr.Core.Mesh;
using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Storage;

namespace WeatherGinr.Grains.Serving;

/// <summary>
/// Reads a model's descriptor, <c>models/{id}.json</c>, and checks that it describes a model that can be
/// served. A descriptor is written whole (renamed into place), so a damaged one was damaged by something else:
/// a full disk, a hand edit, a copy cut short. It is told as such, naming the file, rather than failing later
/// in whatever first touches the missing part (a null list in the model list, a null path in the loader).
/// </summary>
internal static class ModelDescriptorFile
{
    /// <exception cref="KeyNotFoundException">No descriptor has that id: the model is unknown.</exception>
    /// <exception cref="ModelUnavailableException">The descriptor is there but cannot be read or is damaged.
    /// </exception>
    public static ModelDescriptor Read(string path, string modelId)
    {
        if (Directory.Exists(path))
        {
            throw Damaged(modelId, path, "is a folder, not a file");
        }

        ModelDescriptor? descriptor;
        try
        {
            using var stream = File.OpenRead(path);
            descriptor = stream.Length == 0
                ? throw Damaged(modelId, path, "is empty (0 bytes)")
                : JsonSerializer.Deserialize<ModelDescriptor>(stream, AtomicFile.Json);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new KeyNotFoundException($"model '{modelId}' is unknown: no trained model has that id");
        }
        catch (UnauthorizedAccessException)
        {
            throw Damaged(modelId, path, "cannot be read: permission denied");
        }
        catch (IOException e)
        {
            throw Damaged(modelId, path, $"cannot be read: {e.Message}");
        }
        catch (JsonException e)
        {
            throw Damaged(modelId, path, JsonProblem(e));
        }

        var problems = descriptor is null
            ? ["holds null instead of a model descriptor"]
            : Problems(descriptor, modelId);
        return problems.Count == 0
            ? descriptor!
            : throw Damaged(modelId, path, string.Join(", ", problems));
    }

    /// <summary>
    /// What a descriptor lacks or gets wrong (empty when it is whole). JSON binding leaves a missing member null or
    /// zero, so <c>{}</c> parses; these checks are what tells it from a descriptor.
    /// </summary>
    internal static List<string> Problems(ModelDescriptor descriptor, string modelId)
    {
        var problems = new List<string>();
        if (string.IsNullOrEmpty(descriptor.ModelId))
        {
            problems.Add("has no modelId");
        }
        else if (!string.Equals(descriptor.ModelId, modelId, StringComparison.Ordinal))
        {
            problems.Add($"names model '{descriptor.ModelId}', not '{modelId}' as its file name does");
        }

        if (string.IsNullOrEmpty(descriptor.CheckpointPath))
        {
            problems.Add("has no checkpointPath");
        }

        if (descriptor.Variables is not { Count: > 0 } variables)
        {
            problems.Add("lists no variables");
        }
        else
        {
            for (var v = 0; v < variables.Count; v++)
            {
                if (variables[v] is not { Name.Length: > 0, Units: not null })
                {
                    problems.Add($"has no name or units for variables[{v}]");
                }
            }
        }

        if (descriptor.Embedding is not { } embedding)
        {
            problems.Add("has no embedding");
        }
        else if (string.IsNullOrEmpty(embedding.Id) || embedding.MeshLevel is < 0 or > Icosphere.MaxLevel
                 || embedding.Columns < 1)
        {
            problems.Add($"has an embedding with id '{embedding.Id}', mesh level {embedding.MeshLevel} and " +
                $"{embedding.Columns} columns; expected an id, a level in 0..{Icosphere.MaxLevel} and at least one " +
                "column");
        }

        if (descriptor.Metrics is null)
        {
            problems.Add("has no metrics");
        }

        if (descriptor.FirstTimeUtc > descriptor.LastTimeUtc)
        {
            problems.Add($"has firstTimeUtc {descriptor.FirstTimeUtc:O} after lastTimeUtc {descriptor.LastTimeUtc:O}");
        }

        return problems;
    }

    /// <summary>The parser's complaint in words, with where it is; no .NET type names.</summary>
    private static string JsonProblem(JsonException e)
    {
        var where = e.LineNumber is { } line
            ? $" at line {line + 1}, byte {e.BytePositionInLine + 1}" + (e.Path is { Length: > 1 } p ? $" ({p})" : "")
            : "";
        if (e.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            return $"has a value of the wrong type{where}";
        }

        // The parser's message ends in "[Path: $ |] LineNumber: 0 | BytePositionInLine: 8.", said above.
        var reason = e.Message.Split([" Path: ", " LineNumber: "], 2, StringSplitOptions.None)[0].TrimEnd('.');
        return $"is not valid JSON{where}: {reason}";
    }

    private static ModelUnavailableException Damaged(string modelId, string path, string problem) =>
        new($"model '{modelId}' cannot be served: its descriptor '{path}' {problem}; " +
            "restore the file or train the model again");
}
