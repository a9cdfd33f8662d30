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

    [Fact]
    public async Task ABodyOverTheServersLimitIsA413ThatSaysSo()
    {
        // Kestrel's default limit is 30,000,000 bytes; a JSON body a little over it.
        var body = new StringContent("{\"points\":[" + new string(' ', 30_000_100) + "]}",
            System.Text.Encoding.UTF8, "application/json");

        // Expect: 100-continue, so the client waits for the server's verdict instead of writing into a closed
        // connection (the server answers as soon as the declared length exceeds its limit).
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/models/any/points") { Content = body };
        request.Headers.ExpectContinue = true;

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString();
        Assert.Contains("too large", error, StringComparison.OrdinalIgnoreCase);
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
