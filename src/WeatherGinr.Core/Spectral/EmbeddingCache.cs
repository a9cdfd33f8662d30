using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using WeatherGinr.Core.Mesh;

namespace WeatherGinr.Core.Spectral;

/// <summary>
/// Spectral embeddings on disk, one file per content id (<see cref="SpectralEmbedding.Id"/>), each ending in a
/// SHA-256 of everything before it. A file that is missing, truncated, corrupted or for other parameters is
/// recomputed and replaced; files are written to a temporary name and renamed, so a reader never sees half
/// a file.
/// </summary>
/// <remarks>
/// Within one process, concurrent requests for the same embedding wait for a single computation. Across
/// processes two writers may both compute; the rename makes the last one win with identical content.
/// </remarks>
public sealed class EmbeddingCache
{
    private const string FileExtension = ".wgemb";
    private const int FormatVersion = 1;
    private const int HashLength = 32;
    private static readonly byte[] Magic = "WGINREMB"u8.ToArray();
    private static readonly ConcurrentDictionary<string, object> Gates = new(StringComparer.Ordinal);

    private readonly EigensolverOptions options;

    public EmbeddingCache(string folder)
        : this(folder, EigensolverOptions.Default)
    {
    }

    public EmbeddingCache(string folder, EigensolverOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(options);
        Folder = Path.GetFullPath(folder);
        this.options = options;
        try
        {
            Directory.CreateDirectory(Folder);
        }
        catch (IOException e) when (File.Exists(Folder))
        {
            throw new IOException($"the embedding cache '{Folder}' is a file, not a folder; move it away or choose "
                + "another data folder", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException($"cannot create the embedding cache folder '{Folder}': permission denied", e);
        }
    }

    /// <summary>The cache folder (absolute).</summary>
    public string Folder { get; }

    /// <summary>
    /// Told, before the recomputation, why a file that exists was not used ("'...wgemb' is not a valid embedding:
    /// checksum mismatch (corrupted or truncated)"), so a caller can say so rather than only "computed".
    /// </summary>
    public Action<string>? InvalidFileReplaced { get; init; }

    /// <summary>File of an embedding: <c>{folder}/{content id}.wgemb</c>.</summary>
    public string PathFor(int level, int columns)
        => Path.Combine(Folder, SpectralEmbedding.ContentId(level, columns) + FileExtension);

    /// <summary>
    /// Loads the embedding of a level and column count, or computes, stores and returns it;
    /// <paramref name="fromCache"/> says which (true when a valid file was read).
    /// </summary>
    public SpectralEmbedding GetOrCreate(
        int level, int columns, out bool fromCache, IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
        => GetOrCreate(level, columns, roundUpToClusterBoundary: false, out fromCache, progress, cancellationToken);

    /// <summary>
    /// As <see cref="GetOrCreate(int, int, out bool, IProgress{double}?, CancellationToken)"/>; with
    /// <paramref name="roundUpToClusterBoundary"/>, a column count that cuts a degenerate eigenvalue cluster is
    /// raised to the end of that cluster (the result's <see cref="SpectralEmbedding.Columns"/> says to what).
    /// </summary>
    /// <remarks>
    /// A rounded solve stores both files: the rounded embedding, and the requested count as its prefix (which
    /// records where its cluster ends), so a later request for either count is answered from disk.
    /// </remarks>
    public SpectralEmbedding GetOrCreate(
        int level, int columns, bool roundUpToClusterBoundary, out bool fromCache, IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, Icosphere.MaxLevel);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);

        string path = PathFor(level, columns);
        int rounded;
        lock (Gates.GetOrAdd(path, _ => new object()))
        {
            if (TryLoad(level, columns, out SpectralEmbedding? cached, out string? rejection))
            {
                if (!roundUpToClusterBoundary || !cached.CutsCluster)
                {
                    fromCache = true;
                    return cached;
                }

                rounded = cached.ClusterCompleteCount;
            }
            else
            {
                // A solve may take minutes: find out first that its result can be stored.
                EnsureWritable(path);
                if (File.Exists(path))
                {
                    InvalidFileReplaced?.Invoke($"{rejection}; computing it again");
                }

                EigensolverOptions solverOptions = options with { RoundUpToClusterBoundary = roundUpToClusterBoundary };
                Icosphere mesh = Icosphere.Create(level);
                LaplacianEigenbasis basis = LaplacianEigensolver.Solve(
                    mesh, columns, solverOptions, progress, cancellationToken);
                SpectralEmbedding embedding = SpectralEmbedding.FromEigenbasis(level, basis);
                fromCache = false;
                if (embedding.Columns == columns)
                {
                    Write(path, embedding);
                    return embedding;
                }

                Write(path, embedding.TakeColumns(columns));
                lock (Gates.GetOrAdd(PathFor(level, embedding.Columns), _ => new object()))
                {
                    Write(PathFor(level, embedding.Columns), embedding);
                }

                return embedding;
            }
        }

        // The requested count is on disk and cuts a cluster: the rounded count is an ordinary request.
        return GetOrCreate(level, rounded, roundUpToClusterBoundary: false, out fromCache, progress, cancellationToken);
    }

    /// <summary>
    /// Reads a cached embedding if its file exists and is intact; otherwise says why not.
    /// </summary>
    public bool TryLoad(
        int level, int columns, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SpectralEmbedding? embedding,
        out string? rejection)
    {
        embedding = null;
        string path = PathFor(level, columns);
        if (!File.Exists(path))
        {
            rejection = $"'{path}' does not exist.";
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException exception)
        {
            rejection = $"'{path}' could not be read: {exception.Message}";
            return false;
        }

        rejection = Parse(bytes, level, columns, out embedding);
        if (rejection is not null)
        {
            rejection = $"'{path}' is not a valid embedding: {rejection}";
        }

        return rejection is null;
    }

    private static string? Parse(byte[] bytes, int level, int columns, out SpectralEmbedding? embedding)
    {
        embedding = null;
        if (bytes.Length < Magic.Length + HashLength || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            return "wrong magic or too short";
        }

        int payload = bytes.Length - HashLength;
        if (!SHA256.HashData(bytes.AsSpan(0, payload)).AsSpan().SequenceEqual(bytes.AsSpan(payload)))
        {
            return "checksum mismatch (corrupted or truncated)";
        }

        using var reader = new BinaryReader(new MemoryStream(bytes, 0, payload), Encoding.UTF8);
        reader.ReadBytes(Magic.Length);
        int format = reader.ReadInt32();
        string id = reader.ReadString();
        int storedLevel = reader.ReadInt32(), nodeCount = reader.ReadInt32(), storedColumns = reader.ReadInt32();
        if (format != FormatVersion || id != SpectralEmbedding.ContentId(level, columns) || storedLevel != level
            || storedColumns != columns || nodeCount != Icosphere.NodeCountAt(level))
        {
            return $"header describes '{id}' (format {format}), not '{SpectralEmbedding.ContentId(level, columns)}'";
        }

        double residual = reader.ReadDouble();
        int clusterComplete = reader.ReadInt32();
        int clusterCount = reader.ReadInt32();
        if (clusterCount < 0 || clusterCount > columns)
        {
            return $"cluster count {clusterCount} out of range";
        }

        var clusters = new int[clusterCount];
        for (int i = 0; i < clusterCount; i++)
        {
            clusters[i] = reader.ReadInt32();
        }

        long expected = reader.BaseStream.Position + 8L * columns + 4L * nodeCount * columns;
        if (expected != payload)
        {
            return $"payload has {payload} bytes; expected {expected}";
        }

        var eigenvalues = new double[columns];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(eigenvalues.AsSpan()));
        var values = new float[nodeCount * columns];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        embedding = new SpectralEmbedding(
            level, nodeCount, columns, values, eigenvalues, residual, clusters, clusterComplete);
        return null;
    }

    /// <summary>
    /// Throws an <see cref="IOException"/> that says why, when an embedding could not be stored at
    /// <paramref name="path"/>: a folder in its place, or a cache folder this process cannot write to (probed by
    /// creating and deleting a temporary file, as <see cref="Write"/> would).
    /// </summary>
    private void EnsureWritable(string path)
    {
        if (Directory.Exists(path))
        {
            throw new IOException($"'{path}' is a folder where the embedding file belongs; move it away and run again; "
                + "nothing was computed");
        }

        string probe = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
            }

            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string reason = e is UnauthorizedAccessException ? "permission denied" : e.Message;
            throw new IOException($"cannot store embeddings in '{Folder}': {reason}; nothing was computed", e);
        }
    }

    private static void Write(string path, SpectralEmbedding embedding)
    {
        string temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                using (var writer = new BinaryWriter(new HashingStream(stream, hash), Encoding.UTF8, leaveOpen: true))
                {
                    writer.Write(Magic);
                    writer.Write(FormatVersion);
                    writer.Write(embedding.Id);
                    writer.Write(embedding.Level);
                    writer.Write(embedding.NodeCount);
                    writer.Write(embedding.Columns);
                    writer.Write(embedding.MaxRelativeResidual);
                    writer.Write(embedding.ClusterCompleteCount);
                    writer.Write(embedding.ClusterSizes.Count);
                    foreach (int size in embedding.ClusterSizes)
                    {
                        writer.Write(size);
                    }

                    writer.Write(MemoryMarshal.AsBytes(embedding.Eigenvalues.AsSpan()));
                    writer.Write(MemoryMarshal.AsBytes(embedding.Values.AsSpan()));
                }

                stream.Write(hash.GetHashAndReset());
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Write-through stream that feeds every byte to a hash.</summary>
    private sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            inner.Write(buffer);
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
