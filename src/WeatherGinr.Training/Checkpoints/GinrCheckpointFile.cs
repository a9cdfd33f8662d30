using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WeatherGinr.Training;

/// <summary>
/// One checkpoint file: the magic "WGINRCKP", a format version, a length-prefixed UTF-8 JSON
/// <see cref="CheckpointHeader"/>, then each tensor's float32 values, little-endian, in header order.
/// Plain binary rather than TorchSharp's state-dict format, so the file describes itself and a reader
/// can check shapes before allocating anything.
/// </summary>
internal static class GinrCheckpointFile
{
    public const int CurrentFormatVersion = 1;

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
        var temporary = fullPath + ".partial";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: false))
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

        File.Move(temporary, fullPath, overwrite: true);
    }

    /// <summary>Reads the header only, checking the magic and version.</summary>
    public static CheckpointHeader ReadHeader(string path)
    {
        using var stream = OpenForRead(path);
        using var reader = new BinaryReader(stream);
        return ReadHeader(reader, path);
    }

    /// <summary>Reads the header and every tensor.</summary>
    public static (CheckpointHeader Header, float[][] Tensors) Read(string path)
    {
        using var stream = OpenForRead(path);
        using var reader = new BinaryReader(stream);
        var header = ReadHeader(reader, path);

        var remaining = stream.Length - stream.Position;
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

    private static CheckpointHeader ReadHeader(BinaryReader reader, string path)
    {
        var magic = reader.ReadBytes(Magic.Length);
        if (!magic.AsSpan().SequenceEqual(Magic))
        {
            throw new InvalidDataException($"'{path}' is not a WeatherGinr checkpoint (magic bytes differ).");
        }

        var version = reader.ReadInt32();
        if (version != CurrentFormatVersion)
        {
            throw new InvalidDataException(
                $"Checkpoint '{path}' has format version {version}; this build reads {CurrentFormatVersion}.");
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

        return header;
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
