using System.Diagnostics;
using Xunit.Abstractions;
using WeatherGinr.Ingest.Tests.TestSupport;

namespace WeatherGinr.Ingest.Tests.Reading;

/// <summary>
/// Bounded fuzzing: a few hundred mutated and truncated copies of real sample files and of a
/// deflated netCDF-4 file. Every case must end in an <see cref="IngestException"/> or in a
/// well-formed read (consistent shapes, ascending axes, finite-or-NaN values); anything else
/// (another exception type, a hang past the per-case limit, a crash of the test host) fails.
/// The total is capped at 300 cases and about 60 seconds; the seed is fixed so a failure
/// reproduces. It runs alone (no other test class in parallel): libnetcdf is serialised behind one
/// process-wide lock, and a case must not be charged for time spent waiting behind other tests.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int MaxCases = 300;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PerCase = TimeSpan.FromSeconds(30);

    [Fact]
    public void Mutated_and_truncated_files_end_in_an_ingest_exception_or_a_well_formed_read()
    {
        var sources = new[]
        {
            File.ReadAllBytes(SampleData.PathOf("ncep_flx_2006040100_u10_v10_t2m_tcc.nc")),
            File.ReadAllBytes(SampleData.PathOf("tas_rectilinear_grid_2D.nc")),
            File.ReadAllBytes(SampleData.PathOf("cdo_synth_uvtc.nc")),
            File.ReadAllBytes(CdlFile.Create("fuzz_nc4", SmallGrid.Cdl(
                "float t2m(time, lat, lon) ; t2m:units = \"K\" ; t2m:_DeflateLevel = 4 ; t2m:_ChunkSizes = 1, 3, 4 ;",
                $"t2m = {SmallGrid.Sequence(200)} ;"), "nc4")),
        };
        var random = new Random(20260412);
        var clock = Stopwatch.StartNew();
        var outcomes = new Dictionary<string, int>();
        var failures = new List<string>();
        var cases = 0;
        while (cases < MaxCases && clock.Elapsed < Budget)
        {
            var source = sources[cases % sources.Length];
            var (bytes, description) = Mutate(source, random);
            var path = CdlFile.TempPath($"fuzz_{cases}.nc");
            File.WriteAllBytes(path, bytes);

            var outcome = RunCase(path);
            outcomes[outcome.Kind] = outcomes.GetValueOrDefault(outcome.Kind) + 1;
            if (outcome.Failure is not null)
            {
                failures.Add($"case {cases} ({description}): {outcome.Failure}");
            }

            File.Delete(path);
            cases++;
        }

        output.WriteLine($"{cases} cases in {clock.Elapsed.TotalSeconds:F1} s: {string.Join(", ", outcomes)}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(10)));
        Assert.True(cases >= 100, $"only {cases} cases ran within the budget");
        Assert.True(outcomes.GetValueOrDefault("error") > 0 && outcomes.GetValueOrDefault("read") > 0,
            $"outcomes {string.Join(", ", outcomes)} should include both refusals and reads");
    }

    private static (string Kind, string? Failure) RunCase(string path)
    {
        var work = Task.Run(() =>
        {
            try
            {
                var fields = WeatherFieldReader.ReadWeatherFields([path]);
                NetCdfInspector.Inspect(path);
                return ("read", CheckWellFormed(fields));
            }
            catch (IngestException exception) when (exception.FilePath == path)
            {
                return ("error", (string?)null);
            }
            catch (Exception exception)
            {
                return ("other", $"{exception.GetType().Name}: {exception.Message}");
            }
        });
        return work.Wait(PerCase) ? work.Result : ("hang", $"no result within {PerCase.TotalSeconds} s");
    }

    private static string? CheckWellFormed(IReadOnlyList<GriddedField> fields)
    {
        foreach (var field in fields)
        {
            if (field.Values.Length != field.TimeCount * field.LatitudeCount * field.LongitudeCount)
            {
                return "values do not match the axes";
            }

            for (var index = 1; index < field.LatitudeCount; index++)
            {
                if (!(field.LatitudesDegrees[index] > field.LatitudesDegrees[index - 1]))
                {
                    return "latitudes not ascending";
                }
            }

            for (var index = 0; index < field.LongitudeCount; index++)
            {
                var longitude = field.LongitudesDegrees[index];
                if (longitude is < -180 or >= 180 || (index > 0 && !(longitude > field.LongitudesDegrees[index - 1])))
                {
                    return "longitudes not ascending in [-180, 180)";
                }
            }

            for (var index = 1; index < field.TimeCount; index++)
            {
                if (field.TimesUtc[index] <= field.TimesUtc[index - 1])
                {
                    return "times not ascending";
                }
            }

            if (field.Values.Any(float.IsInfinity))
            {
                return "infinite value";
            }
        }

        return null;
    }

    private static (byte[] Bytes, string Description) Mutate(byte[] source, Random random)
    {
        var bytes = (byte[])source.Clone();
        switch (random.Next(5))
        {
            case 0:
                var length = random.Next(bytes.Length);
                return (bytes[..length], $"truncated to {length}");
            case 1:
                // Flip bytes in the header, where lengths, types and offsets live.
                var header = Math.Min(bytes.Length, 4096);
                var flips = random.Next(1, 6);
                for (var flip = 0; flip < flips; flip++)
                {
                    bytes[4 + random.Next(header - 4)] ^= (byte)(1 << random.Next(8));
                }

                return (bytes, $"{flips} header bit flips");
            case 2:
                // Overwrite a header word with an extreme value (0, -1, 2^31 - 1, 2^31).
                var at = 4 + (random.Next((Math.Min(bytes.Length, 2048) - 8) / 4) * 4);
                var extreme = new[] { 0x00000000u, 0xFFFFFFFFu, 0x7FFFFFFFu, 0x80000000u }[random.Next(4)];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), extreme);
                return (bytes, $"word at {at} = {extreme:X8}");
            case 3:
                var writes = random.Next(1, 50);
                for (var write = 0; write < writes; write++)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                return (bytes, $"{writes} random bytes");
            default:
                var cut = random.Next(bytes.Length / 2, bytes.Length);
                var mutated = bytes[..cut];
                mutated[random.Next(Math.Min(cut, 1024))] ^= 0xFF;
                return (mutated, $"truncated to {cut} plus a header byte");
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzCollection
{
    public const string Name = "fuzz, alone";
}
