using System.Text.Json;
using System.Text.RegularExpressions;
using WeatherGinr.Ingest;

namespace WeatherGinr.Cli.Tests.Commands;

/// <summary>
/// <c>weatherginr inspect</c> run as a child process on the real sample files and on a packed file
/// built with ncgen; every number is checked against ncdump's reading of the same file.
/// </summary>
public sealed partial class InspectCommandTests : IDisposable
{
    /// <summary>ncdump prints floats with 9 significant digits: a relative error of 1e-8 is representation.</summary>
    private const double RelativeTolerance = 1e-6;

    private static readonly string[] SampleFiles = Directory.GetFiles(RepositoryPaths.SampleData)
        .Where(path =>
            path.EndsWith(".nc", StringComparison.Ordinal) || path.EndsWith(".cdf", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .ToArray();

    private readonly string folder = Directory.CreateTempSubdirectory("wginr-inspect-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void JsonOfEverySampleFileAgreesWithNcdump()
    {
        Assert.Equal(10, SampleFiles.Length);

        var result = CliProcess.Run(["inspect", "--json", .. SampleFiles]);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(string.Empty, result.StandardError);
        var inspections = Parse(result.StandardOutput);
        Assert.Equal(SampleFiles, inspections.Select(i => i.Path));
        Parallel.ForEach(inspections, new ParallelOptions { MaxDegreeOfParallelism = 2 }, AssertAgreesWithNcdump);
    }

    [Fact]
    public void PackedUnsignedAndNoLeapValuesAreDecodedAsCfSays()
    {
        var path = Path.Combine(folder, "packed.nc");
        File.WriteAllText(Path.Combine(folder, "packed.cdl"), PackedCdl);
        CliProcess.Tool("ncgen", "-k", "nc4", "-o", path, Path.Combine(folder, "packed.cdl"));

        var result = CliProcess.Run(["inspect", "--json", path]);

        Assert.True(result.ExitCode == 0, result.StandardError);
        var inspection = Assert.Single(Parse(result.StandardOutput));
        Assert.Equal("netcdf4", inspection.Format);

        // noleap: hour 1416 = day 59 = 1 March (no 29 February in that calendar).
        Assert.Equal(new DateTimeOffset(2000, 3, 1, 0, 0, 0, TimeSpan.Zero), inspection.Time!.Last);
        Assert.Equal("noleap", inspection.Time.Calendar);

        // Longitudes 0, 90, 180, 270 normalise to 0, 90, -180, -90; latitudes are stored descending.
        Assert.Equal((-180.0, 90.0, false), (inspection.Longitude!.MinimumDegrees, inspection.Longitude.MaximumDegrees,
            inspection.Latitude!.Ascending));

        // t2m = raw * 0.01 + 273.15 where raw != -32767 (the fill), from ncdump's raw values.
        var t2m = inspection.Variables.Single(v => v.Name == "t2m");
        var expectedT2m = NcDumpReference.RawValues(path, "t2m").Where(double.IsFinite).Select(r => r * 0.01 + 273.15)
            .ToArray();
        AssertStatistics(expectedT2m, 24 - expectedT2m.Length, t2m, absoluteTolerance: 1e-9);
        Assert.Equal(("K", "AirTemperature"), (t2m.CanonicalUnits, t2m.Quantity.ToString()));

        // tcc: unsigned byte (ncdump prints it signed: -56 is 200), * 0.5 percent; 255 (-1) is the fill.
        var tcc = inspection.Variables.Single(v => v.Name == "tcc");
        var expectedTcc = NcDumpReference.RawValues(path, "tcc").Where(double.IsFinite)
            .Select(r => (r < 0 ? r + 256 : r) * 0.5).ToArray();
        AssertStatistics(expectedTcc, 24 - expectedTcc.Length, tcc, absoluteTolerance: 1e-9);
        Assert.Equal(127, tcc.Maximum); // raw -2 is 254 unsigned; read signed, the maximum would be 63.5
        Assert.Equal("1", tcc.CanonicalUnits);
    }

    [Fact]
    public void TheHumanTableShowsEveryColumnOfTheNcepFile()
    {
        var result = CliProcess.Run(["inspect", RepositoryPaths.Sample("ncep_flx_2006040100_u10_v10_t2m_tcc.nc")]);

        Assert.True(result.ExitCode == 0, result.StandardError);
        var lines = result.StandardOutput.Split('\n');
        Assert.Contains(lines, l => l.Contains("64bit_offset", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("2006-03-31T00:00:00Z .. 2006-03-31T00:00:00Z, 1 step,",
            StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("lat: -88.54195 .. 88.54195 (94 values, stored descending)",
            StringComparison.Ordinal));

        // One row per variable: name, standard_name, units as written, canonical mapping, counts.
        var u10 = Assert.Single(lines, l => l.TrimStart().StartsWith("u10 ", StringComparison.Ordinal));
        Assert.Matches(@"u10\s+eastward_wind\s+m s\*\*-1\s+m s-1 \(EastwardWind\)\s+time=1, height=1, lat=94, " +
            @"lon=192\s+18048\s+0\s+-17\.81\s+22\.42\s", u10);
        var tcc = Assert.Single(lines, l => l.TrimStart().StartsWith("tcc ", StringComparison.Ordinal));
        Assert.Matches(@"tcc\s+-\s+%\s+1 \(CloudAreaFraction\)", tcc);
    }

    [Fact]
    public void AMissingAndABadFileAreNamedOnStandardErrorAndTheOthersAreStillInspected()
    {
        var missing = Path.Combine(folder, "missing.nc");
        var text = Path.Combine(folder, "notes.nc");
        File.WriteAllText(text, "this is not a NetCDF file\n");
        var good = RepositoryPaths.Sample("ncep_flx_2006040100_u10_v10_t2m_tcc.nc");

        var result = CliProcess.Run(["inspect", "--json", missing, good, text]);

        Assert.Equal(2, result.ExitCode);
        var errors = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, errors.Length);
        Assert.StartsWith("weatherginr: error: ", errors[0], StringComparison.Ordinal);
        Assert.Contains(missing, errors[0], StringComparison.Ordinal);
        Assert.Contains("not found", errors[0], StringComparison.Ordinal);
        Assert.Contains(text, errors[1], StringComparison.Ordinal);
        Assert.Contains("Unknown file format", errors[1], StringComparison.Ordinal);
        Assert.Equal(good, Assert.Single(Parse(result.StandardOutput)).Path);
    }

    [Fact]
    public void AFileWhoseHeaderIsCutShortIsOneLineSayingItLooksTruncated()
    {
        var cut = Path.Combine(folder, "cut.nc");
        File.WriteAllBytes(cut, File.ReadAllBytes(RepositoryPaths.Sample("tas_rectilinear_grid_2D.nc"))[..1000]);

        var result = CliProcess.Run(["inspect", cut]);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"weatherginr: error: cannot inspect '{cut}': looks truncated (not a complete netCDF file): " +
            "its header runs past the end of the file (1000 bytes) (libnetcdf: NetCDF: Invalid argument)", line);
    }

    [Fact]
    public void ANewlineInAFileNameIsEscapedSoEachFileKeepsItsLines()
    {
        var good = Path.Combine(folder, "ncep\nflx.nc");
        var bad = Path.Combine(folder, "bad\nname\u001b[31m.nc");
        File.Copy(RepositoryPaths.Sample("ncep_flx_2006040100_u10_v10_t2m_tcc.nc"), good);
        File.WriteAllText(bad, "not NetCDF\n");

        var result = CliProcess.Run(["inspect", good, bad]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"{folder}/ncep\\nflx.nc (64bit_offset)\n", result.StandardOutput, StringComparison.Ordinal);
        var error = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"weatherginr: error: cannot inspect '{folder}/bad\\nname\\u001B[31m.nc': cannot open: " +
            "NetCDF: Unknown file format", error);

        // JSON output escapes them itself and keeps the name as it is.
        var json = CliProcess.Run(["inspect", "--json", good]);
        Assert.Equal(good, Assert.Single(Parse(json.StandardOutput)).Path);
    }

    [Theory]
    [InlineData("plain/name.nc", "plain/name.nc")]
    [InlineData("a\nb\rc\td.nc", "a\\nb\\rc\\td.nc")]
    [InlineData("esc\u001b[2J\u007f\u0085.nc", "esc\\u001B[2J\\u007F\\u0085.nc")]
    [InlineData("line\u2028para\u2029.nc", "line\\u2028para\\u2029.nc")]
    [InlineData("back\\slash and \u00e9t\u00e9.nc", "back\\slash and \u00e9t\u00e9.nc")]
    public void PrintableEscapesControlCharactersOnly(string name, string expected) =>
        Assert.Equal(expected, Cli.Commands.CommonOptions.Printable(name));

    [Fact]
    public void TheJsonShapeIsTheDocumentedOne()
    {
        var result = CliProcess.Run(["inspect", "--json", RepositoryPaths.Sample("tas_rectilinear_grid_2D.nc")]);

        using var document = JsonDocument.Parse(result.StandardOutput);
        var file = Assert.Single(document.RootElement.EnumerateArray().ToArray());
        Assert.Equal(["path", "format", "time", "latitude", "longitude", "variables", "problems"], Names(file));
        Assert.Equal(["variable", "units", "calendar", "first", "last", "count"], Names(file.GetProperty("time")));
        Assert.Equal(["variable", "minimumDegrees", "maximumDegrees", "count", "ascending", "monotonic"],
            Names(file.GetProperty("latitude")));
        var tas = Assert.Single(file.GetProperty("variables").EnumerateArray().ToArray());
        Assert.Equal(["name", "standardName", "units", "quantity", "canonicalUnits", "note", "dimensions",
            "validCount", "missingCount", "minimum", "maximum", "mean"], Names(tas));
        Assert.Equal(["name", "length", "unlimited"], Names(tas.GetProperty("dimensions")[0]));
        Assert.Equal("AirTemperature", tas.GetProperty("quantity").GetString());
        Assert.Equal("2005-01-16T12:00:00+00:00", file.GetProperty("time").GetProperty("first").GetString());
    }

    private static void AssertAgreesWithNcdump(FileInspection inspection)
    {
        var path = inspection.Path;
        var header = CliProcess.Tool("ncdump", "-h", path);
        Assert.Equal(ExpectedFormat(CliProcess.Tool("ncdump", "-k", path).Trim()), inspection.Format);

        // Time: first, last and count as ncdump -t decodes them (year 0 read as year 4, as documented).
        var times = NcDumpReference.Times(path, inspection.Time!.Variable);
        Assert.Equal(times.Length, inspection.Time.Count);
        Assert.InRange((inspection.Time.First - times.Min()).Duration().TotalMilliseconds, 0, 1);
        Assert.InRange((inspection.Time.Last - times.Max()).Duration().TotalMilliseconds, 0, 1);

        // Coordinates: ranges with longitude wrapped into [-180, 180), and the stored order.
        AssertCoordinate(path, inspection.Latitude!, wrap: false);
        AssertCoordinate(path, inspection.Longitude!, wrap: true);

        // Variables: every variable of rank >= 2 that is no coordinate's bounds, with statistics of its
        // valid values (no sample file is packed, so ncdump's raw values are the decoded ones).
        var bounds = BoundsAttribute().Matches(header).Select(m => m.Groups["name"].Value).ToHashSet();
        var expectedNames = NcDumpReference.GriddedVariables(path).Where(n => !bounds.Contains(n));
        Assert.Equal(expectedNames, inspection.Variables.Select(v => v.Name));
        foreach (var variable in inspection.Variables)
        {
            var raw = NcDumpReference.RawValues(path, variable.Name);
            var valid = raw.Where(double.IsFinite).ToArray();
            AssertStatistics(valid, raw.Length - valid.Length, variable, absoluteTolerance: 0);
        }
    }

    private static void AssertCoordinate(string path, CoordinateInspection coordinate, bool wrap)
    {
        var raw = NcDumpReference.RawValues(path, coordinate.Variable);
        var values = wrap ? raw.Select(v => ((v + 180) % 360 + 360) % 360 - 180).ToArray() : raw;
        Assert.Equal(raw.Length, coordinate.Count);
        Assert.Equal(raw[^1] > raw[0], coordinate.Ascending);
        Assert.Equal(values.Min(), coordinate.MinimumDegrees, 1e-6);
        Assert.Equal(values.Max(), coordinate.MaximumDegrees, 1e-6);
    }

    private static void AssertStatistics(double[] valid, int missing, VariableInspection variable,
        double absoluteTolerance)
    {
        var where = $"{variable.Name}: ";
        Assert.True(valid.Length == variable.ValidCount, where + $"valid {variable.ValidCount} != {valid.Length}");
        Assert.True(missing == variable.MissingCount, where + $"missing {variable.MissingCount} != {missing}");
        if (valid.Length == 0)
        {
            Assert.Null(variable.Mean);
            return;
        }

        // Relative to the largest magnitude, so a mean near zero is not held to an impossible standard.
        var tolerance = absoluteTolerance + RelativeTolerance * Math.Max(Math.Abs(valid.Min()), Math.Abs(valid.Max()));
        AssertClose(valid.Min(), variable.Minimum!.Value, tolerance, where + "minimum");
        AssertClose(valid.Max(), variable.Maximum!.Value, tolerance, where + "maximum");
        AssertClose(valid.Average(), variable.Mean!.Value, tolerance, where + "mean");
    }

    private static void AssertClose(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected}, got {actual}");

    private static string ExpectedFormat(string ncdumpKind) => ncdumpKind switch
    {
        "classic" => "classic",
        "64-bit offset" => "64bit_offset",
        "cdf5" => "cdf5",
        "netCDF-4" => "netcdf4",
        "netCDF-4 classic model" => "netcdf4_classic",
        _ => throw new InvalidOperationException($"ncdump -k printed '{ncdumpKind}'"),
    };

    private static List<FileInspection> Parse(string json) =>
        JsonSerializer.Deserialize<List<FileInspection>>(json, NetCdfInspector.JsonOptions)!;

    private static string[] Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();

    [GeneratedRegex("""^\t\t\S+:bounds = "(?<name>[^"]+)" ;""", RegexOptions.Multiline)]
    private static partial Regex BoundsAttribute();

    private const string PackedCdl = """
        netcdf packed {
        dimensions:
            time = 2 ;
            lat = 3 ;
            lon = 4 ;
        variables:
            double time(time) ;
                time:units = "hours since 2000-01-01 00:00:00" ;
                time:calendar = "noleap" ;
            float lat(lat) ;
                lat:units = "degrees_north" ;
            float lon(lon) ;
                lon:units = "degrees_east" ;
            short t2m(time, lat, lon) ;
                t2m:standard_name = "air_temperature" ;
                t2m:units = "K" ;
                t2m:scale_factor = 0.01 ;
                t2m:add_offset = 273.15 ;
                t2m:_FillValue = -32767s ;
            byte tcc(time, lat, lon) ;
                tcc:standard_name = "cloud_area_fraction" ;
                tcc:units = "%" ;
                tcc:_Unsigned = "true" ;
                tcc:scale_factor = 0.5 ;
                tcc:_FillValue = -1b ;
        data:
            time = 0, 1416 ;
            lat = 60, 0, -60 ;
            lon = 0, 90, 180, 270 ;
            t2m = -32767, -2000, -1000, 0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000,
                  -32767, -32767, 100, 200, 300, 400, 500, 600, 700, 800, 900, -5000 ;
            tcc = -1, 0, 1, 2, 10, 20, 40, 80, 100, 120, 127, -128,
                  -56, -100, -2, -1, 50, 60, 70, 90, 110, 0, 0, 3 ;
        }
        """;
}
