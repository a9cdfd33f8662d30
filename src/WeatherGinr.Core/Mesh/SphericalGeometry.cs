using System.Runtime.CompilerServices;

namespace WeatherGinr.Core.Mesh;

/// <summary>Small exact formulas on the unit sphere, shared by the mesh builder and point location.</summary>
internal static class SphericalGeometry
{
    /// <summary>det(a, b, c) = a . (b x c) for points stored at offsets of a packed x,y,z array.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Determinant(ReadOnlySpan<double> positions, int a, int b, int c)
    {
        int ia = 3 * a, ib = 3 * b, ic = 3 * c;
        double bx = positions[ib], by = positions[ib + 1], bz = positions[ib + 2];
        double cx = positions[ic], cy = positions[ic + 1], cz = positions[ic + 2];
        return positions[ia] * (by * cz - bz * cy)
            + positions[ia + 1] * (bz * cx - bx * cz)
            + positions[ia + 2] * (bx * cy - by * cx);
    }

    /// <summary>Unit vector for a latitude and longitude; z points to the north pole, x to longitude 0.</summary>
    public static (double X, double Y, double Z) ToUnitVector(double latitudeDegrees, double longitudeDegrees)
    {
        double latitude = double.DegreesToRadians(latitudeDegrees);
        double longitude = double.DegreesToRadians(longitudeDegrees);
        (double sinLat, double cosLat) = Math.SinCos(latitude);
        (double sinLon, double cosLon) = Math.SinCos(longitude);
        return (cosLat * cosLon, cosLat * sinLon, sinLat);
    }

    /// <summary>Latitude in [-90, 90] and longitude in [-180, 180) of a unit vector.</summary>
    public static (double LatitudeDegrees, double LongitudeDegrees) ToLatitudeLongitude(double x, double y, double z)
    {
        // atan2 on both keeps full precision near the poles, where asin(z) loses digits.
        double latitude = double.RadiansToDegrees(Math.Atan2(z, Math.Sqrt(x * x + y * y)));
        double longitude = double.RadiansToDegrees(Math.Atan2(y, x));
        if (longitude >= 180.0)
        {
            longitude -= 360.0;
        }

        return (latitude, longitude);
    }

    /// <summary>
    /// Area of the spherical triangle (a, b, c) in steradians, Van Oosterom and Strackee (1983):
    /// tan(E / 2) = |a . (b x c)| / (1 + a.b + b.c + c.a).
    /// </summary>
    public static double TriangleArea(ReadOnlySpan<double> positions, int a, int b, int c)
    {
        double det = Math.Abs(Determinant(positions, a, b, c));
        double denominator = 1.0 + Dot(positions, a, b) + Dot(positions, b, c) + Dot(positions, c, a);
        return 2.0 * Math.Atan2(det, denominator);
    }

    /// <summary>Great-circle angle in radians: atan2(|a x b|, a . b), exact for tiny angles.</summary>
    public static double Angle(ReadOnlySpan<double> positions, int a, int b)
    {
        int ia = 3 * a, ib = 3 * b;
        double ax = positions[ia], ay = positions[ia + 1], az = positions[ia + 2];
        double bx = positions[ib], by = positions[ib + 1], bz = positions[ib + 2];
        double cx = ay * bz - az * by, cy = az * bx - ax * bz, cz = ax * by - ay * bx;
        return Math.Atan2(Math.Sqrt(cx * cx + cy * cy + cz * cz), ax * bx + ay * by + az * bz);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(ReadOnlySpan<double> positions, int a, int b)
    {
        int ia = 3 * a, ib = 3 * b;
        return positions[ia] * positions[ib] + positions[ia + 1] * positions[ib + 1]
            + positions[ia + 2] * positions[ib + 2];
    }
}
