using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using WeatherGinr.Core.Mesh;
using WeatherGinr.Ingest;

namespace WeatherGinr.Benchmarks.Ingest;

/// <summary>
/// Decode + regrid of one NetCDF variable onto icosphere nodes, WeatherGinr (libnetcdf P/Invoke, CF
/// decoding, <see cref="LatLonRegridder"/> bilinear) against xarray + netCDF4 (<c>interp</c>, linear) on
/// the same file and the same points, in the same run. Prints both times, their ratio, and the largest
/// difference on the nodes where both interpolate the same way (inside the grid's rows and columns;
/// xarray has no periodic longitude and no pole cap, so it leaves the rest NaN).
/// </summary>
internal static class IngestBenchmark
{
    private const double TargetSpeedup = 5;


    /// <summary>
    /// Both sides store float32; 1e-5 of the field's magnitude is float rounding, not a different method.
    /// </summary>
    private const double RelativeTolerance = 1e-5;

    internal static int Run(BenchmarkOptions options)
    {
        var mesh = Icosphere.Create(options.IcosphereLevel);
        var latitudes = mesh.LatitudesDegrees;
        var longitudes = mesh.LongitudesDegrees;
        var work = Directory.CreateTempSubdirectory("wginr-ingest-bench-").FullName;
        try
        {
            var pointsFile = Path.Combine(work, "points.f64");
            WritePoints(pointsFile, latitudes, longitudes);

            // Ours: untimed runs for --warm-up seconds (5 by default) load libnetcdf and let the JIT reach its
            // optimised tier; then the timed runs, with the page faults and bytes each took printed beside the
            // times. One ingest workspace serves every run, as a worker's serves file after file: the decoded
            // field and the regridded values go into the same buffers each run instead of fresh pages. The plan
            // is built every run, as xarray works out its weights every call. Python's side has three untimed
            // runs for its lazy imports.
            // The verdict is on medians; minima are printed beside them (what an idle machine would show).
            var loadBefore = LoadAverage();
            var workspace = new IngestWorkspace();
            for (var warm = Stopwatch.StartNew(); warm.Elapsed.TotalSeconds < options.WarmUpSeconds;)
            {
                DecodeAndRegrid(options, latitudes, longitudes, workspace);
            }

            var oursSeconds = new List<double>();
            var oursCpuSeconds = new List<double>();
            var oursPageFaults = new List<double>();
            var oursAllocatedBytes = new List<double>();
            for (var run = 0; run < options.Repeats; run++)
            {
                var faults = ThreadCpuClock.MinorFaults();
                var allocated = GC.GetAllocatedBytesForCurrentThread();
                var cpu = ThreadCpuClock.NowSeconds();
                var clock = Stopwatch.StartNew();
                DecodeAndRegrid(options, latitudes, longitudes, workspace);
                oursSeconds.Add(clock.Elapsed.TotalSeconds);
                oursCpuSeconds.Add(ThreadCpuClock.NowSeconds() - cpu);
                oursAllocatedBytes.Add(GC.GetAllocatedBytesForCurrentThread() - allocated);
                oursPageFaults.Add(ThreadCpuClock.MinorFaults() - faults);
            }

            // Where our time goes: decoding alone, and the plan + all steps alone (thread CPU time: the work,
            // without the waits for a core that a shared machine adds to the wall clock).
            var decodeCpuSeconds = new List<double>();
            var regridCpuSeconds = new List<double>();
            for (var run = 0; run < options.Repeats; run++)
            {
                var cpu = ThreadCpuClock.NowSeconds();
                var fields = WeatherFieldReader.ReadWeatherFields([options.FilePath], workspace);
                var decoded = ThreadCpuClock.NowSeconds();
                var part = ChooseField(options, fields);
                var values = workspace.Rent(part.TimeCount * latitudes.Length);
                LatLonRegridder.PlanBilinear(part, latitudes, longitudes).ApplyAllSteps(part, values);
                decodeCpuSeconds.Add(decoded - cpu);
                regridCpuSeconds.Add(ThreadCpuClock.NowSeconds() - decoded);
                workspace.Return(values);
                workspace.Return(fields);
            }

            // The values compared with xarray's come from the plain path (new arrays, no workspace); the pooled
            // path, run once more, must give the same bits.
            var field = ChooseField(options, WeatherFieldReader.ReadWeatherFields([options.FilePath]));
            var ours = LatLonRegridder.PlanBilinear(field, latitudes, longitudes).ApplyAllSteps(field);
            var pooledSame = ours.AsSpan().SequenceEqual(
                DecodeAndRegrid(options, latitudes, longitudes, workspace, keepValues: true));

            var (theirs, xarraySeconds, xarrayCpuSeconds, processSeconds, versions) =
                RunXarray(options, field.VariableName, pointsFile, Path.Combine(work, "xarray.f32"));
            Console.WriteLine($"Machine load (1-minute load average, {Environment.ProcessorCount} cores): " +
                $"{loadBefore} before, {LoadAverage()} after");
            Console.WriteLine($"  WeatherGinr parts, thread CPU: decode {Timing(decodeCpuSeconds)}; plan + regrid " +
                $"every step {Timing(regridCpuSeconds)}");
            Console.WriteLine($"  WeatherGinr minor page faults per timed run: median {Median(oursPageFaults):F0}, " +
                $"max {oursPageFaults.Max():F0} (one result is " +
                $"{field.TimeCount * mesh.NodeCount * sizeof(float) / 4096} " +
                $"pages; after {options.WarmUpSeconds:G} s of warm-up); per run: " +
                $"{string.Join(" ", oursPageFaults.Select(f => f.ToString("F0", CultureInfo.InvariantCulture)))}");
            Console.WriteLine($"  WeatherGinr bytes allocated per timed run (this thread): median " +
                $"{Median(oursAllocatedBytes):F0}, max {oursAllocatedBytes.Max():F0}; one ingest workspace " +
                $"across all runs, holding {workspace.IdleBytes} bytes idle at the end");
            Console.WriteLine($"  workspace (pooled) values against the plain path's: " +
                $"{(pooledSame ? "bit-identical" : "DIFFERENT")}");
            Report(options, mesh, field, ours, theirs, versions, out var valuesAgree);
            ReportTimes(oursSeconds, oursCpuSeconds, xarraySeconds, xarrayCpuSeconds, processSeconds);
            return valuesAgree && pooledSame ? 0 : 1;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// The measured work, as an ingest worker does it file after file: decode the file into buffers lent by
    /// <paramref name="workspace"/>, then every time step bilinearly onto the nodes into another lent buffer
    /// (the weights are worked out every run, as xarray's interp does for its vectorised indexers), and hand
    /// both back for the next file. With <paramref name="keepValues"/>, a copy of the regridded values.
    /// </summary>
    private static float[] DecodeAndRegrid(BenchmarkOptions options, double[] latitudes, double[] longitudes,
        IngestWorkspace workspace, bool keepValues = false)
    {
        var fields = WeatherFieldReader.ReadWeatherFields([options.FilePath], workspace);
        try
        {
            var field = ChooseField(options, fields);
            var values = workspace.Rent(field.TimeCount * latitudes.Length);
            LatLonRegridder.PlanBilinear(field, latitudes, longitudes).ApplyAllSteps(field, values);
            var kept = keepValues ? values.ToArray() : [];
            workspace.Return(values);
            return kept;
        }
        finally
        {
            workspace.Return(fields);
        }
    }

    private static GriddedField ChooseField(BenchmarkOptions options, IReadOnlyList<GriddedField> fields) =>
        options.Variable is null ? fields[0] : fields.Single(f => f.VariableName == options.Variable);

    private static (float[] Values, List<double> Seconds, List<double> CpuSeconds, double ProcessSeconds,
        string Versions) RunXarray(
        BenchmarkOptions options, string variable, string pointsFile, string outputFile)
    {
        var script = Path.Combine(Path.GetDirectoryName(pointsFile)!, "xarray_regrid.py");
        using (var resource = typeof(IngestBenchmark).Assembly.GetManifestResourceStream("xarray_regrid.py")!)
        using (var file = File.Create(script))
        {
            resource.CopyTo(file);
        }

        var start = new ProcessStartInfo(options.Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { script, options.FilePath, variable, pointsFile, outputFile,
                     options.Repeats.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"cannot start {options.Python}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var processSeconds = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{options.Python} (xarray + netCDF4) failed: {error.Result}");
        }

        using var summary = JsonDocument.Parse(output.Result.Trim().Split('\n')[^1]);
        var seconds = summary.RootElement.GetProperty("seconds").EnumerateArray()
            .Select(s => s.GetDouble()).ToList();
        var cpuSeconds = summary.RootElement.GetProperty("cpu_seconds").EnumerateArray()
            .Select(s => s.GetDouble()).ToList();
        var versions = $"xarray {summary.RootElement.GetProperty("xarray").GetString()}, " +
            $"numpy {summary.RootElement.GetProperty("numpy").GetString()}";
        var bytes = File.ReadAllBytes(outputFile);
        var values = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return (values, seconds, cpuSeconds, processSeconds, versions);
    }

    private static void Report(BenchmarkOptions options, Icosphere mesh, GriddedField field, float[] ours,
        float[] theirs, string versions, out bool valuesAgree)
    {
        Console.WriteLine($"Decode + bilinear regrid of '{field.VariableName}' " +
            $"in {Path.GetFileName(options.FilePath)} " +
            $"({field.TimeCount} steps, {field.LatitudeCount} x {field.LongitudeCount}) onto icosphere level " +
            $"{mesh.Level} ({mesh.NodeCount} nodes), {options.Repeats} timed runs each after warm-up, one thread " +
            $"each; xarray side: {versions}");

        if (theirs.Length != ours.Length)
        {
            Console.WriteLine(
                $"  values: xarray returned {theirs.Length} values, WeatherGinr {ours.Length}: not compared");
            valuesAgree = false;
            return;
        }

        // Where xarray interpolates (inside the rows and columns), both are the same bilinear formula.
        double maxDifference = 0, magnitude = 0;
        int compared = 0, onlyOurs = 0, onlyTheirs = 0;
        for (var i = 0; i < ours.Length; i++)
        {
            var (a, b) = (ours[i], theirs[i]);
            if (float.IsNaN(b))
            {
                onlyOurs += float.IsNaN(a) ? 0 : 1;
                continue;
            }

            if (float.IsNaN(a))
            {
                onlyTheirs++;
                continue;
            }

            compared++;
            magnitude = Math.Max(magnitude, Math.Abs(b));
            maxDifference = Math.Max(maxDifference, Math.Abs(a - (double)b));
        }

        var tolerance = RelativeTolerance * magnitude;
        valuesAgree = onlyTheirs == 0 && maxDifference <= tolerance && compared > 0;
        Console.WriteLine($"  values: {compared} of {ours.Length} compared; max |difference| " +
            $"{maxDifference:G3} {field.CanonicalUnits} (tolerance {tolerance:G3}): " +
            $"{(valuesAgree ? "same" : "DIFFERENT")}");
        Console.WriteLine($"  {onlyOurs} values only WeatherGinr gives (poleward of the last row, across " +
            $"the seam between the last and first column); {onlyTheirs} only xarray gives");
        if (!string.Equals(field.SourceUnits, field.CanonicalUnits, StringComparison.Ordinal))
        {
            Console.WriteLine($"  note: the file's units '{field.SourceUnits}' differ from the canonical " +
                $"'{field.CanonicalUnits}' WeatherGinr converts to; differences include that conversion");
        }
    }

    /// <summary>
    /// Wall-clock medians decide (the target); thread CPU time is printed beside them because on a shared
    /// machine the wall clock also counts the time a run waited for a core.
    /// </summary>
    private static void ReportTimes(List<double> oursSeconds, List<double> oursCpuSeconds, List<double> xarraySeconds,
        List<double> xarrayCpuSeconds, double processSeconds)
    {
        var speedup = Median(xarraySeconds) / Median(oursSeconds);
        var targetMet = speedup >= TargetSpeedup;
        Console.WriteLine($"  WeatherGinr (libnetcdf + LatLonRegridder): wall {Timing(oursSeconds)}; " +
            $"thread CPU {Timing(oursCpuSeconds)}");
        Console.WriteLine($"  xarray + netCDF4 (open, load, interp linear): wall {Timing(xarraySeconds)}; " +
            $"thread CPU {Timing(xarrayCpuSeconds)}; whole python process incl. imports {processSeconds:F2} s");
        var cpuSpeedup = Median(xarrayCpuSeconds) / Median(oursCpuSeconds);
        Console.WriteLine($"  ratio xarray / WeatherGinr: {speedup:F1}x of wall medians (target >= " +
            $"{TargetSpeedup}x: {(targetMet ? "met" : "MISSED")}); {cpuSpeedup:F1}x of CPU-time medians; " +
            $"{xarraySeconds.Min() / oursSeconds.Min():F1}x of wall minima");
    }

    private static void WritePoints(string path, double[] latitudes, double[] longitudes)
    {
        using var writer = new BinaryWriter(File.Create(path));
        foreach (var value in latitudes.Concat(longitudes))
        {
            writer.Write(value);
        }
    }

    /// <summary>"median 0.0123 s, min 0.0101 s (n = 30)": what the report says of every timed quantity.</summary>
    private static string Timing(List<double> seconds) =>
        $"median {Median(seconds):F4} s, min {seconds.Min():F4} s (n = {seconds.Count})";

    /// <summary>The first field of /proc/loadavg (runnable tasks averaged over a minute), or "unknown".</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
