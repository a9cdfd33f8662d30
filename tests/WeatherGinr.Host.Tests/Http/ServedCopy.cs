using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WeatherGinr.Host.Tests.Http;

/// <summary>A server on a free loopback port over a copy of the trained models, its log recorded.</summary>
internal sealed class ServedCopy : IAsyncDisposable
{
    private readonly WebApplication app;

    private ServedCopy(string root, WebApplication app, RecordingLoggerProvider log)
    {
        Root = root;
        this.app = app;
        Log = log;
        Client = new HttpClient { BaseAddress = WeatherGinrHost.ListeningAddress(app) };
    }

    public string Root { get; }

    public HttpClient Client { get; }

    public RecordingLoggerProvider Log { get; }

    /// <summary>Copies the models, lets <paramref name="beforeStart"/> change the copy, then serves it.</summary>
    public static async Task<ServedCopy> Start(TrainedModels models, Action<string>? beforeStart = null,
        LogLevel logLevel = LogLevel.Warning, bool rewritePaths = true)
    {
        var root = Directory.CreateTempSubdirectory("wginr-served-").FullName;
        models.CopyTo(root, rewritePaths);
        beforeStart?.Invoke(root);
        var app = WeatherGinrHost.Build(new WeatherGinrHostOptions
        {
            DataRoot = root, HttpUrl = "http://127.0.0.1:0", ConsoleLogLevel = logLevel,
        });
        var log = new RecordingLoggerProvider();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        await app.StartAsync();
        return new ServedCopy(root, app, log);
    }

    public string Descriptor(string modelId) => Path.Combine(Root, "models", modelId + ".json");

    /// <summary>A path the model's descriptor holds ("checkpointPath", "coveragePath").</summary>
    public string PathIn(string modelId, string property)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Descriptor(modelId)));
        return document.RootElement.GetProperty(property).GetString()!;
    }

    /// <summary>A coarse global JSON grid's values of the model's first variable (null where not covered).</summary>
    public async Task<double?[]> GridValues(string modelId)
    {
        var response = await Client.GetAsync($"/v1/models/{modelId}/grid?time=2000-01-16&resolution=30");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("variables")[0].GetProperty("values").EnumerateArray()
            .Select(v => v.ValueKind == JsonValueKind.Null ? (double?)null : v.GetDouble()).ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }

    /// <summary>An error answer's <c>errors</c>, after checking its status and that <c>error</c> joins them.</summary>
    public static async Task<string[]> Errors(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = body.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(string.Join("; ", errors), body.GetProperty("error").GetString());
        return errors;
    }
}
