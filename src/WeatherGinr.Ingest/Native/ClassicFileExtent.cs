using System.Buffers.Binary;

namespace WeatherGinr.Ingest.Native;

/// <summary>
/// Checks that a classic-family file (CDF-1, CDF-2, CDF-5) is as long as its header says.
/// libnetcdf trusts the header and, reading past the end of a truncated file, returns zeros as
/// if they were data; a careful reader must refuse the file instead. The header layout is the
/// "NetCDF Classic and 64-bit Offset Format" specification (and CDF-5, where every count is 8
/// bytes). The file is untrusted: every count is bounded by the file's length before use, except
/// dimension lengths and sizes, which are only multiplied (a truncated file declares more than it holds).
/// </summary>
internal static class ClassicFileExtent
{
    private const int DimensionTag = 0x0A;
    private const int VariableTag = 0x0B;
    private const int AttributeTag = 0x0C;
    private const uint Streaming = 0xFFFFFFFF;

    /// <summary>The start of the message for a file shorter than its own header says it is.</summary>
    internal const string Truncated = "looks truncated (not a complete netCDF file)";

    /// <summary>
    /// Null when the file is long enough (or is not classic), else the problem. A header that ends
    /// with the file is a truncation, not corruption: that is what a copy cut short looks like.
    /// </summary>
    internal static string? FindTruncation(string path)
    {
        try
        {
            return FindProblem(path);
        }
        catch (EndOfStreamException)
        {
            return $"{Truncated}: its header runs past the end of the file ({new FileInfo(path).Length} bytes)";
        }
    }

    private static string? FindProblem(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var reader = new HeaderReader(stream);
        Span<byte> magic = stackalloc byte[4];
        if (stream.Read(magic) != 4 || magic[0] != 'C' || magic[1] != 'D' || magic[2] != 'F')
        {
            return null;
        }

        var version = magic[3];
        if (version is not (1 or 2 or 5))
        {
            return null;
        }

        var wide = version == 5;
        var recordCountRaw = wide ? reader.Int64() : reader.UInt32();
        var streaming = !wide && recordCountRaw == Streaming;
        var recordCount = streaming ? 0 : recordCountRaw;

        // Dimensions: the record dimension is written with length 0.
        var dimensionLengths = new List<long>();
        var (dimensionTag, dimensionCount) = (reader.Int32(), reader.Count(wide));
        if (dimensionTag != 0 && dimensionTag != DimensionTag)
        {
            return "has a corrupt header (dimension list)";
        }

        for (long index = 0; index < dimensionCount; index++)
        {
            reader.SkipName(wide);
            dimensionLengths.Add(reader.Length(wide));
        }

        SkipAttributes(reader, wide);

        var (variableTag, variableCount) = (reader.Int32(), reader.Count(wide));
        if (variableTag != 0 && variableTag != VariableTag)
        {
            return "has a corrupt header (variable list)";
        }

        var fixedEnd = 0L;
        var recordSlices = new List<(long Begin, long SliceBytes)>();
        for (long index = 0; index < variableCount; index++)
        {
            reader.SkipName(wide);
            var rank = reader.Count(wide);
            var isRecord = false;
            var elements = 1.0;
            for (long axis = 0; axis < rank; axis++)
            {
                var dimensionId = reader.Count(wide);
                if (dimensionId >= dimensionLengths.Count)
                {
                    return "has a corrupt header (dimension id)";
                }

                var length = dimensionLengths[(int)dimensionId];
                if (axis == 0 && length == 0)
                {
                    isRecord = true;
                    continue;
                }

                elements *= length;
            }

            SkipAttributes(reader, wide);
            var typeSize = TypeSize(reader.Int32());
            reader.Length(wide); // vsize: unreliable for large variables, recomputed below.
            var begin = version == 1 ? reader.UInt32() : reader.Int64();
            var bytes = elements * typeSize;
            if (bytes > long.MaxValue / 4)
            {
                return $"declares a variable of {bytes} bytes";
            }

            if (isRecord)
            {
                recordSlices.Add((begin, (long)bytes));
            }
            else
            {
                fixedEnd = Math.Max(fixedEnd, begin + (long)bytes);
            }
        }

        // Record variables interleave: record r of variable v starts at begin_v + r * recsize,
        // recsize = sum of the slices, each padded to 4 bytes unless there is only one.
        var recordSize = recordSlices.Count == 1
            ? recordSlices[0].SliceBytes
            : recordSlices.Sum(slice => (slice.SliceBytes + 3) / 4 * 4);
        var recordEnd = recordCount == 0 ? 0 : recordSlices
            .Select(slice => slice.Begin + ((recordCount - 1) * (double)recordSize) + slice.SliceBytes)
            .DefaultIfEmpty(0)
            .Max();

        var required = Math.Max(fixedEnd, recordEnd);
        return required > stream.Length
            ? $"{Truncated}: its header places data up to byte {required:0} but the file has {stream.Length} bytes"
            : null;
    }

    private static void SkipAttributes(HeaderReader reader, bool wide)
    {
        var (tag, count) = (reader.Int32(), reader.Count(wide));
        if (tag != 0 && tag != AttributeTag)
        {
            throw new InvalidDataException("corrupt attribute list");
        }

        for (long index = 0; index < count; index++)
        {
            reader.SkipName(wide);
            var size = TypeSize(reader.Int32());
            var values = reader.Count(wide);
            reader.Skip(Padded(values * size));
        }
    }

    private static long Padded(long bytes) => (bytes + 3) / 4 * 4;

    private static int TypeSize(int type) => type switch
    {
        1 or 2 or 7 => 1,
        3 or 8 => 2,
        4 or 5 or 9 => 4,
        6 or 10 or 11 => 8,
        _ => throw new InvalidDataException($"unknown type {type}"),
    };

    /// <summary>Big-endian reads that never run past the end of the file.</summary>
    private sealed class HeaderReader(FileStream stream)
    {
        private readonly byte[] buffer = new byte[8];

        internal int Int32() => BinaryPrimitives.ReadInt32BigEndian(Read(4));

        internal long UInt32() => BinaryPrimitives.ReadUInt32BigEndian(Read(4));

        internal long Int64() => BinaryPrimitives.ReadInt64BigEndian(Read(8));

        /// <summary>A non-negative count (8 bytes in CDF-5), at most the file's length.</summary>
        internal long Count(bool wide)
        {
            var value = wide ? Int64() : UInt32();
            if (value < 0 || value > stream.Length)
            {
                throw new InvalidDataException("count larger than the file");
            }

            return value;
        }

        /// <summary>A non-negative dimension length or size; not bounded by the file (see the class).</summary>
        internal long Length(bool wide)
        {
            var value = wide ? Int64() : UInt32();
            return value >= 0 ? value : throw new InvalidDataException("negative length");
        }

        internal void SkipName(bool wide) => Skip(Padded(Count(wide)));

        internal void Skip(long bytes)
        {
            if (bytes < 0)
            {
                throw new InvalidDataException("negative size");
            }

            if (stream.Position + bytes > stream.Length)
            {
                throw new EndOfStreamException();
            }

            stream.Seek(bytes, SeekOrigin.Current);
        }

        private ReadOnlySpan<byte> Read(int count)
        {
            if (stream.ReadAtLeast(buffer.AsSpan(0, count), count, throwOnEndOfStream: false) != count)
            {
                throw new EndOfStreamException();
            }

            return buffer.AsSpan(0, count);
        }
    }
}
