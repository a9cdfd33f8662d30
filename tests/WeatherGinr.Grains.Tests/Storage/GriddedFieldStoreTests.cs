using WeatherGinr.Grains.Storage;
using WeatherGinr.Ingest;

namespace WeatherGinr.Grains.Tests.Storage;

public sealed class GriddedFieldStoreTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("wginr-store-").FullName;

    private static GriddedField Sample() => new(
        ["a.nc", "b.nc"], "tas", WeatherQuantity.AirTemperature, "K",
        [-45.0, 45.0], [-90.0, 0.0, 90.0],
        [DateTimeOffset.Parse("2005-01-16T12:00:00Z"), DateTimeOffset.Parse("2005-02-15T00:00:00Z")],
        [1, 2, 3, 4, float.NaN, 6, 7, 8, 9, 10, 11, 12]);

    [Fact]
    public void RoundTripsEveryValueAndCoordinateBitForBit()
    {
        var path = Path.Combine(folder, "tas.field");
        var field = Sample();

        GriddedFieldStore.Write(path, field);
        var read = GriddedFieldStore.Read(path);

        Assert.Equal(field.SourceFiles, read.SourceFiles);
        Assert.Equal(field.Quantity, read.Quantity);
        Assert.Equal(field.LatitudesDegrees, read.LatitudesDegrees);
        Assert.Equal(field.LongitudesDegrees, read.LongitudesDegrees);
        Assert.Equal(field.TimesUtc, read.TimesUtc);
        Assert.Equal(
            field.Values.Select(BitConverter.SingleToInt32Bits), read.Values.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void DetectsAFlippedByteAndATruncation()
    {
        var path = Path.Combine(folder, "tas.field");
        GriddedFieldStore.Write(path, Sample());
        var bytes = File.ReadAllBytes(path);

        var flipped = (byte[])bytes.Clone();
        flipped[^40] ^= 0x10;
        File.WriteAllBytes(path, flipped);
        Assert.Throws<InvalidDataException>(() => GriddedFieldStore.Read(path));

        File.WriteAllBytes(path, bytes[..^7]);
        Assert.Throws<InvalidDataException>(() => GriddedFieldStore.Read(path));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
