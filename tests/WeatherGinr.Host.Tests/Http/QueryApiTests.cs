using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;

namespace WeatherGinr.Host.Tests.Http;

/// <summary>The real HTTP server and embedded silo, on a free loopback port, over an empty data folder.</summary>
public sealed class QueryApiTests : IAsyncLifetime, IDisposable
{
    private readonly string dataRoot = Directory.CreateTempSubdirectory("wginr-host-").FullName;
    private WebApplication? app;
    private HttpClient client = new();

    public async Task InitializeAsync()
    {
        app = WeatherGinrHost.Build(new WeatherGinrHostOptions { DataRoot = dataRoot, HttpUrl = "http://127.0.0.1:0" });
        await app.StartAsync();
        client = new HttpClient { BaseAddress = WeatherGinrHost.ListeningAddress(app) };
    }

    [Fact]
    public async Task HealthEndpointsAnswer()
    {
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task AnEmptyClusterListsNoModels()
    {
        var models = await client.GetFromJsonAsync<JsonElement>("/v1/models");

        Assert.Equal(JsonValueKind.Array, models.ValueKind);
        Assert.Equal(0, models.GetArrayLength());
    }

    [Fact]
    public async Task AnUnknownModelIsNotFoundAndNamed()
    {
        var response = await client.GetAsync("/v1/models/nope/point?lat=1&lon=2&time=2005-01-01T00:00:00Z");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("'nope'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lat=91&lon=0&time=2005-01-01T00:00:00Z", "lat 91")]
    [InlineData("lon=0&time=2005-01-01T00:00:00Z", "'lat'")]
    [InlineData("lat=0&lon=0&time=yesterday", "time 'yesterday'")]
    public async Task BadQueriesAreRefusedWithAReason(string query, string expectedInMessage)
    {
        var response = await client.GetAsync($"/v1/models/any/point?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expectedInMessage, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public void Dispose() => client.Dispose();

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        Directory.Delete(dataRoot, recursive: true);
    }
}
