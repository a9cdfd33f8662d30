using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using static WeatherGinr.Host.Tests.Http.ServedCopy;

namespace WeatherGinr.Host.Tests.Http;

/// <summary>
/// A data folder damaged on the server's side (a descriptor, checkpoint or coverage file cut short, zeroed, gone
/// or a folder; exports or the embedding cache a file) is a 500 in the API's error shape naming the file, and one
/// warning in the log without a stack; the other model goes on being listed and served.
/// </summary>
[Collection(TrainedModelsCollection.Name)]
public sealed class ModelFileDamageTests(TrainedModels models)
{
    private const string Point = "point?lat=10&lon=20&time=2000-01-16";
    private const string Grid = "grid?time=2000-01-16&resolution=30";

    [Theory]
    [InlineData("truncated", "is not valid JSON at line")]
    [InlineData("empty", "is empty (0 bytes)")]
    [InlineData("{}", "has no modelId, has no checkpointPath, lists no variables, has no embedding, has no metrics")]
    [InlineData("null", "holds null instead of a model descriptor")]
    [InlineData("modelId 7", "has a value of the wrong type at line 1, byte 13 ($.modelId)")]
    [InlineData("a folder", "is a folder, not a file")]
    public async Task ADamagedDescriptorLeavesItsModelOutOfTheListAndIsToldByName(string damage, string expected)
    {
        await using var server = await ServedCopy.Start(models, root => DamageDescriptor(
            Path.Combine(root, "models", models.Alpha + ".json"), damage));
        var descriptor = server.Descriptor(models.Alpha);

        var list = await server.Client.GetFromJsonAsync<JsonElement>("/v1/models");
        var one = await server.Client.GetAsync($"/v1/models/{models.Alpha}");
        var point = await server.Client.GetAsync($"/v1/models/{models.Alpha}/{Point}");
        var grid = await server.Client.GetAsync($"/v1/models/{models.Alpha}/{Grid}");

        Assert.Equal([models.Beta], list.EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        foreach (var response in new[] { one, point, grid })
        {
            var error = Assert.Single(await Errors(response, HttpStatusCode.InternalServerError));
            Assert.Contains($"its descriptor '{descriptor}' {expected}", error, StringComparison.Ordinal);
        }

        AssertOneWarningWithoutStack(server, descriptor);
    }

    [Theory]
    [InlineData("checkpointPath", "truncated", "does not match its checksum; the file is corrupt or truncated")]
    [InlineData("checkpointPath", "zeroed", "is not a WeatherGinr checkpoint")]
    [InlineData("checkpointPath", "missing", "does not exist")]
    [InlineData("checkpointPath", "a folder", "is a folder, not a file")]
    [InlineData("coveragePath", "truncated", "does not match its checksum; it is corrupt or truncated")]
    [InlineData("coveragePath", "zeroed", "describes 0 variables on 0 nodes")]
    [InlineData("coveragePath", "missing", "does not exist")]
    [InlineData("coveragePath", "a folder", "is a folder, not a file")]
    public async Task ADamagedCheckpointOrCoverageFileIsA500NamingIt(string file, string damage, string expected)
    {
        await using var server = await ServedCopy.Start(models);
        var path = server.PathIn(models.Alpha, file);
        DamageFile(path, damage);

        var list = await server.Client.GetFromJsonAsync<JsonElement>("/v1/models");
        var point = await server.Client.GetAsync($"/v1/models/{models.Alpha}/{Point}");
        var grid = await server.Client.GetAsync($"/v1/models/{models.Alpha}/{Grid}");
        var other = await server.Client.GetAsync($"/v1/models/{models.Beta}/{Point}");

        Assert.Equal(2, list.GetArrayLength());
        foreach (var response in new[] { point, grid })
        {
            var error = Assert.Single(await Errors(response, HttpStatusCode.InternalServerError));
            Assert.Contains($"'{path}'", error, StringComparison.Ordinal);
            Assert.Contains(expected, error, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        AssertOneWarningWithoutStack(server, path);
    }

    [Fact]
    public async Task ExportsReplacedByAFileIsA500ForAParquetAnswerNamingIt()
    {
        await using var server = await ServedCopy.Start(models);
        var exports = Path.Combine(server.Root, "exports");
        if (Directory.Exists(exports))
        {
            Directory.Delete(exports, recursive: true);
        }

        File.WriteAllText(exports, "not a folder");

        var parquet = await server.Client.GetAsync($"/v1/models/{models.Alpha}/{Grid}&format=parquet");
        var again = await server.Client.GetAsync($"/v1/models/{models.Alpha}/{Grid}&format=parquet");
        var json = await server.Client.GetAsync($"/v1/models/{models.Alpha}/{Grid}");

        foreach (var response in new[] { parquet, again })
        {
            Assert.Equal(
                [$"model '{models.Alpha}' cannot write its grid answer: '{exports}' is a file, not a folder"],
                await Errors(response, HttpStatusCode.InternalServerError));
        }

        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        AssertOneWarningWithoutStack(server, exports);
    }

    [Fact]
    public async Task AnEmbeddingCacheThatIsAFileIsToldByNameWhileTheModelsAreStillListed()
    {
        var embeddings = "";
        await using var server = await ServedCopy.Start(models, root =>
        {
            embeddings = Path.Combine(root, "embeddings");
            Directory.Delete(embeddings, recursive: true);
            File.WriteAllText(embeddings, "not a folder");
        });

        var list = await server.Client.GetFromJsonAsync<JsonElement>("/v1/models");
        var one = await server.Client.GetAsync($"/v1/models/{models.Alpha}");
        var point = await server.Client.GetAsync($"/v1/models/{models.Alpha}/{Point}");

        Assert.Equal(2, list.GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        var error = Assert.Single(await Errors(point, HttpStatusCode.InternalServerError));
        Assert.Contains($"the embedding cache '{embeddings}' is a file, not a folder", error,
            StringComparison.Ordinal);
        AssertOneWarningWithoutStack(server, embeddings);
    }

    private static void DamageDescriptor(string path, string damage)
    {
        var text = File.ReadAllText(path);
        switch (damage)
        {
            case "truncated":
                File.WriteAllText(path, text[..(text.Length / 2)]);
                break;
            case "empty":
                File.WriteAllText(path, "");
                break;
            case "{}" or "null":
                File.WriteAllText(path, damage);
                break;
            case "modelId 7":
                var node = JsonNode.Parse(text)!;
                node["modelId"] = 7;
                File.WriteAllText(path, node.ToJsonString());
                break;
            case "a folder":
                File.Delete(path);
                Directory.CreateDirectory(path);
                break;
            default:
                throw new ArgumentException($"unknown damage '{damage}'", nameof(damage));
        }
    }

    private static void DamageFile(string path, string damage)
    {
        var bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "truncated":
                File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
                break;
            case "zeroed":
                File.WriteAllBytes(path, new byte[bytes.Length]);
                break;
            case "missing":
                File.Delete(path);
                break;
            case "a folder":
                File.Delete(path);
                Directory.CreateDirectory(path);
                break;
            default:
                throw new ArgumentException($"unknown damage '{damage}'", nameof(damage));
        }
    }

    /// <summary>
    /// One warning names the file, however many requests met it, and nothing was logged with a stack (the
    /// server's "unhandled exception" with some 3,000 characters of it, before).
    /// </summary>
    private static void AssertOneWarningWithoutStack(ServedCopy server, string path)
    {
        var entries = server.Log.Entries;
        Assert.Empty(entries.Where(e => e.Exception is not null).Select(e => $"{e.Category}: {e.Message}"));
        var warning = Assert.Single(entries, e => e.Message.Contains($"'{path}'", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
    }
}
