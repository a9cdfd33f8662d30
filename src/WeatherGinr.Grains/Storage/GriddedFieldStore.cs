using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using WeatherGinr.Ingest;

namespace WeatherGinr.Grains.Storage;

/// <summary>
/// Stores one decoded <see cref="GriddedField"/> as a single file: a magic tag, a JSON header with the
/// grid and times, the float32 values, and a SHA-256 of all that precedes it. A truncated or altered
/// file is refused on read rather than half-used.
/// </summary>
public static class GriddedFieldStore
{
    private static readonly byte[] Magic = "WGFIELD1"u8.ToArray();

    private sealed record Header(
        IReadOnlyList<string> SourceFiles,
        string VariableName,
        WeatherQuantity Quantity,
        string CanonicalUnits,
        double[] LatitudesDegrees,
        double[] LongitudesDegrees,
        long[] TimesUnixMilliseconds);

    public static void Write(string path, GriddedField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var header = new Header(
            field.SourceFiles, field.VariableName, field.Quantity, field.CanonicalUnits,
            field.LatitudesDegrees, field.LongitudesDegrees,
            field.TimesUtc.Select(t => t.ToUnixTimeMilliseconds()).ToArray());
        var headerBytes = JsonSerializer.SerializeToUtf8Bytes(header, AtomicFile.Json);

        AtomicFile.Write(path, stream =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            void Put(ReadOnlySpan<byte> bytes)
            {
                stream.Write(bytes);
                hash.AppendData(bytes);
            }

            Put(Magic);
            Put(BitConverter.GetBytes(headerBytes.Length));
            Put(headerBytes);
            Put(MemoryMarshal.AsBytes(field.Values.AsSpan()));
            stream.Write(hash.GetHashAndReset());
        });
    }

    public static GriddedField Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        const int HashLength = 32;
        if (bytes.Length < Magic.Length + 4 + HashLength || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"'{path}' is not a stored field (bad magic or too short)");
        }

        var body = bytes.AsSpan(0, bytes.Length - HashLength);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashLength)))
        {
            throw new InvalidDataException($"stored field '{path}' fails its checksum: truncated or altered");
        }

        var headerLength = BitConverter.ToInt32(bytes, Magic.Length);
        var headerStart = Magic.Length + 4;
        var header = JsonSerializer.Deserialize<Header>(bytes.AsSpan(headerStart, headerLength), AtomicFile.Json)
            ?? throw new InvalidDataException($"stored field '{path}' has an empty header");
        var values = MemoryMarshal.Cast<byte, float>(body[(headerStart + headerLength)..]).ToArray();

        var expected = (long)header.TimesUnixMilliseconds.Length * header.LatitudesDegrees.Length
            * header.LongitudesDegrees.Length;
        if (values.Length != expected)
        {
            throw new InvalidDataException(
                $"stored field '{path}' holds {values.Length} values; its grid needs {expected}");
        }

        return new GriddedField(
            header.SourceFiles, header.VariableName, header.Quantity, header.CanonicalUnits,
            header.LatitudesDegrees, header.LongitudesDegrees,
            header.TimesUnixMilliseconds.Select(DateTimeOffset.FromUnixTimeMilliseconds).ToArray(), values);
    }
}
