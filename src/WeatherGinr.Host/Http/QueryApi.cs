using System.Diagnostics;
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
            var problems = new QueryProblems();
            var point = ParsePoint(problems, () => Number("lat", lat), () => Number("lon", lon), time);
            problems.ThrowIfAny();
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

            var problems = new QueryProblems();
            var points = new PointQuery[requested.Count];
            for (var i = 0; i < requested.Count; i++)
            {
                var prefix = $"points[{i}].";
                if (requested[i] is not { } p)
                {
                    problems.Add($"points[{i}] is null");
                    continue;
                }

                points[i] = ParsePoint(problems, () => p.Lat ?? throw Missing(prefix + "lat"),
                    () => p.Lon ?? throw Missing(prefix + "lon"), p.Time, prefix);
            }

            problems.ThrowIfAny();
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
            var problems = new QueryProblems();
            var at = problems.Check(() => ParseTime(time ?? throw Missing("time")), default);
            var southDegrees = problems.Check(() => Number("south", south, -90), 0);
            var northDegrees = problems.Check(() => Number("north", north, 90), 0);
            var westDegrees = problems.Check(() => Number("west", west, -180), 0);
            var eastDegrees = problems.Check(() => Number("east", east, 180), 0);
            var resolutionDegrees = problems.Check(() => Number("resolution", resolution, 1.0), 0);
            var request = new GridExportRequest(southDegrees, northDegrees, westDegrees, eastDegrees,
                resolutionDegrees, [at], Path.Combine(options.DataRoot, "exports", "http", $"{Guid.NewGuid():N}.parquet"));
            if (format is not (null or "json" or "parquet"))
            {
                problems.Add($"format '{format}' is not one of 'json', 'parquet'");
            }

            problems.ThrowIfAny();

            // The window is checked as a whole (south below north, a resolution that fits) once each bound parses.
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
                    throw new UnreachableException($"format '{format}' passed the parameter check");
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

    /// <summary>
    /// One point; each of lat, lon and time that is missing or bad is recorded in <paramref name="problems"/>
    /// (the point returned is then a stand-in, and the caller throws before using it).
    /// </summary>
    private static PointQuery ParsePoint(QueryProblems problems, Func<double> lat, Func<double> lon, string? time,
        string prefix = "")
    {
        var latitude = problems.Check(() => InRange(prefix + "lat", lat(), -90, 90), 0);
        var longitude = problems.Check(() => InRange(prefix + "lon", lon(), -360, 720), 0);
        var at = problems.Check(() => ParseTime(time ?? throw Missing(prefix + "time"), prefix), default);
        return new PointQuery(latitude, longitude, at);
    }

    /// <summary>The value when it lies in min..max degrees; NaN never does.</summary>
    private static double InRange(string name, double degrees, double min, double max) =>
        degrees >= min && degrees <= max
            ? degrees
            : throw new ArgumentException($"{name} {degrees} is outside {min}..{max} degrees");

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
    /// Every error body is <c>{"error": "...", "errors": ["...", ...]}</c>: every problem found, one per
    /// entry, and the same joined with "; " in <c>error</c> (the shape clients had before the list).
    /// </summary>
    private static async Task<IResult> Guarded(Func<Task<IResult>> handler)
    {
        try
        {
            return await handler();
        }
        catch (BadQueryException e)
        {
            return Results.BadRequest(ErrorBody(e.Problems));
        }
        catch (ArgumentException e)
        {
            return Results.BadRequest(ErrorBody([e.Message]));
        }
        catch (KeyNotFoundException e)
        {
            return Results.NotFound(ErrorBody([e.Message]));
        }
        catch (BadHttpRequestException e)
        {
            return Results.Json(ErrorBody([e.Message]), statusCode: e.StatusCode);
        }
    }

    private static object ErrorBody(IReadOnlyList<string> problems) =>
        new { error = string.Join("; ", problems), errors = problems };
}
