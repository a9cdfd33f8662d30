using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using WeatherGinr.Core.Mesh;

namespace WeatherGinr.Core.Spectral;

/// <summary>
/// Spectral embeddings on disk, one file per content id (<see cref="SpectralEmbedding.Id"/>), each ending in a
/// SHA-256 of everything before it. A file that is missing, truncated, corrupted, for other parameters or with
/// impossible contents (unsorted or non-finite eigenvalues, clusters that do not add up) is recomputed and
/// replaced; files are written to a temporary name and renamed, so a reader never sees half a file.
/// </summary>
/// <remarks>
/// The file holds the solver's eigenvectors in double precision (scaled by sqrt(n)), so what is shared meets the
/// solver's contract: residual at most the tolerance times ||L||, orthonormal to 1e-10. Rounded to single
/// precision, as the networks read them (<see cref="SpectralEmbedding.Values"/>), they would not: float rounding
/// alone leaves relative residuals of about 2e-8. Format 1 stored single precision and is recomputed once.
/// </remarks>
/// <remarks>
/// Within one process, concurrent requests for the same embedding wait for a single computation. Across
/// processes two writers may both compute; the rename makes the last one win with identical content.
/// </remarks>
public sealed class EmbeddingCache
{
    private const string FileExtension = ".wgemb";
    private const int FormatVersion = 2;
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
                    Write(path, embedding, basis);
                    return embedding;
                }

                Write(path, embedding.TakeColumns(columns), basis);
                lock (Gates.GetOrAdd(PathFor(level, embedding.Columns), _ => new object()))
                {
                    Write(PathFor(level, embedding.Columns), embedding, basis);
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
        embedding = Read(level, columns, keepDoublePrecision: false, out _, out rejection);
        return embedding is not null;
    }

    /// <summary>
    /// The stored embedding in double precision, n x k row-major (<c>sqrt(n) u_j</c> in column j), as the solver
    /// returned it; null, with the reason, when the file is missing or not valid.
    /// </summary>
    public double[]? LoadDoublePrecisionValues(int level, int columns, out string? rejection)
    {
        Read(level, columns, keepDoublePrecision: true, out double[]? values, out rejection);
        return values;
    }

    private SpectralEmbedding? Read(
        int level, int columns, bool keepDoublePrecision, out double[]? doubleValues, out string? rejection)
    {
        doubleValues = null;
        string path = PathFor(level, columns);
        if (!File.Exists(path))
        {
            rejection = $"'{path}' does not exist.";
            return null;
        }

        try
        {
            // Two passes over the file (the second from the page cache): the checksum first, so that nothing of
            // a damaged file is interpreted; then the contents, streamed (a file may exceed an array's 2 GiB).
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            SpectralEmbedding? embedding = null;
            rejection = ChecksumProblem(stream) ?? Parse(
                stream, stream.Length - HashLength, level, columns, keepDoublePrecision, out embedding,
                out doubleValues);
            if (rejection is null)
            {
                return embedding;
            }
        }
        catch (IOException exception)
        {
            rejection = $"could not be read: {exception.Message}";
        }

        doubleValues = null;
        rejection = $"'{path}' is not a valid embedding: {rejection}";
        return null;
    }

    /// <summary>Null when the file ends in the SHA-256 of everything before it; leaves the stream at 0.</summary>
    private static string? ChecksumProblem(FileStream stream)
    {
        long payload = stream.Length - HashLength;
        if (payload < Magic.Length)
        {
            return "wrong magic or too short";
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        for (long left = payload; left > 0;)
        {
            int read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0)
            {
                return "checksum mismatch (corrupted or truncated)";
            }

            hash.AppendData(buffer, 0, read);
            left -= read;
        }

        var stored = new byte[HashLength];
        stream.ReadExactly(stored);
        stream.Position = 0;
        return hash.GetHashAndReset().AsSpan().SequenceEqual(stored)
            ? null
            : "checksum mismatch (corrupted or truncated)";
    }

    private static string? Parse(
        Stream stream, long payload, int level, int columns, bool keepDoublePrecision,
        out SpectralEmbedding? embedding, out double[]? doubleValues)
    {
        embedding = null;
        doubleValues = null;
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
        {
            return "wrong magic or too short";
        }

        int format = reader.ReadInt32();
        if (format != FormatVersion)
        {
            return format == 1
                ? $"written in format 1 (single precision); this version stores format {FormatVersion} "
                    + "(double precision)"
                : $"unknown format {format}";
        }

        string id = reader.ReadString();
        int storedLevel = reader.ReadInt32(), nodeCount = reader.ReadInt32(), storedColumns = reader.ReadInt32();
        if (id != SpectralEmbedding.ContentId(level, columns) || storedLevel != level
            || storedColumns != columns || nodeCount != Icosphere.NodeCountAt(level))
        {
            return $"header describes '{id}', not '{SpectralEmbedding.ContentId(level, columns)}'";
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

        long expected = stream.Position + 8L * columns + 8L * nodeCount * columns;
        if (expected != payload)
        {
            return $"payload has {payload} bytes; expected {expected}";
        }

        var eigenvalues = new double[columns];
        stream.ReadExactly(MemoryMarshal.AsBytes(eigenvalues.AsSpan()));
        if (ImpossibleSpectrum(eigenvalues, residual, clusters, clusterComplete, nodeCount) is { } impossible)
        {
            return impossible;
        }

        // Rows of doubles (little-endian, as written), rounded to single precision for the networks.
        var values = new float[nodeCount * columns];
        double[]? kept = keepDoublePrecision ? new double[values.Length] : null;
        var chunk = new double[Math.Min(values.Length, 1 << 16)];
        for (int start = 0; start < values.Length; start += chunk.Length)
        {
            Span<double> part = chunk.AsSpan(0, Math.Min(chunk.Length, values.Length - start));
            stream.ReadExactly(MemoryMarshal.AsBytes(part));
            for (int i = 0; i < part.Length; i++)
            {
                if (!double.IsFinite(part[i]))
                {
                    return $"value {part[i]} at node {(start + i) / columns}, column {(start + i) % columns}";
                }

                values[start + i] = (float)part[i];
            }

            if (kept is not null)
            {
                part.CopyTo(kept.AsSpan(start));
            }
        }

        doubleValues = kept;
        embedding = new SpectralEmbedding(
            level, nodeCount, columns, values, eigenvalues, residual, clusters, clusterComplete);
        return null;
    }

    /// <summary>
    /// What no solve can have produced, though the checksum matches (a file written by something else): a residual
    /// that is not a finite non-negative number, eigenvalues that are not finite, negative beyond rounding or not
    /// ascending, cluster sizes that are not positive or do not add up to k, a cluster boundary outside k..n.
    /// </summary>
    private static string? ImpossibleSpectrum(
        double[] eigenvalues, double residual, int[] clusters, int clusterComplete, int nodeCount)
    {
        if (!double.IsFinite(residual) || residual < 0)
        {
            return $"residual {residual} is not a finite non-negative number";
        }

        for (int j = 0; j < eigenvalues.Length; j++)
        {
            // L = D - A is positive semidefinite: its smallest eigenvalue is 0 up to rounding.
            if (!double.IsFinite(eigenvalues[j]) || eigenvalues[j] < -1e-9
                || (j > 0 && eigenvalues[j] < eigenvalues[j - 1]))
            {
                return $"eigenvalue {j} is {eigenvalues[j]}; they must be finite, non-negative and ascending";
            }
        }

        if (clusters.Any(size => size <= 0) || clusters.Sum() != eigenvalues.Length)
        {
            return $"cluster sizes [{string.Join(", ", clusters)}] do not add up to {eigenvalues.Length} columns";
        }

        return clusterComplete < eigenvalues.Length || clusterComplete > nodeCount
            ? $"cluster boundary {clusterComplete} lies outside {eigenvalues.Length}..{nodeCount}"
            : null;
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

    /// <summary>
    /// Writes <paramref name="embedding"/>'s header with the first <see cref="SpectralEmbedding.Columns"/> vectors
    /// of <paramref name="basis"/>, the double-precision eigenvectors it was made from, scaled by sqrt(n).
    /// </summary>
    private static void Write(string path, SpectralEmbedding embedding, LaplacianEigenbasis basis)
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
                    WriteScaledRows(writer, basis, embedding.Columns);
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

    /// <summary>Row i holds <c>sqrt(n) u_j[i]</c> for the first <paramref name="columns"/> vectors j.</summary>
    private static void WriteScaledRows(BinaryWriter writer, LaplacianEigenbasis basis, int columns)
    {
        int n = basis.NodeCount;
        double scale = Math.Sqrt(n);
        var row = new double[columns];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                row[j] = scale * basis.Vectors[(long)j * n + i];
            }

            writer.Write(MemoryMarshal.AsBytes(row.AsSpan()));
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
