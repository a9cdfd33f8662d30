using WeatherGinr.Core.Mesh;

namespace WeatherGinr.Cli.Experiments;

/// <summary>
/// A smooth signal known in closed form at every point of the unit sphere, so that a finer mesh has
/// exact truth at every node: <c>f(x, y, z) = 2 x y + z^2 - x/2 + sin(3 z) + cos(2 x + y)</c>.
/// </summary>
public static class SmoothSphereSignal
{
    public static double At(double x, double y, double z) =>
        (2 * x * y) + (z * z) - (0.5 * x) + Math.Sin(3 * z) + Math.Cos((2 * x) + y);

    /// <summary>The signal at every node of a mesh.</summary>
    public static float[] OnNodes(Icosphere mesh)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        var p = mesh.Positions;
        return Enumerable.Range(0, mesh.NodeCount)
            .Select(i => (float)At(p[3 * i], p[(3 * i) + 1], p[(3 * i) + 2]))
            .ToArray();
    }
}
