using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WeatherGinr.Grains.Abstractions;

namespace WeatherGinr.Host.Http;

/// <summary>A point to query: latitude and longitude in degrees, time in ISO 8601 (UTC if no offset).</summary>
public sealed record PointRequest(double? Lat, double? Lon, string? Time);

public sealed record PointsRequest(IReadOnlyList<PointRequest> Points);

/// <summary>
/// The query API. Queries are read-only and open; every response names the model, the units of each
/// variable, and echoes the coordinates it answered for.
/// </summary>
/// <remarks>
/// <code>
/// GET  /health/live, /health/ready
/// GET  /v1/models                                     ids, variables, metrics
/// GET  /v1/models/{id}                                one model's descriptor
/// GET  /v1/models/{id}/point?lat=&amp;lon=&amp;time=          values at one point
/// POST /v1/models/{id}/points  {"points":[{lat,lon,time}]}  values at many points (at most 100,000)
/// GET  /v1/models/{id}/grid?time=&amp;south=&amp;north=&amp;west=&amp;east=&amp;resolution=&amp;format=json|parquet
/// </code>
/// </remarks>
public static class QueryApi
{
    public const int MaxBatchPoints = 100_000;
    public const long MaxJsonGridPoints = 1_000_000;

    /// <summary>
    /// Largest grid one HTTP request may ask for as Parquet (a global 0.1 degree grid is 6.5 million):
    /// bigger fields are an export job, not a query that holds the model for minutes.
    /// </summary>
    public const long MaxParquetGridPoints = 4_000_000;

    public static void MapWeatherGinrApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" }));
        app.MapGet("/health/ready", async (IGrainFactory grains) =>
        {
            await grains.GetGrain<IModelCatalogGrain>(0).List();
            return Results.Ok(new { status = "ready" });
        });

        var models = app.MapGroup("/v1/models");
        models.MapGet("/", async (IGrainFactory grains) => await Guarded(async () =>
        {
            var ids = await grains.GetGrain<IModelCatalogGrain>(0).List();
            var described = await Task.WhenAll(ids.Select(id => grains.GetGrain<IModelGrain>(id).Describe()));
            return Results.Ok(described.Select(ModelSummary));
        }));
        models.MapGet("/{id}", async (string id, IGrainFactory grains) => await Guarded(async () =>
            Results.Ok(ModelSummary(await grains.GetGrain<IModelGrain>(id).Describe()))));
        models.MapGet("/{id}/point", PointAsync);
        models.MapPost("/{id}/points", PointsAsync);
        models.MapGet("/{id}/grid", GridAsync);
    }

    private static Task<IResult> PointAsync(string id, string? lat, string? lon, string? time, IGrainFactory grains) =>
        Guarded(async () =>
        {
            var point = ParsePoint(Number("lat", lat), Number("lon", lon), time ?? throw Missing("time"));
            var model = grains.GetGrain<IModelGrain>(id);
            var descriptor = await model.Describe();
            var values = await model.Query([point]);
            return Results.Ok(PointAnswer(descriptor, values[0]));
        });

    private static Task<IResult> PointsAsync(string id, HttpRequest http, IGrainFactory grains) =>
        Guarded(async () =>
        {
            PointsRequest? body;
            try
            {
                body = await http.ReadFromJsonAsync<PointsRequest>();
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
            {
                throw new ArgumentException(
                    "the body must be JSON of the form " +
                    $"{{\"points\":[{{\"lat\":..,\"lon\":..,\"time\":\"..\"}}]}}: {e.Message}");
            }

            if (body?.Points is not { Count: > 0 } requested)
            {
                throw new ArgumentException("the body must hold a non-empty 'points' array");
            }

            if (requested.Count > MaxBatchPoints)
            {
                throw new ArgumentException(
                    $"{requested.Count} points requested; one call answers at most {MaxBatchPoints}");
            }

            var points = requested.Select((p, i) => p is null
                ? throw new ArgumentException($"points[{i}] is null")
                : ParsePoint(p.Lat ?? throw Missing($"points[{i}].lat"), p.Lon ?? throw Missing($"points[{i}].lon"),
                    p.Time ?? throw Missing($"points[{i}].time"), $"points[{i}]."))
                .ToArray();
            var model = grains.GetGrain<IModelGrain>(id);
            var descriptor = await model.Describe();
            var values = await model.Query(points);
            return Results.Ok(new
            {
                model = id, units = Units(descriptor), values = values.Select(v => PointAnswer(descriptor, v)),
            });
        });

    private static Task<IResult> GridAsync(string id, string? time, string? south, string? north, string? west,
        string? east, string? resolution, string? format, IGrainFactory grains, WeatherGinrHostOptions options) =>
        Guarded(async () =>
        {
            var at = ParseTime(time ?? throw Missing("time"));
            var request = new GridExportRequest(Number("south", south, -90), Number("north", north, 90),
                Number("west", west, -180), Number("east", east, 180), Number("resolution", resolution, 1.0),
                [at], Path.Combine(options.DataRoot, "exports", "http", $"{Guid.NewGuid():N}.parquet"));
            var grid = new Grains.Serving.RegularGrid(request.SouthDegrees, request.NorthDegrees, request.WestDegrees,
                request.EastDegrees, request.ResolutionDegrees);
            var model = grains.GetGrain<IModelGrain>(id);
            var descriptor = await model.Describe();

            switch (format ?? "json")
            {
                case "parquet":
                {
                    if (grid.PointCount > MaxParquetGridPoints)
                    {
                        throw new ArgumentException(
                            $"{grid.PointCount} grid points exceed the {MaxParquetGridPoints} " +
                            "one request may ask for; use a coarser resolution or a smaller window");
                    }

                    var result = await model.ExportGrid(request);
                    var bytes = await File.ReadAllBytesAsync(result.ParquetPath);
                    File.Delete(result.ParquetPath);
                    return Results.File(bytes, "application/vnd.apache.parquet", $"{id}.parquet");
                }

                case "json":
                {
                    if (grid.PointCount > MaxJsonGridPoints)
                    {
                        throw new ArgumentException(
                            $"{grid.PointCount} grid points exceed the {MaxJsonGridPoints} a JSON answer holds; " +
                            "use format=parquet or a coarser resolution");
                    }

                    var (lats, lons) = grid.Points();
                    var values = await model.Query(lats.Select((lat, i) => new PointQuery(lat, lons[i], at)).ToArray());
                    var variables = descriptor.Variables.Select((v, k) => new
                    {
                        name = v.Name,
                        units = v.Units,
                        values = values.Select(p => Finite(p.Values[k])).ToArray(),
                    });
                    return Results.Ok(new
                    {
                        model = id, time = at,
                        extrapolated = at < descriptor.FirstTimeUtc || at > descriptor.LastTimeUtc,
                        latitudes = grid.Latitudes, longitudes = grid.Longitudes,
                        layout = "values[i * longitudes.length + j] is at (latitudes[i], longitudes[j])", variables,
                    });
                }

                default:
                    throw new ArgumentException($"format '{format}' is not one of 'json', 'parquet'");
            }
        });

    private static object ModelSummary(ModelDescriptor d) => new
    {
        id = d.ModelId,
        variables = d.Variables.Select(v => new { name = v.Name, quantity = v.Quantity, units = v.Units }),
        firstTime = d.FirstTimeUtc,
        lastTime = d.LastTimeUtc,
        embedding = d.Embedding.Id,
        parameters = d.ParameterCount,
        metrics = d.Metrics,
    };

    private static Dictionary<string, string> Units(ModelDescriptor d) =>
        d.Variables.ToDictionary(v => v.Name, v => v.Units);

    private static object PointAnswer(ModelDescriptor d, PointValues v) => new
    {
        lat = v.Point.LatitudeDegrees,
        lon = v.Point.LongitudeDegrees,
        time = v.Point.TimeUtc,
        values = d.Variables.Select((variable, k) => (variable.Name, Value: Finite(v.Values[k])))
            .ToDictionary(x => x.Name, x => x.Value),
        units = Units(d),
        extrapolated = v.Point.TimeUtc < d.FirstTimeUtc || v.Point.TimeUtc > d.LastTimeUtc,
    };

    /// <summary>null where the model has no answer (outside its training data's coverage).</summary>
    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static PointQuery ParsePoint(double lat, double lon, string time, string prefix = "")
    {
        if (!(lat >= -90 && lat <= 90))
        {
            throw new ArgumentException($"{prefix}lat {lat} is outside -90..90 degrees");
        }

        if (!(lon >= -360 && lon <= 720))
        {
            throw new ArgumentException($"{prefix}lon {lon} is outside -360..720 degrees");
        }

        return new PointQuery(lat, lon, ParseTime(time, prefix));
    }

    /// <summary>
    /// A decimal number in invariant notation (<c>51.5</c>, <c>-0.13</c>, <c>1e-3</c>); no thousands
    /// separators, so <c>1,5</c> is an error rather than fifteen, and a repeated parameter is an error.
    /// </summary>
    private static double Number(string name, string? text, double? fallback = null)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback ?? throw Missing(name);
        }

        if (text.Contains(',', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{name} '{text}' is not one number (no commas; give the parameter once)");
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value)
            ? value
            : throw new ArgumentException($"{name} '{text}' is not a finite decimal number");
    }

    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd",
    ];

    private static DateTimeOffset ParseTime(string time, string prefix = "") =>
        DateTimeOffset.TryParseExact(time, IsoFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : throw new ArgumentException(
                $"{prefix}time '{time}' is not an ISO 8601 date-time such as 2005-07-16T12:00:00Z " +
                "(in a URL, write a '+' offset as %2B)");

    private static ArgumentException Missing(string parameter) =>
        new($"'{parameter}' is required");

    /// <summary>
    /// Bad input is a 400 that says what was wrong; an unknown model is a 404; a request the server refuses
    /// to read (a body over Kestrel's limit) keeps the server's status (413) with the reason as its body.
    /// </summary>
    private static async Task<IResult> Guarded(Func<Task<IResult>> handler)
    {
        try
        {
            return await handler();
        }
        catch (ArgumentException e)
        {
            return Results.BadRequest(new { error = e.Message });
        }
        catch (KeyNotFoundException e)
        {
            return Results.NotFound(new { error = e.Message });
        }
        catch (BadHttpRequestException e)
        {
            return Results.Json(new { error = e.Message }, statusCode: e.StatusCode);
        }
    }
}
