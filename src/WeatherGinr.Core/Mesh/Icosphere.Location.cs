namespace WeatherGinr.Core.Mesh;

public sealed partial class Icosphere
{
    private readonly double[] level0FaceCentres;

    /// <summary>
    /// Finds the triangle that contains a point and the point's barycentric weights in it.
    /// </summary>
    /// <param name="latitudeDegrees">Latitude in [-90, 90].</param>
    /// <param name="longitudeDegrees">Any finite longitude; 180 and -180 are the same meridian.</param>
    /// <remarks>
    /// Descends the subdivision tree: the level-0 face whose centre is nearest (exact for a regular
    /// polyhedron), then at each level the child whose great-circle edges enclose the point, three
    /// determinants per level. Points on an edge or at a node belong to one of the touching triangles, with
    /// weight 0 on the far node(s). Safe to call from many threads.
    /// </remarks>
    public PointLocation Locate(double latitudeDegrees, double longitudeDegrees)
    {
        if (!double.IsFinite(latitudeDegrees) || latitudeDegrees < -90.0 || latitudeDegrees > 90.0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(latitudeDegrees), latitudeDegrees, "Latitude must be a finite number of degrees in [-90, 90].");
        }

        if (!double.IsFinite(longitudeDegrees))
        {
            throw new ArgumentOutOfRangeException(
                nameof(longitudeDegrees), longitudeDegrees, "Longitude must be a finite number of degrees.");
        }

        (double px, double py, double pz) = SphericalGeometry.ToUnitVector(latitudeDegrees, longitudeDegrees);
        return Locate(px, py, pz);
    }

    /// <summary>Point location for a unit vector (x, y, z); see <see cref="Locate(double, double)"/>.</summary>
    internal PointLocation Locate(double px, double py, double pz)
    {
        ReadOnlySpan<double> positions = Positions;
        ReadOnlySpan<double> centres = level0FaceCentres;

        // A ray from the centre leaves a convex polyhedron whose faces are all at the same distance through
        // the face with the largest p . n: that face's spherical image contains p.
        int triangle = 0;
        double best = double.NegativeInfinity;
        for (int f = 0; f < 20; f++)
        {
            double dot = px * centres[3 * f] + py * centres[3 * f + 1] + pz * centres[3 * f + 2];
            if (dot > best)
            {
                best = dot;
                triangle = f;
            }
        }

        for (int level = 1; level <= Level; level++)
        {
            // The centre child (m_ab, m_bc, m_ca) is bounded by three great circles; each one cuts off one
            // corner child. det(m_ab, m_bc, a) = det(a, b, c) > 0, so the corners at a and c lie on the
            // positive side of the circle through m_ab, m_bc and only corner b on the negative side. The most
            // negative side therefore names the corner; ties within rounding go to either neighbour.
            ReadOnlySpan<int> children = levelTriangles[level].AsSpan(12 * triangle, 12);
            int mab = children[9], mbc = children[10], mca = children[11];
            double sideA = Det(positions, mca, mab, px, py, pz);
            double sideB = Det(positions, mab, mbc, px, py, pz);
            double sideC = Det(positions, mbc, mca, px, py, pz);

            int child = 3;
            double lowest = 0.0;
            if (sideA < lowest)
            {
                lowest = sideA;
                child = 0;
            }

            if (sideB < lowest)
            {
                lowest = sideB;
                child = 1;
            }

            if (sideC < lowest)
            {
                child = 2;
            }

            triangle = 4 * triangle + child;
        }

        int[] triangles = levelTriangles[Level];
        int na = triangles[3 * triangle], nb = triangles[3 * triangle + 1], nc = triangles[3 * triangle + 2];

        // Cramer's rule for p = alpha a + beta b + gamma c (up to the common factor det(a, b, c)):
        // alpha = det(p, b, c), beta = det(a, p, c) = det(p, c, a), gamma = det(a, b, p) = det(p, a, b).
        double alpha = Math.Max(0.0, Det(positions, nb, nc, px, py, pz));
        double beta = Math.Max(0.0, Det(positions, nc, na, px, py, pz));
        double gamma = Math.Max(0.0, Det(positions, na, nb, px, py, pz));
        double sum = alpha + beta + gamma;
        return new PointLocation(triangle, na, nb, nc, alpha / sum, beta / sum, gamma / sum);
    }

    /// <summary>det(u, v, p) = p . (u x v): positive when p is left of the great circle from u to v.</summary>
    private static double Det(ReadOnlySpan<double> positions, int u, int v, double px, double py, double pz)
    {
        int iu = 3 * u, iv = 3 * v;
        double ux = positions[iu], uy = positions[iu + 1], uz = positions[iu + 2];
        double vx = positions[iv], vy = positions[iv + 1], vz = positions[iv + 2];
        return px * (uy * vz - uz * vy) + py * (uz * vx - ux * vz) + pz * (ux * vy - uy * vx);
    }

    private static double[] ComputeFaceCentres(double[] positions, int[] faces)
    {
        var centres = new double[faces.Length];
        for (int f = 0; f < faces.Length / 3; f++)
        {
            double x = 0, y = 0, z = 0;
            for (int corner = 0; corner < 3; corner++)
            {
                int node = faces[3 * f + corner];
                x += positions[3 * node];
                y += positions[3 * node + 1];
                z += positions[3 * node + 2];
            }

            double inverseNorm = 1.0 / Math.Sqrt(x * x + y * y + z * z);
            centres[3 * f] = x * inverseNorm;
            centres[3 * f + 1] = y * inverseNorm;
            centres[3 * f + 2] = z * inverseNorm;
        }

        return centres;
    }
}
