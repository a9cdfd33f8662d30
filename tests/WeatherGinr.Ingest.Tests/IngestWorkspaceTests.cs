using WeatherGinr.Ingest.Tests.TestSupport;

namespace WeatherGinr.Ingest.Tests;

/// <summary>
/// An ingest workspace lends buffers from file to file: a file read into the buffer another file used
/// has exactly the values of a plain read, a field not handed back is never written over, whatever a
/// failed read borrowed comes back, and only what was lent is taken back.
/// </summary>
public sealed class IngestWorkspaceTests
{
    private static readonly string Temperature = SampleData.PathOf("tas_rectilinear_grid_2D.nc");

    private static readonly string EastwardWind = SampleData.PathOf("uas_rectilinear_grid_2D.nc");

    private static string TemperatureFile(string name, string times, double offset, string units = "K") =>
        CdlFile.Create(name, SmallGrid.Cdl(
            $"float tas(time, lat, lon) ; tas:units = \"{units}\" ;", $"tas = {SmallGrid.Sequence(offset)} ;",
            timeData: $"time = {times} ;"));

    [Fact]
    public void AFileReadIntoTheBufferOfTheFileBeforeHasExactlyThePlainValues()
    {
        var workspace = new IngestWorkspace();
        var plainWind = Assert.Single(WeatherFieldReader.ReadWeatherFields([EastwardWind]));
        var temperature = Assert.Single(WeatherFieldReader.ReadWeatherFields([Temperature], workspace));
        var buffer = temperature.Values;
        workspace.Return([temperature]);

        // Both are 12 x 96 x 192: the wind goes into the buffer that still holds the temperatures.
        var wind = Assert.Single(WeatherFieldReader.ReadWeatherFields([EastwardWind], workspace));

        Assert.Same(buffer, wind.Values);
        Assert.Equal(plainWind.Values, wind.Values);
        Assert.Equal(plainWind.TimesUtc, wind.TimesUtc);
        Assert.Equal("uas", wind.VariableName);
    }

    [Fact]
    public void AFieldNotHandedBackKeepsItsValuesWhileTheNextFileIsRead()
    {
        var workspace = new IngestWorkspace();
        var plainTemperature = Assert.Single(WeatherFieldReader.ReadWeatherFields([Temperature]));
        var temperature = Assert.Single(WeatherFieldReader.ReadWeatherFields([Temperature], workspace));
        var spare = workspace.Rent(temperature.Values.Length);
        workspace.Return(spare);

        var wind = Assert.Single(WeatherFieldReader.ReadWeatherFields([EastwardWind], workspace));

        // The wind took the idle buffer of the same length, never the one the temperature still holds.
        Assert.Same(spare, wind.Values);
        Assert.NotSame(temperature.Values, wind.Values);
        Assert.Equal(plainTemperature.Values, temperature.Values);
    }

    [Fact]
    public void FilesJoinedByTimeGiveThePlainValuesAndHandTheirPiecesBack()
    {
        var later = TemperatureFile("workspace_later", "12, 18", 200);
        var earlier = TemperatureFile("workspace_earlier", "0, 6", 200);
        var plain = Assert.Single(WeatherFieldReader.ReadWeatherFields([later, earlier]));
        var workspace = new IngestWorkspace();

        var joined = Assert.Single(WeatherFieldReader.ReadWeatherFields([later, earlier], workspace));

        // Two pieces of 2 x 3 x 4 values were copied into the joined 4-step field and are idle again.
        Assert.Equal(plain.Values, joined.Values);
        Assert.Equal(plain.TimesUtc, joined.TimesUtc);
        Assert.Equal(2 * 24 * sizeof(float), workspace.IdleBytes);
        workspace.Return([joined]);
        Assert.Equal(4 * 24 * sizeof(float), workspace.IdleBytes);
    }

    [Fact]
    public void WhatAFailedReadBorrowedIsBackWhenItThrows()
    {
        var first = TemperatureFile("workspace_overlap_a", "0, 6", 200);
        var second = TemperatureFile("workspace_overlap_b", "6, 12", 201);
        var furlongs = TemperatureFile("workspace_furlongs", "0, 6", 200, units: "furlongs");
        var workspace = new IngestWorkspace();

        // Both files were decoded before the join found hour 6 twice with different values.
        Assert.Throws<IngestException>(() => WeatherFieldReader.ReadWeatherFields([first, second], workspace));
        Assert.Equal(2 * 24 * sizeof(float), workspace.IdleBytes);

        // The units are refused after the values were read into one of those buffers, which comes back.
        var error = Assert.Throws<IngestException>(() => WeatherFieldReader.ReadWeatherFields([furlongs], workspace));
        Assert.Contains("furlongs", error.Message, StringComparison.Ordinal);
        Assert.Equal(2 * 24 * sizeof(float), workspace.IdleBytes);

        // A missing second file: the first file's field comes back.
        Assert.Throws<IngestException>(() =>
            WeatherFieldReader.ReadWeatherFields([first, CdlFile.TempPath("workspace_missing.nc")], workspace));
        Assert.Equal(2 * 24 * sizeof(float), workspace.IdleBytes);
    }

    [Fact]
    public void OnlyWhatWasLentAndNotYetReturnedIsTakenBack()
    {
        var workspace = new IngestWorkspace();
        var lent = workspace.Rent(16);
        workspace.Return(lent);

        var twice = Assert.Throws<InvalidOperationException>(() => workspace.Return(lent));
        var foreign = Assert.Throws<InvalidOperationException>(() => workspace.Return(new float[16]));

        Assert.Contains("did not lend it", twice.Message, StringComparison.Ordinal);
        Assert.Contains("16 values", foreign.Message, StringComparison.Ordinal);
        Assert.Equal(16 * sizeof(float), workspace.IdleBytes);
    }

    [Fact]
    public void IdleBuffersAreKeptUpToTheLimitLongestIdleLetGoFirst()
    {
        var workspace = new IngestWorkspace(maxIdleBytes: 100 * sizeof(float));
        var (first, second, third) = (workspace.Rent(40), workspace.Rent(50), workspace.Rent(30));
        var tooLarge = workspace.Rent(101);

        workspace.Return(tooLarge);
        Assert.Equal(0, workspace.IdleBytes);
        workspace.Return(first);
        workspace.Return(second);
        workspace.Return(third);

        // 40 + 50 + 30 values exceed 100: the 40, idle longest, was let go.
        Assert.Equal(80 * sizeof(float), workspace.IdleBytes);
        Assert.Same(second, workspace.Rent(50));
        Assert.Same(third, workspace.Rent(30));
        Assert.NotSame(first, workspace.Rent(40));
    }

    [Fact]
    public void EverySampleFileReadIntoBuffersFullOfOldValuesEqualsThePlainRead()
    {
        foreach (string path in SampleData.AllFiles())
        {
            IReadOnlyList<GriddedField> plain;
            try
            {
                plain = WeatherFieldReader.ReadWeatherFields([path]);
            }
            catch (IngestException)
            {
                continue; // files the plain path refuses are tested elsewhere
            }

            // Lend, fill with a value no file holds, and take back buffers of every length the read will ask
            // for: the pooled read must write every element of every buffer it is lent.
            var workspace = new IngestWorkspace(1L << 31);
            foreach (int length in plain.Select(field => field.Values.Length).Distinct())
            {
                var stale = Enumerable.Range(0, 4).Select(_ => workspace.Rent(length)).ToList();
                foreach (float[] buffer in stale)
                {
                    Array.Fill(buffer, 12345.678f);
                    workspace.Return(buffer);
                }
            }

            IReadOnlyList<GriddedField> pooled = WeatherFieldReader.ReadWeatherFields([path], workspace);
            Assert.Equal(plain.Count, pooled.Count);
            for (int i = 0; i < plain.Count; i++)
            {
                Assert.True(
                    System.Runtime.InteropServices.MemoryMarshal.AsBytes(plain[i].Values.AsSpan()).SequenceEqual(
                        System.Runtime.InteropServices.MemoryMarshal.AsBytes(pooled[i].Values.AsSpan())),
                    $"{Path.GetFileName(path)}, '{plain[i].VariableName}': pooled values differ from the plain read");
            }
        }
    }
}
