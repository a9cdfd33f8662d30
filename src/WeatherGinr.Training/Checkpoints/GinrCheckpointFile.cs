using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WeatherGinr.Training;

/// <summary>
/// One checkpoint file: the magic "WGINRCKP", a format version, a length-prefixed UTF-8 JSON
/// <see cref="CheckpointHeader"/>, then each tensor's float32 values, little-endian, in header order, and
/// (format 2) a SHA-256 of everything before it. Plain binary rather than TorchSharp's state-dict format, so the
/// file describes itself and a reader can check shapes before allocating anything.
/// </summary>
/// <remarks>
/// Format 1 files, without the checksum, still read: their lengths are checked, but a flipped bit in a weight
/// is not found (a tester's flip of three bytes was served as 4.1e37 m/s of wind).
/// </remarks>
internal static class GinrCheckpointFile
{
    public const int CurrentFormatVersion = 2;

    private const int HashLength = 32;

    private const int MaxHeaderBytes = 16 << 20;
    private static readonly byte[] Magic = "WGINRCKP"u8.ToArray();

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = false,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Writes atomically: a temporary file beside the target, then a rename.</summary>
    public static void Write(string path, CheckpointHeader header, IReadOnlyList<float[]> tensorValues)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (header.Tensors.Count != tensorValues.Count)
        {
            throw new ArgumentException(
                $"{header.Tensors.Count} tensors declared but {tensorValues.Count} given.", nameof(tensorValues));
        }

        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var temporary = $"{fullPath}.{Guid.NewGuid():N}.partial";
        try
        {
            // Checkpoints are megabytes: assembled in memory, so the checksum is one call over the bytes.
            var content = new MemoryStream();
            using (var writer = new BinaryWriter(content, Encoding.UTF8, leaveOpen: true))
            {
                var json = JsonSerializer.SerializeToUtf8Bytes(header, JsonOptions);
                writer.Write(Magic);
                writer.Write(CurrentFormatVersion);
                writer.Write(json.Length);
                writer.Write(json);
                for (var index = 0; index < tensorValues.Count; index++)
                {
                    if (tensorValues[index].LongLength != header.Tensors[index].ElementCount)
                    {
                        throw new ArgumentException(
                            $"Tensor '{header.Tensors[index].Name}' has {tensorValues[index].LongLength} values; " +
                            $"its shape needs {header.Tensors[index].ElementCount}.", nameof(tensorValues));
                    }

                    WriteFloats(writer, tensorValues[index]);
                }
            }

            var bytes = content.GetBuffer().AsSpan(0, (int)content.Length);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Write(SHA256.HashData(bytes));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Reads the header only, checking the magic and version.</summary>
    public static CheckpointHeader ReadHeader(string path)
    {
        using var stream = OpenForRead(path);
        using var reader = new BinaryReader(stream);
        return ReadHeader(reader, path).Header;
    }

    /// <summary>True when the bytes after <paramref name="end"/> are the SHA-256 of those before it.</summary>
    private static bool Checksummed(Stream stream, long end)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        for (var left = end; left > 0;)
        {
            var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0)
            {
                return false;
            }

            hash.AppendData(buffer, 0, read);
            left -= read;
        }

        var stored = new byte[HashLength];
        return stream.Read(stored) == HashLength && hash.GetHashAndReset().AsSpan().SequenceEqual(stored);
    }

    /// <summary>Reads the header and every tensor, after checking the checksum (format 2).</summary>
    public static (CheckpointHeader Header, float[][] Tensors) Read(string path)
    {
        using var stream = OpenForRead(path);
        using var reader = new BinaryReader(stream);
        var (header, version) = ReadHeader(reader, path);
        var end = stream.Length;
        if (version >= 2)
        {
            end -= HashLength;
            var position = stream.Position;
            stream.Position = 0;
            if (end < position || !Checksummed(stream, end))
            {
                throw new InvalidDataException(
                    $"Checkpoint '{path}' does not match its checksum; the file is corrupt or truncated.");
            }

            stream.Position = position;
        }

        var remaining = end - stream.Position;
        var declared = header.Tensors.Sum(tensor => tensor.ElementCount) * sizeof(float);
        if (declared != remaining)
        {
            throw new InvalidDataException(
                $"Checkpoint '{path}' declares {declared} bytes of tensors but holds {remaining}; " +
                "the file is truncated or corrupt.");
        }

        var tensors = new float[header.Tensors.Count][];
        for (var index = 0; index < tensors.Length; index++)
        {
            tensors[index] = ReadFloats(reader, header.Tensors[index].ElementCount);
        }

        return (header, tensors);
    }

    private static FileStream OpenForRead(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Checkpoint '{path}' does not exist.", path);
        }

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    private static (CheckpointHeader Header, int Version) ReadHeader(BinaryReader reader, string path)
    {
        var magic = reader.ReadBytes(Magic.Length);
        if (!magic.AsSpan().SequenceEqual(Magic))
        {
            throw new InvalidDataException($"'{path}' is not a WeatherGinr checkpoint (magic bytes differ).");
        }

        var version = reader.ReadInt32();
        if (version is < 1 or > CurrentFormatVersion)
        {
            throw new InvalidDataException(
                $"Checkpoint '{path}' has format version {version}; this build reads 1 to {CurrentFormatVersion}.");
        }

        var length = reader.ReadInt32();
        if (length <= 0 || length > MaxHeaderBytes || length > reader.BaseStream.Length - reader.BaseStream.Position)
        {
            throw new InvalidDataException($"Checkpoint '{path}' has an invalid header length {length}.");
        }

        var header = JsonSerializer.Deserialize<CheckpointHeader>(reader.ReadBytes(length), JsonOptions)
            ?? throw new InvalidDataException($"Checkpoint '{path}' has an empty header.");
        if (header.Tensors.Any(tensor => tensor.Shape.Any(size => size < 0)))
        {
            throw new InvalidDataException($"Checkpoint '{path}' declares a tensor with a negative size.");
        }

        return (header, version);
    }

    private static void WriteFloats(BinaryWriter writer, float[] values)
    {
        if (BitConverter.IsLittleEndian)
        {
            writer.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            return;
        }

        Span<byte> buffer = stackalloc byte[sizeof(float)];
        foreach (var value in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(buffer, value);
            writer.Write(buffer);
        }
    }

    private static float[] ReadFloats(BinaryReader reader, long count)
    {
        var values = new float[count];
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        reader.BaseStream.ReadExactly(bytes);
        if (!BitConverter.IsLittleEndian)
        {
            for (var index = 0; index < values.Length; index++)
            {
                values[index] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(index * sizeof(float)));
            }
        }

        return values;
    }
}
