using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace WeatherGinr.Host.Tests.Http;

/// <summary>
/// A model retrained while a server runs (by another process over the same data folder, which tells this server
/// nothing) is served as retrained: the network follows its descriptor and the checkpoint it names, not the one
/// loaded first.
/// </summary>
[Collection(TrainedModelsCollection.Name)]
public sealed class ModelReloadTests(TrainedModels models)
{
    [Fact]
    public async Task ADescriptorRewrittenToNameAnotherCheckpointIsServedFromIt()
    {
        await using var server = await ServedCopy.Start(models);
        var before = await server.GridValues(models.Alpha); // loads alpha's network
        var beta = await server.GridValues(models.Beta);
        Assert.NotEqual(before, beta);
        Assert.Contains(before, v => v is not null);

        // As a retraining registers its model: a new descriptor renamed into place, naming the new files.
        var descriptor = JsonNode.Parse(File.ReadAllText(server.Descriptor(models.Alpha)))!;
        descriptor["checkpointPath"] = server.PathIn(models.Beta, "checkpointPath");
        descriptor["coveragePath"] = server.PathIn(models.Beta, "coveragePath");
        Replace(server.Descriptor(models.Alpha), System.Text.Encoding.UTF8.GetBytes(descriptor.ToJsonString()));

        Assert.Equal(beta, await server.GridValues(models.Alpha));
        var described = await server.Client.GetStringAsync($"/v1/models/{models.Alpha}");
        Assert.Contains(models.Alpha, described, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACopiedDataFolderIsServedFromItsOwnFilesNotTheOriginals()
    {
        // A plain copy: its descriptors still name the original's files, which are intact. The copy's checkpoint
        // is cut short, so an answer from the copy's own files is a refusal naming it; the original's gave 200.
        await using var server = await ServedCopy.Start(models, root =>
        {
            var checkpoint = Directory.EnumerateFiles(root, "model.ginr", SearchOption.AllDirectories)
                .Single(path => path.Contains($"{Path.DirectorySeparatorChar}alpha", StringComparison.Ordinal));
            File.WriteAllBytes(checkpoint, File.ReadAllBytes(checkpoint)[..100]);
        }, rewritePaths: false);
        Assert.DoesNotContain(server.Root, server.PathIn(models.Alpha, "checkpointPath"), StringComparison.Ordinal);

        var response = await server.Client.GetAsync($"/v1/models/{models.Alpha}/grid?time=2000-01-16&resolution=30");

        var error = Assert.Single(await ServedCopy.Errors(response, System.Net.HttpStatusCode.InternalServerError));
        Assert.Contains(server.Root, error, StringComparison.Ordinal);
        Assert.Contains(await server.GridValues(models.Beta), v => v is not null); // the other model's copy is whole
    }

    [Fact]
    public async Task ADescriptorWhoseVariablesAreNotTheCheckpointsIsRefusedNamingBoth()
    {
        // As when a descriptor is pointed at another model's checkpoint with as many variables: its values were
        // answered under the descriptor's names and units.
        await using var server = await ServedCopy.Start(models, root =>
        {
            var path = Path.Combine(root, "models", models.Alpha + ".json");
            var descriptor = JsonNode.Parse(File.ReadAllText(path))!;
            descriptor["variables"]![0]!["name"] = "uas";
            File.WriteAllText(path, descriptor.ToJsonString());
        });

        var response = await server.Client.GetAsync($"/v1/models/{models.Alpha}/grid?time=2000-01-16&resolution=30");

        var error = Assert.Single(await ServedCopy.Errors(response, System.Net.HttpStatusCode.InternalServerError));
        Assert.Equal($"model '{models.Alpha}' cannot be served: its checkpoint " +
            $"'{server.PathIn(models.Alpha, "checkpointPath")}' was trained for tas; its descriptor names uas; " +
            "train the model again", error);
    }

    [Fact]
    public async Task ACheckpointReplacedUnderTheSameNameIsServedAfresh()
    {
        await using var server = await ServedCopy.Start(models);
        var before = await server.GridValues(models.Alpha);
        var beta = await server.GridValues(models.Beta);
        Assert.NotEqual(before, beta);

        // A retraining of the same run and job writes its checkpoint at the same path.
        Replace(server.PathIn(models.Alpha, "checkpointPath"),
            File.ReadAllBytes(server.PathIn(models.Beta, "checkpointPath")));

        Assert.Equal(beta, await server.GridValues(models.Alpha));
    }

    [Fact]
    public async Task AnUnchangedModelIsLoadedOnceNotOnEveryRequest()
    {
        await using var server = await ServedCopy.Start(models, logLevel: LogLevel.Information);

        await server.GridValues(models.Alpha);
        await server.GridValues(models.Alpha);
        await server.GridValues(models.Alpha);

        Assert.Single(server.Log.Entries,
            e => e.Message.StartsWith($"Model {models.Alpha} loaded from", StringComparison.Ordinal));
    }

    /// <summary>Written beside the target and renamed over it, as the product writes every file.</summary>
    private static void Replace(string path, byte[] content)
    {
        var temporary = path + ".new";
        File.WriteAllBytes(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
