using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Serving;

namespace WeatherGinr.Host.Http;

/// <summary>
/// The query API. Queries are read-only and open; every response names the model, the units of each
/// variable, and echoes the coordinates it answered for.
/// </summary>
/// <remarks>
/// <code>
/// GET  /health/live, /health/ready                 (HEAD too)
/// GET  /v1/models                                     ids, variables, metrics
/// GET  /v1/models/{id}                                one model's descriptor
/// GET  /v1/models/{id}/point?lat=&amp;lon=&amp;time=          values at one point
/// POST /v1/models/{id}/points  {"points":[{lat,lon,time}]}  values at many points (at most 100,000)
/// GET  /v1/models/{id}/grid?time=&amp;south=&amp;north=&amp;west=&amp;east=&amp;resolution=&amp;format=json|parquet
/// </code>
/// </remarks>
public static partial class QueryApi
{
    public const int MaxBatchPoints = 100_000;

    /// <summary>On Parquet answers: "true" when the time lies outside the model's training window.</summary>
    public const string ExtrapolatedHeader = "WeatherGinr-Extrapolated";
    public const long MaxJsonGridPoints = 1_000_000;

    /// <summary>
    /// Largest grid one HTTP request may ask for as Parquet (a global 0.1 degree grid is 6.5 million):
    /// bigger fields are an export job, not a query that holds the model for minutes.
    /// </summary>
    public const long MaxParquetGridPoints = 4_000_000;

    public static void MapWeatherGinrApi(this IEndpointRouteBuilder app)
    {
        // HEAD as well as GET: load balancers and uptime checks probe with either.
        string[] getOrHead = [HttpMethods.Get, HttpMethods.Head];
        app.MapMethods("/health/live", getOrHead, () => Results.Ok(new { status = "live" }));
        app.MapMethods("/health/ready", getOrHead, async (IGrainFactory grains) =>
        {
            await grains.GetGrain<IModelCatalogGrain>(0).List();
            return Results.Ok(new { status = "ready" });
        });

        // Every GET answers HEAD too (HTTP asks it of any resource that answers GET).
        var models = app.MapGroup("/v1/models");
        models.MapMethods("/", getOrHead, async (IGrainFactory grains, HttpRequest http) => await Guarded(async () =>
        {
            NoParameters(http.Query, "the model list");
            var ids = await grains.GetGrain<IModelCatalogGrain>(0).List();
            var described = await Task.WhenAll(ids.Select(id => Listed(grains, id)));
            return Results.Ok(described.OfType<ModelDescriptor>().Select(ModelSummary));
        }));
        models.MapMethods("/{id}", getOrHead, async (string id, IGrainFactory grains, HttpRequest http) =>
            await Guarded(async () =>
            {
                NoParameters(http.Query, "a model's description");
                return Results.Ok(ModelSummary(await grains.GetGrain<IModelGrain>(id).Describe()));
            }));
        models.MapMethods("/{id}/point", getOrHead, PointAsync);
        models.MapPost("/{id}/points", PointsAsync);
        models.MapMethods("/{id}/grid", getOrHead, GridAsync);
    }

    /// <summary>
    /// A model's descriptor for the list, or null to leave it out: one damaged descriptor must not take the list of
    /// every good model down with it (its grain has logged what is wrong, and asking for the model says so), and a
    /// model removed since the catalogue was read is gone.
    /// </summary>
    private static async Task<ModelDescriptor?> Listed(IGrainFactory grains, string id)
    {
        try
        {
            return await grains.GetGrain<IModelGrain>(id).Describe();
        }
        catch (Exception e) when (e is ModelUnavailableException or KeyNotFoundException)
        {
            return null;
        }
    }

    // Every query passes the request's abort token to the model grain: a client that disconnects stops the
    // evaluation at its next chunk of points (the framework binds a CancellationToken to RequestAborted).
    private static Task<IResult> PointAsync(string id, string? lat, string? lon, string? time, IGrainFactory grains,
        HttpRequest http, CancellationToken aborted) =>
        Guarded(async () =>
        {
            var problems = new QueryProblems();
            UnknownParameters(problems, http.Query, "a point query", PointParameters);
            var point = ParsePoint(problems, () => Number("lat", lat), () => Number("lon", lon),
                () => time ?? "");
            problems.ThrowIfAny();
            var model = grains.GetGrain<IModelGrain>(id);
            var descriptor = await model.Describe();
            var values = await model.Query([point], aborted);
            return Results.Ok(PointAnswer(descriptor, values[0]));
        });

    private static Task<IResult> PointsAsync(string id, HttpRequest http, IGrainFactory grains) =>
        Guarded(async () =>
        {
            NoParameters(http.Query, "a points request (its points go in the body)");
            using var document = await ReadJsonBody(http);
            var problems = new QueryProblems();
            var requested = PointsArray(document.RootElement);
            var points = new PointQuery[requested.Length];
            for (var i = 0; i < requested.Length; i++)
            {
                var prefix = $"points[{i}].";
                var p = requested[i];
                if (p.ValueKind == JsonValueKind.Null)
                {
                    problems.Add($"points[{i}] is null");
                    continue;
                }

                if (p.ValueKind != JsonValueKind.Object)
                {
                    problems.Add($"points[{i}] is {JsonKind(p)}; expected an object {PointShape}");
                    continue;
                }

                UnknownKeys(problems, p, $"points[{i}]", "a point", PointParameters);
                points[i] = ParsePoint(problems, () => JsonNumber(p, prefix, "lat"), () => JsonNumber(p, prefix, "lon"),
                    () => JsonString(p, prefix, "time"), prefix);
            }

            problems.ThrowIfAny();
            var model = grains.GetGrain<IModelGrain>(id);
            var descriptor = await model.Describe();
            var values = await model.Query(points, http.HttpContext.RequestAborted);
            return Results.Ok(new
            {
                model = id, units = Units(descriptor), values = values.Select(v => PointAnswer(descriptor, v)),
            });
        });

    private static Task<IResult> GridAsync(string id, string? time, string? south, string? north, string? west,
        string? east, string? resolution, string? format, IGrainFactory grains, WeatherGinrHostOptions options,
        HttpRequest http, CancellationToken aborted) =>
        Guarded(async () =>
        {
            var problems = new QueryProblems();
            UnknownParameters(problems, http.Query, "a grid query", GridParameters);
            var at = problems.Check(() => ParseTime(time ?? ""), default);
            var southDegrees = Bound(problems, "south", south, -90);
            var northDegrees = Bound(problems, "north", north, 90);
            var westDegrees = Bound(problems, "west", west, -180);
            var eastDegrees = Bound(problems, "east", east, 180);
            var resolutionDegrees = Bound(problems, "resolution", resolution, 1.0);

            // The window as a whole (south below north, a resolution in range): each part once its own numbers
            // parsed, so that a bad south still lets a bad resolution be told in the same answer; stand-ins for
            // numbers that did not parse would only invent problems.
            foreach (var problem in Grains.Serving.RegularGrid.WindowProblems(
                         southDegrees, northDegrees, westDegrees, eastDegrees, resolutionDegrees))
            {
                problems.Add(problem);
            }

            var exportPath = HttpExportFolder.NewExportPath(options.DataRoot);
            // Like the bounds, an empty format (an empty form field) is the default; values match in any case.
            format = string.IsNullOrEmpty(format) ? "json" : format.ToLowerInvariant();
            if (format is not ("json" or "parquet"))
            {
                problems.Add($"format '{Shorten(format)}' is not one of 'json', 'parquet'" +
                    (format.Contains(',', StringComparison.Ordinal) ? " (give the parameter once)" : ""));
            }

            problems.ThrowIfAny();
            var request = new GridExportRequest(southDegrees!.Value, northDegrees!.Value, westDegrees!.Value,
                eastDegrees!.Value, resolutionDegrees!.Value, [at], exportPath);

            // Its size against what the answer's format holds, before any point is made.
            var (maxPoints, limit, hint) = format == "parquet"
                ? (MaxParquetGridPoints, "a Parquet answer holds", "use a coarser resolution or a smaller window " +
                    "(bigger fields are an export, not a query)")
                : (MaxJsonGridPoints, "a JSON answer holds",
                    $"use format=parquet (up to {MaxParquetGridPoints} points), a coarser resolution " +
                    "or a smaller window");
            Grains.Serving.RegularGrid.Shape(request.SouthDegrees, request.NorthDegrees, request.WestDegrees,
                request.EastDegrees, request.ResolutionDegrees, maxPoints, limit, hint);
            var grid = new Grains.Serving.RegularGrid(request.SouthDegrees, request.NorthDegrees, request.WestDegrees,
                request.EastDegrees, request.ResolutionDegrees);
            var model = grains.GetGrain<IModelGrain>(id);
            var descriptor = await model.Describe();

            // One large answer at a time: each takes memory in proportion to its points while it is made.
            using var turn = await LargeAnswerGate.Shared.EnterAsync(grid.PointCount, aborted);
            if (grid.PointCount > LargeAnswerGate.LargePoints)
            {
                http.HttpContext.Response.OnCompleted(() =>
                {
                    LargeAnswerGate.Shared.AnswerSent();
                    return Task.CompletedTask;
                });
            }

            switch (format)
            {
                case "parquet":
                {
                    byte[] bytes;
                    try
                    {
                        var result = await model.ExportGrid(request, aborted);
                        bytes = await File.ReadAllBytesAsync(result.ParquetPath, aborted);
                    }
                    finally
                    {
                        HttpExportFolder.Delete(exportPath);
                        HttpExportFolder.RemoveAbandoned(options.DataRoot, DateTime.UtcNow);
                    }

                    // The JSON answer's "extrapolated" flag, for a body that has no place for it (the file's metadata
                    // says the same, weatherginr.extrapolated).
                    http.HttpContext.Response.Headers[ExtrapolatedHeader] =
                        at < descriptor.FirstTimeUtc || at > descriptor.LastTimeUtc ? "true" : "false";
                    return Results.File(bytes, "application/vnd.apache.parquet", $"{id}.parquet");
                }

                case "json":
                {
                    var (lats, lons) = grid.Points();
                    var values = await model.Query(
                        lats.Select((lat, i) => new PointQuery(lat, lons[i], at)).ToArray(), aborted);
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

    private const string PointShape = "{\"lat\":..,\"lon\":..,\"time\":\"..\"}";
    private const string BodyShape = "{\"points\":[" + PointShape + "]}";

    /// <summary>
    /// The request body as a JSON document. The body is read by hand rather than bound to a record, so that a
    /// value of the wrong type is told by its JSON path and the type expected, not by the .NET types it missed.
    /// A body over the server's limit throws <see cref="BadHttpRequestException"/> (413) from the read.
    /// </summary>
    private static async Task<JsonDocument> ReadJsonBody(HttpRequest http)
    {
        if (!http.HasJsonContentType())
        {
            var given = string.IsNullOrEmpty(http.ContentType) ? "none" : $"'{Shorten(http.ContentType)}'";
            throw new BadHttpRequestException(
                $"the body must be JSON (Content-Type: application/json, not {given}) of the form {BodyShape}",
                StatusCodes.Status415UnsupportedMediaType);
        }

        try
        {
            return await JsonDocument.ParseAsync(http.Body, cancellationToken: http.HttpContext.RequestAborted);
        }
        catch (JsonException e)
        {
            // The parser's message ends in "[Path: $ |] LineNumber: 0 | BytePositionInLine: 8.": say it in words.
            var reason = e.Message.Split([" Path: ", " LineNumber: "], 2, StringSplitOptions.None)[0].TrimEnd('.');
            throw new ArgumentException($"the body is not valid JSON at line {e.LineNumber + 1}, " +
                $"byte {e.BytePositionInLine + 1}: {reason}; expected {BodyShape}");
        }
    }

    /// <summary>The entries of the body's <c>points</c> array (property names match in any case).</summary>
    private static JsonElement[] PointsArray(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"the body is {JsonKind(body)}; expected an object {BodyShape}");
        }

        var stray = body.EnumerateObject().FirstOrDefault(
            p => !string.Equals(p.Name, "points", StringComparison.OrdinalIgnoreCase));
        if (stray.Value.ValueKind != JsonValueKind.Undefined)
        {
            throw new ArgumentException(
                $"the body has an unknown key '{Shorten(stray.Name)}'; it holds only 'points': {BodyShape}");
        }

        var points = Property(body, "points");
        if (points is not { } array || array.ValueKind == JsonValueKind.Null)
        {
            throw new ArgumentException("the body must hold a non-empty 'points' array");
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new ArgumentException($"points is {JsonKind(array)}; expected an array of points {BodyShape}");
        }

        var count = array.GetArrayLength();
        if (count == 0)
        {
            throw new ArgumentException("the body must hold a non-empty 'points' array");
        }

        return count <= MaxBatchPoints
            ? array.EnumerateArray().ToArray()
            : throw new ArgumentException($"{count} points requested; one call answers at most {MaxBatchPoints}");
    }

    private static double JsonNumber(JsonElement point, string prefix, string name) =>
        Property(point, name, prefix) switch
        {
            null or { ValueKind: JsonValueKind.Null } => throw Missing(prefix + name),
            { ValueKind: JsonValueKind.Number } n when n.TryGetDouble(out var value) && double.IsFinite(value) => value,
            { ValueKind: JsonValueKind.Number } n => throw new ArgumentException(
                $"{prefix}{name} {Shorten(n.GetRawText())} is not a finite number"),
            { } other => throw new ArgumentException($"{prefix}{name} is {JsonKind(other)}; expected a number"),
        };

    private static string JsonString(JsonElement point, string prefix, string name) =>
        Property(point, name, prefix) switch
        {
            null or { ValueKind: JsonValueKind.Null } => throw Missing(prefix + name),
            { ValueKind: JsonValueKind.String } text => text.GetString()!,
            { } other => throw new ArgumentException(
                $"{prefix}{name} is {JsonKind(other)}; expected an ISO 8601 string such as \"2005-07-16T12:00:00Z\""),
        };

    /// <summary>
    /// The property named <paramref name="name"/> in any case, as the web's JSON defaults bind; a name given twice
    /// (<c>{"lat":1,"lat":5}</c>) is an error rather than a silent choice of one.
    /// </summary>
    private static JsonElement? Property(JsonElement value, string name, string prefix = "")
    {
        JsonElement? found = null;
        var count = 0;
        foreach (var property in value.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                found ??= property.Value;
                count++;
            }
        }

        return count <= 1 ? found
            : throw new ArgumentException($"{prefix}{name} is given {count} times; give it once");
    }

    /// <summary>"a string (\"abc\")", "an array", ...: what a JSON value is, with the value when it is short.</summary>
    private static string JsonKind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"a string ({Shorten(value.GetRawText())})",
        JsonValueKind.Number => $"a number ({Shorten(value.GetRawText())})",
        JsonValueKind.True or JsonValueKind.False => $"a boolean ({value.GetRawText()})",
        _ => "null",
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";

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
    private static PointQuery ParsePoint(QueryProblems problems, Func<double> lat, Func<double> lon, Func<string> time,
        string prefix = "")
    {
        var latitude = problems.Check(() => InRange(prefix + "lat", lat(), -90, 90), 0);
        var longitude = problems.Check(() => InRange(prefix + "lon", lon(), -360, 720), 0);
        var at = problems.Check(() => ParseTime(time(), prefix), default);
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

    /// <summary>An ISO 8601 time; missing and empty (<c>time=</c>, <c>"time":""</c>) are told alike.</summary>
    private static DateTimeOffset ParseTime(string time, string prefix = "") =>
        string.IsNullOrEmpty(time) ? throw Missing(prefix + "time")
        : DateTimeOffset.TryParseExact(time, IsoFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : throw new ArgumentException(
                $"{prefix}time '{time}' is not an ISO 8601 date-time such as 2005-07-16T12:00:00Z " +
                (time.Contains(',', StringComparison.Ordinal) && prefix.Length == 0
                    ? "(give the parameter once)" : "(in a URL, write a '+' offset as %2B)"));

    private static ArgumentException Missing(string parameter) =>
        new($"'{parameter}' is required");

    private static readonly string[] PointParameters = ["lat", "lon", "time"];
    private static readonly string[] GridParameters =
        ["time", "south", "north", "west", "east", "resolution", "format"];

    /// <summary>A grid bound or resolution, its default when absent or empty, null (and recorded) when bad.</summary>
    private static double? Bound(QueryProblems problems, string name, string? text, double fallback) =>
        problems.Check<double?>(() => Number(name, text, fallback), null);

    /// <summary>
    /// An endpoint that takes no parameters refuses any (a 400 naming them) rather than ignoring them.
    /// </summary>
    private static void NoParameters(IQueryCollection query, string what)
    {
        var problems = new QueryProblems();
        UnknownParameters(problems, query, what, []);
        problems.ThrowIfAny();
    }

    /// <summary>
    /// A key a JSON object does not take is a problem, as an unknown query parameter is: a misspelt
    /// <c>"tiem"</c> would otherwise be answered as a missing time, or a stray key silently dropped.
    /// </summary>
    private static void UnknownKeys(QueryProblems problems, JsonElement value, string where, string what,
        string[] known)
    {
        foreach (var property in value.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"{where} has an unknown key '{Shorten(property.Name)}': {what} takes " +
                    string.Join(", ", known));
            }
        }
    }

    /// <summary>
    /// A parameter the endpoint does not take is a problem, not ignored: a misspelt <c>reslution=0.1</c> would
    /// otherwise answer at the default resolution without a word. Names match in any case, as binding does.
    /// </summary>
    private static void UnknownParameters(QueryProblems problems, IQueryCollection query, string what,
        string[] known)
    {
        foreach (var key in query.Keys)
        {
            if (!known.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add(known.Length == 0
                    ? $"unknown parameter '{Shorten(key)}': {what} takes no query parameters"
                    : $"unknown parameter '{Shorten(key)}': {what} takes {string.Join(", ", known)}");
            }
        }
    }

    /// <summary>
    /// Bad input is a 400 that says what was wrong; an unknown model is a 404; a request the server refuses
    /// to read (a body over Kestrel's limit) keeps the server's status (413) with the reason as its body; a model
    /// whose files are missing or damaged is a 500 naming the file (the model grain has logged it, once).
    /// Every error body is <c>{"error": "...", "errors": ["...", ...]}</c>: every problem found, one per
    /// entry, and the same joined with "; " in <c>error</c> (the shape clients had before the list).
    /// </summary>
    private static async Task<IResult> Guarded(Func<Task<IResult>> handler)
    {
        try
        {
            return await handler();
        }
        catch (ModelUnavailableException e)
        {
            return Results.Json(ErrorBody([e.Message]), statusCode: StatusCodes.Status500InternalServerError);
        }
        catch (BadQueryException e)
        {
            return Results.BadRequest(ErrorBody(e.Problems));
        }
        catch (ArgumentException e)
        {
            return Results.BadRequest(ErrorBody([ErrorText.Of(e)]));
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

    internal static object ErrorBody(IReadOnlyList<string> problems) =>
        new { error = string.Join("; ", problems), errors = problems };
}
