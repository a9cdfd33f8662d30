using System.Buffers.Binary;

namespace WeatherGinr.Ingest.Native;

/// <summary>
/// Checks that a netCDF-4 (HDF5) file is as long as its superblock says. HDF5 refuses a file shorter
/// than the superblock's end-of-file address, and libnetcdf passes that on as "NetCDF: HDF error", which
/// does not tell a reader that the copy was cut short. The superblock layout (versions 0 to 3) is the
/// "HDF5 File Format Specification", section II.A; all addresses are little-endian and relative to the
/// base address.
/// </summary>
internal static class Hdf5FileExtent
{
    private static readonly byte[] Signature = [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Null when the file is long enough (or is not HDF5), else the problem.</summary>
    internal static string? FindTruncation(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        if (FindSignature(stream) is not { } signatureAt)
        {
            return null;
        }

        // Version 0/1: 8 fixed bytes before the address sizes, then 4 (v0) or 8 (v1) more before the
        // base address, followed by the free-space address and the end-of-file address.
        // Version 2/3: the address sizes and one flags byte, then base, extension and end-of-file address.
        Span<byte> header = stackalloc byte[16];
        stream.Position = signatureAt + Signature.Length;
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) != header.Length)
        {
            return EndsInsideSuperblock(stream.Length);
        }

        var version = header[0];
        var (offsetSize, skippedBeforeBase, addressesBeforeEnd) = version switch
        {
            0 => (header[5], 16, 1),
            1 => (header[5], 20, 1),
            2 or 3 => (header[1], 4, 1),
            _ => (0, 0, 0),
        };
        if (offsetSize is not (2 or 4 or 8))
        {
            return null;
        }

        // Base address, then addressesBeforeEnd addresses, then the end-of-file address.
        Span<byte> addresses = stackalloc byte[8 * 3];
        var needed = offsetSize * (2 + addressesBeforeEnd);
        stream.Position = signatureAt + Signature.Length + skippedBeforeBase;
        if (stream.ReadAtLeast(addresses[..needed], needed, throwOnEndOfStream: false) != needed)
        {
            return EndsInsideSuperblock(stream.Length);
        }

        var baseAddress = Address(addresses[..offsetSize]);
        var endOfFile = Address(addresses.Slice(offsetSize * (1 + addressesBeforeEnd), offsetSize));
        var required = (decimal)baseAddress + endOfFile;
        return required > stream.Length
            ? $"{ClassicFileExtent.Truncated}: its HDF5 superblock places the end of the file at byte {required} " +
              $"but the file has {stream.Length} bytes"
            : null;
    }

    private static string EndsInsideSuperblock(long lengthBytes) =>
        $"{ClassicFileExtent.Truncated}: the file ends inside its HDF5 superblock ({lengthBytes} bytes)";

    /// <summary>
    /// The superblock is at byte 0, or after a user block at 512, 1024, 2048, ... bytes.
    /// </summary>
    private static long? FindSignature(FileStream stream)
    {
        Span<byte> candidate = stackalloc byte[8];
        for (long at = 0; at + candidate.Length <= stream.Length; at = at == 0 ? 512 : at * 2)
        {
            stream.Position = at;
            if (stream.ReadAtLeast(candidate, candidate.Length, throwOnEndOfStream: false) == candidate.Length
                && candidate.SequenceEqual(Signature))
            {
                return at;
            }
        }

        return null;
    }

    /// <summary>An unsigned little-endian address of 2, 4 or 8 bytes ("undefined" is all ones).</summary>
    private static ulong Address(ReadOnlySpan<byte> bytes) => bytes.Length switch
    {
        2 => BinaryPrimitives.ReadUInt16LittleEndian(bytes),
        4 => BinaryPrimitives.ReadUInt32LittleEndian(bytes),
        _ => BinaryPrimitives.ReadUInt64LittleEndian(bytes),
    };
}
