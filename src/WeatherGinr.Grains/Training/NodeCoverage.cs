using System.Security.Cryptography;
using WeatherGinr.Core.Mesh;
using WeatherGinr.Grains.Storage;
using WeatherGinr.Ingest;

namespace WeatherGinr.Grains.Training;

/// <summary>
/// Which mesh nodes held a valid training value of each variable at any time, and the latitude-longitude box
/// each variable's source grid spans. A network answers everywhere, but over land an ocean-only field was never
/// observed, and outside a regional grid nothing was: values there are extrapolation, and the product reports
/// them as missing rather than as data.
/// </summary>
public sealed class NodeCoverage
{
    private const int HashLength = 32;
    private static readonly byte[] Magic = "WGCOVER2"u8.ToArray();

    private readonly bool[][] covered;
    private readonly GridExtent?[] extents;

    private NodeCoverage(bool[][] covered, GridExtent?[] extents)
    {
        this.covered = covered;
        this.extents = extents;
    }

    public int VariableCount => covered.Length;

    /// <summary>Coverage from training targets <c>[time, node, variable]</c>, NaN = missing.</summary>
    public static NodeCoverage FromTargets(float[] targets, int nodeCount, int variableCount,
        IReadOnlyList<GridExtent?>? extents = null)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var covered = Enumerable.Range(0, variableCount).Select(_ => new bool[nodeCount]).ToArray();
        for (var index = 0; index < targets.Length; index++)
        {
            if (float.IsFinite(targets[index]))
            {
                covered[index % variableCount][index / variableCount % nodeCount] = true;
            }
        }

        return new NodeCoverage(covered, extents?.ToArray() ?? new GridExtent?[variableCount]);
    }

    /// <summary>
    /// A point is covered when a corner of its containing triangle with a non-zero weight is covered, so coverage
    /// ends one triangle beyond the last observed node, as linear interpolation would; and, where the variable's
    /// source grid is known, when the point lies on that grid (its cells' outer edges). The second rule matters
    /// on coarse meshes: a triangle of level 3 is about 8 degrees across, far wider than a regional grid's margin.
    /// </summary>
    public bool Covers(PointLocation at, int variable, double latitudeDegrees, double longitudeDegrees) =>
        Covers(at, variable)
        && (extents[variable] is not { } box || box.Contains(latitudeDegrees, longitudeDegrees));

    /// <summary>The node rule alone (see the other overload).</summary>
    public bool Covers(PointLocation at, int variable)
    {
        var nodes = covered[variable];
        return (at.WeightA > 1e-9 && nodes[at.NodeA]) || (at.WeightB > 1e-9 && nodes[at.NodeB])
            || (at.WeightC > 1e-9 && nodes[at.NodeC]);
    }

    /// <summary>
    /// The magic "WGCOVER2", then one byte per node and variable, variable-major, after a small header; then each
    /// variable's grid box (a flag, then south, north, west and eastward span in degrees); then a SHA-256 of
    /// everything before it. Written beside the target and renamed. Files without the magic (earlier builds,
    /// no checksum, some without the boxes) still read, their lengths checked.
    /// </summary>
    public void Write(string path)
    {
        var content = new MemoryStream();
        using (var writer = new BinaryWriter(content, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(covered.Length);
            writer.Write(covered.Length == 0 ? 0 : covered[0].Length);
            foreach (var nodes in covered)
            {
                writer.Write(nodes.Select(c => (byte)(c ? 1 : 0)).ToArray());
            }

            foreach (var extent in extents)
            {
                writer.Write(extent is not null);
                writer.Write(extent?.SouthDegrees ?? 0);
                writer.Write(extent?.NorthDegrees ?? 0);
                writer.Write(extent?.WestDegrees ?? 0);
                writer.Write(extent?.EastwardSpanDegrees ?? 0);
            }
        }

        var bytes = content.ToArray();
        AtomicFile.Write(path, stream =>
        {
            stream.Write(bytes);
            stream.Write(SHA256.HashData(bytes));
        });
    }

    public static NodeCoverage Read(string path, int expectedNodeCount)
    {
        var bytes = File.ReadAllBytes(path);
        var checksummed = bytes.AsSpan().StartsWith(Magic);
        if (checksummed && (bytes.Length < Magic.Length + HashLength
            || !SHA256.HashData(bytes.AsSpan(0, bytes.Length - HashLength)).AsSpan()
                .SequenceEqual(bytes.AsSpan(bytes.Length - HashLength))))
        {
            throw new InvalidDataException(
                $"coverage file '{path}' does not match its checksum; it is corrupt or truncated");
        }

        var body = checksummed ? bytes.AsMemory(Magic.Length, bytes.Length - Magic.Length - HashLength) : bytes;
        try
        {
            return Parse(new BinaryReader(new MemoryStream(body.ToArray())), path, expectedNodeCount);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"coverage file '{path}' is truncated", e);
        }
    }

    private static NodeCoverage Parse(BinaryReader reader, string path, int expectedNodeCount)
    {
        var variables = reader.ReadInt32();
        var nodes = reader.ReadInt32();
        if (nodes != expectedNodeCount || variables is < 1 or > 1024)
        {
            throw new InvalidDataException(
                $"coverage file '{path}' describes {variables} variables on {nodes} nodes; " +
                $"the mesh has {expectedNodeCount}");
        }

        var covered = Enumerable.Range(0, variables).Select(_ => reader.ReadBytes(nodes)).ToArray();
        if (covered.Any(bytes => bytes.Length != nodes))
        {
            throw new EndOfStreamException();
        }

        var extents = new GridExtent?[variables];
        if (reader.BaseStream.Position < reader.BaseStream.Length) // written by a version that stores the boxes
        {
            for (var v = 0; v < variables; v++)
            {
                var known = reader.ReadBoolean();
                var box = new GridExtent(reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(),
                    reader.ReadDouble());
                extents[v] = known ? box : null;
            }
        }

        return new NodeCoverage(covered.Select(b => b.Select(x => x != 0).ToArray()).ToArray(), extents);
    }
}

/// <summary>
/// The box a latitude-longitude grid's cells span: latitudes south..north, longitudes from west going east over
/// <see cref="EastwardSpanDegrees"/> (360 for a grid that closes the circle; a box may cross the antimeridian).
/// </summary>
public sealed record GridExtent(double SouthDegrees, double NorthDegrees, double WestDegrees,
    double EastwardSpanDegrees)
{
    public bool Contains(double latitudeDegrees, double longitudeDegrees)
    {
        if (latitudeDegrees < SouthDegrees - Tolerance || latitudeDegrees > NorthDegrees + Tolerance)
        {
            return false;
        }

        // Every longitude is the same point at a pole, so a box that reaches the pole holds it at any longitude.
        if (EastwardSpanDegrees >= 360 || (NorthDegrees >= 90 && latitudeDegrees >= 90 - Tolerance)
            || (SouthDegrees <= -90 && latitudeDegrees <= -90 + Tolerance))
        {
            return true;
        }

        var east = (longitudeDegrees - WestDegrees) % 360;
        east = east < 0 ? east + 360 : east;
        return east <= EastwardSpanDegrees + Tolerance || east >= 360 - Tolerance;
    }

    private const double Tolerance = 1e-9;

    /// <summary>
    /// The outer edges of a grid's cells: half a spacing beyond its first and last rows and columns (none for a
    /// single row or column), latitudes clamped to the poles. Longitudes need not be in order or in one
    /// convention: the box is the circle less its widest gap between columns.
    /// </summary>
    public static GridExtent Of(GriddedField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var latitudes = field.LatitudesDegrees;
        var latitudeSpacing = latitudes.Length > 1
            ? Math.Abs(latitudes[^1] - latitudes[0]) / (latitudes.Length - 1)
            : 0;
        var (south, north) = (latitudes.Min() - (latitudeSpacing / 2), latitudes.Max() + (latitudeSpacing / 2));

        // A grid whose outermost row lies within a row spacing of a pole has no room for another row there: its
        // cells reach the pole (a Gaussian grid's last row is at 88.57, not 90; its models must answer at 90).
        south = latitudeSpacing > 0 && latitudes.Min() - latitudeSpacing <= -90 ? -90 : Math.Max(-90, south);
        north = latitudeSpacing > 0 && latitudes.Max() + latitudeSpacing >= 90 ? 90 : Math.Min(90, north);
        var longitudes = field.LongitudesDegrees.Select(l => ((l % 360) + 360) % 360).Order().ToArray();
        var gaps = longitudes.Select((l, i) => i + 1 < longitudes.Length ? longitudes[i + 1] - l
            : 360 - l + longitudes[0]).ToArray(); // gaps[i]: from column i east to the next
        var after = Array.IndexOf(gaps, gaps.Max());

        // The typical spacing among the gaps other than the widest (with two columns the widest is the rest of the
        // circle, and a median over both took it for the spacing: two columns 5 degrees apart "closed the circle").
        var others = gaps.Where((_, i) => i != after).Order().ToArray();
        var spacing = others.Length > 0 ? others[others.Length / 2] : 0;
        if (longitudes.Length > 1 && gaps[after] <= 1.5 * spacing)
        {
            return new GridExtent(south, north, -180, 360); // the columns close the circle
        }

        var west = longitudes[(after + 1) % longitudes.Length];
        var span = 360 - gaps[after];
        var longitudeHalfCell = longitudes.Length > 1 ? span / (longitudes.Length - 1) / 2 : 0;
        west = ((west - longitudeHalfCell + 180) % 360 + 360) % 360 - 180;
        return new GridExtent(south, north, west, Math.Min(360, span + (2 * longitudeHalfCell)));
    }
}
