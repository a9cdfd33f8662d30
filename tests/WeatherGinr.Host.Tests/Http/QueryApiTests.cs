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

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task HealthEndpointsAnswerHead(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, path);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/v1/models", HttpStatusCode.OK)]
    [InlineData("/v1/models/nope", HttpStatusCode.NotFound)]
    [InlineData("/v1/models/nope/point?lat=1&lon=2&time=2005-01-01", HttpStatusCode.NotFound)]
    [InlineData("/v1/models/nope/grid?time=2005-01-01&resolution=0", HttpStatusCode.BadRequest)]
    public async Task EveryGetEndpointAnswersHeadWithTheSameStatus(string path, HttpStatusCode expected)
    {
        using var head = new HttpRequestMessage(HttpMethod.Head, path);

        var response = await client.SendAsync(head);
        var get = await client.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected, get.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AnUnknownPathIsA404InTheErrorShape()
    {
        var response = await client.GetAsync("/v2/nothing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(
            ["nothing is served at /v2/nothing; the API answers /health/live, /health/ready and /v1/models/..."],
            await Errors(response, HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task AMethodAPathDoesNotTakeIsA405ThatSaysWhichItTakes()
    {
        var response = await client.DeleteAsync("/v1/models");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow.Count > 0
            ? response.Content.Headers.Allow : response.Headers.GetValues("Allow"));
        Assert.Equal(["DELETE is not allowed on /v1/models; it takes GET, HEAD"],
            await Errors(response, HttpStatusCode.MethodNotAllowed));
    }

    [Fact]
    public async Task AJsonValueOfTheWrongTypeIsNamedByItsPathWithNoDotNetTypeNames()
    {
        var response = await client.PostAsync("/v1/models/any/points", new StringContent(
            """{"points":[{"lat":"a","lon":1,"time":"2005-01-01"},{"lat":1,"lon":2,"time":5},[]]}""",
            System.Text.Encoding.UTF8, "application/json"));
        var notAnArray = await client.PostAsync("/v1/models/any/points",
            new StringContent("""{"points":{"lat":1}}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(
            [
                "points[0].lat is a string (\"a\"); expected a number",
                "points[1].time is a number (5); expected an ISO 8601 string such as \"2005-07-16T12:00:00Z\"",
                "points[2] is an array; expected an object {\"lat\":..,\"lon\":..,\"time\":\"..\"}",
            ],
            await Errors(response));
        Assert.Equal(["points is an object; expected an array of points " +
            "{\"points\":[{\"lat\":..,\"lon\":..,\"time\":\"..\"}]}"], await Errors(notAnArray));
    }

    [Fact]
    public async Task BrokenJsonIsToldByLineAndByteInWords()
    {
        var response = await client.PostAsync("/v1/models/any/points",
            new StringContent("{\"points\":[{\"lat\":a}]}", System.Text.Encoding.UTF8, "application/json"));

        var error = Assert.Single(await Errors(response));
        Assert.Equal("the body is not valid JSON at line 1, byte 19: 'a' is an invalid start of a value; " +
            "expected {\"points\":[{\"lat\":..,\"lon\":..,\"time\":\"..\"}]}", error);
    }

    [Fact]
    public async Task ABadModelIdIsToldWithoutTheParameterSuffix()
    {
        var response = await client.GetAsync("/v1/models/a%20b/point?lat=1&lon=2&time=2005-01-01");

        Assert.Equal(["modelId 'a b' may hold only ASCII letters, digits, '-', '_' and '.'"], await Errors(response));
    }

    [Theory]
    [InlineData("resolution=0.1&format=parquet",
        "a 1800 x 3600 grid (6480000 points) exceeds the 4000000 points a Parquet answer holds; " +
        "use a coarser resolution or a smaller window (bigger fields are an export, not a query)")]
    [InlineData("resolution=0.01&format=parquet",
        "a 18000 x 36000 grid (648000000 points) exceeds the 4000000 points a Parquet answer holds; " +
        "use a coarser resolution or a smaller window (bigger fields are an export, not a query)")]
    [InlineData("resolution=0.1",
        "a 1800 x 3600 grid (6480000 points) exceeds the 1000000 points a JSON answer holds; " +
        "use format=parquet (up to 4000000 points), a coarser resolution or a smaller window")]
    public async Task AGridTooLargeForItsFormatIsToldOneWayWithThatFormatsLimit(string query, string expected)
    {
        var response = await client.GetAsync($"/v1/models/any/grid?time=2005-01-01&{query}");

        Assert.Equal([expected], await Errors(response));
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
    public async Task EveryBadParameterOfAPointQueryIsReportedInOneAnswer()
    {
        var response = await client.GetAsync("/v1/models/any/point?lat=91&lon=abc");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        string[] expected =
        [
            "lat 91 is outside -90..90 degrees", "lon 'abc' is not a finite decimal number", "'time' is required",
        ];
        Assert.Equal(expected, body.GetProperty("errors").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(string.Join("; ", expected), body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task EveryBadPointAndGridParameterIsReportedAndALongListIsCut()
    {
        var points = await client.PostAsJsonAsync("/v1/models/any/points", new
        {
            points = new object?[]
            {
                new { lat = 0, lon = 0, time = "2005-01-01" }, new { lat = -95, lon = 800, time = "2005-01-01" },
                null, new { lon = 0, time = "soon" },
            },
        });
        var grid = await client.GetAsync("/v1/models/any/grid?time=noon&south=x&resolution=0,5&format=csv");
        var many = await client.PostAsJsonAsync("/v1/models/any/points",
            new { points = Enumerable.Range(0, 30).Select(_ => new { lat = 100, lon = 0, time = "2005-01-01" }) });

        Assert.Equal(
            [
                "points[1].lat -95 is outside -90..90 degrees", "points[1].lon 800 is outside -360..720 degrees",
                "points[2] is null", "'points[3].lat' is required",
                "points[3].time 'soon' is not an ISO 8601 date-time such as 2005-07-16T12:00:00Z " +
                "(in a URL, write a '+' offset as %2B)",
            ],
            await Errors(points));
        var gridErrors = await Errors(grid);
        Assert.Equal(4, gridErrors.Length);
        Assert.StartsWith("time 'noon' is not an ISO 8601 date-time", gridErrors[0], StringComparison.Ordinal);
        Assert.Equal(
            ["south 'x' is not a finite decimal number",
                "resolution '0,5' is not one number (no commas; give the parameter once)",
                "format 'csv' is not one of 'json', 'parquet'"],
            gridErrors[1..]);
        var manyErrors = await Errors(many);
        Assert.Equal(21, manyErrors.Length);
        Assert.Equal("points[19].lat 100 is outside -90..90 degrees", manyErrors[19]);
        Assert.Equal("and 10 more problems", manyErrors[20]);
    }

    [Fact]
    public async Task EveryProblemOfAGridWindowIsReportedWithTheOthers()
    {
        var response = await client.GetAsync(
            "/v1/models/any/grid?time=2005-01-01&south=-95&east=400&resolution=1&format=xml");

        Assert.Equal(
            [
                "latitude window [-95, 90] must satisfy -90 <= south < north <= 90",
                "longitude window [-180, 400] must have both bounds within -360..360 and span more than 0 and at " +
                "most 360 degrees going east from west (an east below west crosses the antimeridian: west=170, " +
                "east=-170 is 20 degrees)",
                "format 'xml' is not one of 'json', 'parquet'",
            ],
            await Errors(response));
    }

    [Theory]
    [InlineData("/v1/models/any/grid?time=2005-01-01&reslution=0.1",
        "unknown parameter 'reslution': a grid query takes time, south, north, west, east, resolution, format")]
    [InlineData("/v1/models/any/point?lat=1&lon=2&time=2005-01-01&Variable=tas",
        "unknown parameter 'Variable': a point query takes lat, lon, time")]
    public async Task AParameterTheEndpointDoesNotTakeIsRefusedNotIgnored(string path, string expected) =>
        Assert.Equal([expected], await Errors(await client.GetAsync(path)));

    [Theory]
    [InlineData("/v1/models?limit=5", "unknown parameter 'limit': the model list takes no query parameters")]
    [InlineData("/v1/models/any?verbose=1",
        "unknown parameter 'verbose': a model's description takes no query parameters")]
    [InlineData("/v1/models/any/points?lat=1",
        "unknown parameter 'lat': a points request (its points go in the body) takes no query parameters")]
    public async Task EndpointsWithoutParametersRefuseAnyRatherThanIgnoreThem(string path, string expected)
    {
        var response = path.EndsWith("points?lat=1", StringComparison.Ordinal)
            ? await client.PostAsJsonAsync(path,
                new { points = new[] { new { lat = 1, lon = 2, time = "2005-01-01" } } })
            : await client.GetAsync(path);

        Assert.Equal([expected], await Errors(response));
    }

    [Fact]
    public async Task AnUnknownKeyInAPointOrInTheBodyIsRefusedNotIgnored()
    {
        var misspelt = await client.PostAsync("/v1/models/any/points", new StringContent(
            """{"points":[{"lat":1,"lon":2,"time":"2005-01-01"},{"lat":1,"lon":2,"tiem":"2005-01-01","alt":3}]}""",
            System.Text.Encoding.UTF8, "application/json"));
        var stray = await client.PostAsync("/v1/models/any/points", new StringContent(
            """{"points":[{"lat":1,"lon":2,"time":"2005-01-01"}],"variables":["tas"]}""",
            System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(
            [
                "points[1] has an unknown key 'tiem': a point takes lat, lon, time",
                "points[1] has an unknown key 'alt': a point takes lat, lon, time",
                "'points[1].time' is required",
            ],
            await Errors(misspelt));
        Assert.Equal(
            ["the body has an unknown key 'variables'; it holds only 'points': " +
                "{\"points\":[{\"lat\":..,\"lon\":..,\"time\":\"..\"}]}"],
            await Errors(stray));
    }

    [Fact]
    public async Task ABoundThatDoesNotParseLeavesTheOtherWindowChecksStanding()
    {
        var response = await client.GetAsync(
            "/v1/models/any/grid?time=2005-01-01&south=x&west=10&east=10&resolution=-1");

        Assert.Equal(
            [
                "south 'x' is not a finite decimal number",
                "longitude window [10, 10] must have both bounds within -360..360 and span more than 0 and at most " +
                "360 degrees going east from west (an east below west crosses the antimeridian: west=170, " +
                "east=-170 is 20 degrees)",
                "resolution -1 degrees must be in (0, 90]",
            ],
            await Errors(response));
    }

    [Fact]
    public async Task ARepeatedFormatIsToldToBeGivenOnce() =>
        Assert.Equal(["format 'json,parquet' is not one of 'json', 'parquet' (give the parameter once)"],
            await Errors(await client.GetAsync("/v1/models/any/grid?time=2005-01-01&format=json&format=parquet")));

    [Theory]
    [InlineData("format=")]
    [InlineData("format=PARQUET")]
    [InlineData("format=Json&south=&resolution=")]
    public async Task AnEmptyFormatIsTheDefaultAsAnEmptyBoundIsAndFormatsMatchInAnyCase(string query)
    {
        var response = await client.GetAsync($"/v1/models/nope/grid?time=2005-01-01&{query}");

        // Past every parameter check, to the model (which does not exist).
        Assert.Contains("'nope'", Assert.Single(await Errors(response, HttpStatusCode.NotFound)),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParameterNamesMatchInAnyCaseAsBindingDoes()
    {
        var response = await client.GetAsync("/v1/models/nope/point?LAT=1&Lon=2&TIME=2005-01-01");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode); // past the parameter checks, to the model
    }

    [Fact]
    public async Task AnEmptyTimeIsMissingLikeAnAbsentOne() =>
        Assert.Equal(["'time' is required"],
            await Errors(await client.GetAsync("/v1/models/any/point?lat=1&lon=2&time=")));

    [Fact]
    public async Task AnEmptyTimeInABodyIsMissingAndARepeatedTimeParameterIsToldSo()
    {
        var body = await client.PostAsync("/v1/models/any/points", new StringContent(
            """{"points":[{"lat":1,"lon":2,"time":""}]}""", System.Text.Encoding.UTF8, "application/json"));
        var repeated = await client.GetAsync("/v1/models/any/point?lat=1&lon=2&time=2005-01-01&time=2005-01-01");

        Assert.Equal(["'points[0].time' is required"], await Errors(body));
        Assert.Equal(["time '2005-01-01,2005-01-01' is not an ISO 8601 date-time such as 2005-07-16T12:00:00Z " +
            "(give the parameter once)"], await Errors(repeated));
    }

    [Fact]
    public async Task AKeyGivenTwiceInAPointIsRefusedNotChosen()
    {
        var response = await client.PostAsync("/v1/models/any/points", new StringContent(
            """{"points":[{"lat":1,"lon":2,"time":"2005-01-01","LAT":5}]}""", System.Text.Encoding.UTF8,
            "application/json"));

        Assert.Equal(["points[0].lat is given 2 times; give it once"], await Errors(response));
    }

    [Fact]
    public async Task AJsonNumberTooLargeForADoubleIsNotFinite()
    {
        var response = await client.PostAsync("/v1/models/any/points", new StringContent(
            """{"points":[{"lat":1e999,"lon":2,"time":"2005-01-01"}]}""", System.Text.Encoding.UTF8,
            "application/json"));

        Assert.Equal(["points[0].lat 1e999 is not a finite number"], await Errors(response));
    }

    [Fact]
    public async Task ABodyThatIsNotJsonIsA415NamingItsContentType()
    {
        var response = await client.PostAsync("/v1/models/any/points",
            new StringContent("lat=1", System.Text.Encoding.UTF8, "text/plain"));

        Assert.Equal(
            ["the body must be JSON (Content-Type: application/json, not 'text/plain; charset=utf-8') of the form " +
                "{\"points\":[{\"lat\":..,\"lon\":..,\"time\":\"..\"}]}"],
            await Errors(response, HttpStatusCode.UnsupportedMediaType));
    }

    [Fact]
    public async Task AnAbsurdResolutionIsToldWithoutHundredsOfDigits()
    {
        var error = Assert.Single(
            await Errors(await client.GetAsync("/v1/models/any/grid?time=2005-01-01&resolution=1e-300")));

        Assert.Equal("a 1.8e+302 x 3.6e+302 grid (6.5e+604 points) exceeds the 1000000 points a JSON answer holds; " +
            "use format=parquet (up to 4000000 points), a coarser resolution or a smaller window", error);
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

    /// <summary>
    /// The <c>errors</c> of an error answer, after checking that <c>error</c> joins the same problems.
    /// </summary>
    private static async Task<string[]> Errors(HttpResponseMessage response,
        HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        Assert.Equal(status, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = body.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(string.Join("; ", errors), body.GetProperty("error").GetString());
        return errors;
    }

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
