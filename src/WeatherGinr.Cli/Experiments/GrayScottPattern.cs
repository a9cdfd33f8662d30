using WeatherGinr.Core.Mesh;
using WeatherGinr.Core.Spectral;

namespace WeatherGinr.Cli.Experiments;

/// <summary>
/// A Gray-Scott reaction-diffusion pattern simulated on an icosphere's graph (the paper fits such a
/// pattern on a mesh). Explicit Euler steps of
/// <c>du/dt = -Du L u - u v^2 + F (1 - u)</c>, <c>dv/dt = -Dv L v + u v^2 - (F + k) v</c>, with the
/// combinatorial Laplacian L = D - A standing for minus the Laplace operator in edge units.
/// </summary>
/// <remarks>
/// Pearson's (1993) spot-forming regime F = 0.035, k = 0.065 at Du = 0.16, Dv = 0.08, dt = 1: stable,
/// since dt Du lambda_max &lt;= 0.16 x 9 &lt; 2 on a triangulated sphere (lambda_max about 9). Patterns are
/// about ten edges across, so a finer level holds more of them.
/// </remarks>
public static class GrayScottPattern
{
    public const double DiffusionU = 0.16;
    public const double DiffusionV = 0.08;
    public const double Feed = 0.035;
    public const double Kill = 0.065;

    /// <summary>The concentration v after <paramref name="iterations"/> steps from seeded patches.</summary>
    public static float[] Simulate(Icosphere mesh, int iterations, int seed = 7)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        var n = mesh.NodeCount;
        var laplacian = GraphLaplacian.Combinatorial(mesh);
        var u = new double[n];
        var v = new double[n];
        Array.Fill(u, 1.0);

        // Seeds: caps of radius 3 edges around random nodes, u = 1/2 and v = 1/4 inside (Pearson's start).
        var random = new Random(seed);
        var capRadians = 3 * mesh.MeanEdgeLengthDegrees * Math.PI / 180;
        var seeds = Math.Max(3, n / 400);
        for (var s = 0; s < seeds; s++)
        {
            var centre = random.Next(n);
            for (var i = 0; i < n; i++)
            {
                if (Angle(mesh.Positions, centre, i) <= capRadians)
                {
                    u[i] = 0.5;
                    v[i] = 0.25;
                }
            }
        }

        var lu = new double[n];
        var lv = new double[n];
        for (var step = 0; step < iterations; step++)
        {
            laplacian.Multiply(u, lu);
            laplacian.Multiply(v, lv);
            for (var i = 0; i < n; i++)
            {
                var reaction = u[i] * v[i] * v[i];
                u[i] += (-DiffusionU * lu[i]) - reaction + (Feed * (1 - u[i]));
                v[i] += (-DiffusionV * lv[i]) + reaction - ((Feed + Kill) * v[i]);
            }
        }

        return v.Select(value => (float)value).ToArray();
    }

    private static double Angle(double[] positions, int a, int b)
    {
        var dot = (positions[3 * a] * positions[3 * b]) + (positions[(3 * a) + 1] * positions[(3 * b) + 1])
            + (positions[(3 * a) + 2] * positions[(3 * b) + 2]);
        return Math.Acos(Math.Clamp(dot, -1, 1));
    }
}
