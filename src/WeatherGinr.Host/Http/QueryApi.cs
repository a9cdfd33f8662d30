using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WeatherGinr.Grains.Abstractions;

namespace WeatherGinr.Host.Http;

/// <summary>A point to query: latitude and longitude in degrees, time in ISO 8601 (UTC if no offset).</summary>
public sealed record PointRequest(double Lat, double Lon, string Time);

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

    private static Task<IResult> PointAsync(string id, double? lat, double? lon, string? time, IGrainFactory grains) =>
        Guarded(async () =>
        {
            var point = ParsePoint(lat ?? throw Missing("lat"), lon ?? throw Missing("lon"), time ?? throw Missing("time"));
            var model = grains.GetGrain<IModelGrain>(id);
            var descriptor = await model.Describe();
            var values = await model.Query([point]);
            return Results.Ok(PointAnswer(descriptor, values[0]));
        });

    private static Task<IResult> PointsAsync(string id, PointsRequest body, IGrainFactory grains) =>
        Guarded(async () =>
        {
            if (body?.Points is not { Count: > 0 } requested)
            {
                throw new ArgumentException("the body must hold a non-empty 'points' array");
            }

            if (requested.Count > MaxBatchPoints)
            {
                throw new ArgumentException(
                    $"{requested.Count} points requested; one call answers at most {MaxBatchPoints}");
            }

            var points = requested.Select(p => ParsePoint(p.Lat, p.Lon, p.Time)).ToArray();
            var model = grains.GetGrain<IModelGrain>(id);
            var descriptor = await model.Describe();
            var values = await model.Query(points);
            return Results.Ok(new { model = id, units = Units(descriptor), values = values.Select(v => PointAnswer(descriptor, v)) });
        });

    private static Task<IResult> GridAsync(string id, string? time, double? south, double? north, double? west,
        double? east, double? resolution, string? format, IGrainFactory grains, WeatherGinrHostOptions options) =>
        Guarded(async () =>
        {
            var at = ParseTime(time ?? throw Missing("time"));
            var request = new GridExportRequest(south ?? -90, north ?? 90, west ?? -180, east ?? 180, resolution ?? 1.0,
                [at], Path.Combine(options.DataRoot, "exports", "http", $"{Guid.NewGuid():N}.parquet"));
            var grid = new Grains.Serving.RegularGrid(request.SouthDegrees, request.NorthDegrees, request.WestDegrees,
                request.EastDegrees, request.ResolutionDegrees);
            var model = grains.GetGrain<IModelGrain>(id);
            var descriptor = await model.Describe();

            switch (format ?? "json")
            {
                case "parquet":
                {
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
                        model = id, time = at, latitudes = grid.Latitudes, longitudes = grid.Longitudes,
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

    private static Dictionary<string, string> Units(ModelDescriptor d) => d.Variables.ToDictionary(v => v.Name, v => v.Units);

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

    private static PointQuery ParsePoint(double lat, double lon, string time)
    {
        if (!(lat >= -90 && lat <= 90))
        {
            throw new ArgumentException($"lat {lat} is outside -90..90 degrees");
        }

        if (!double.IsFinite(lon))
        {
            throw new ArgumentException($"lon {lon} is not a finite number of degrees");
        }

        return new PointQuery(lat, lon, ParseTime(time));
    }

    private static DateTimeOffset ParseTime(string time) =>
        DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : throw new ArgumentException($"time '{time}' is not an ISO 8601 date-time (for example 2005-07-16T12:00:00Z)");

    private static ArgumentException Missing(string parameter) =>
        new($"query parameter '{parameter}' is required");

    /// <summary>Bad input is a 400 that says what was wrong; an unknown model is a 404.</summary>
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
    }
}
