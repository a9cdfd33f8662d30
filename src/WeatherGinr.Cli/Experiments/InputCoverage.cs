using WeatherGinr.Core.Mesh;
using WeatherGinr.Grains.Training;
using WeatherGinr.Ingest;

namespace WeatherGinr.Cli.Experiments;

/// <summary>
/// Refuses an experiment's real input before any training when its grid reaches too few mesh nodes: a grid of
/// one point, or a regional one narrower than the mesh's spacing, regrids to NaN almost everywhere, and the
/// trainer then failed with its own parameter name ("samples.Targets holds no valid value"). Worded as the
/// demo's training job words it (<see cref="TrainingInputException"/>), with the file named as well.
/// </summary>
internal static class InputCoverage
{
    /// <summary>How many of <paramref name="nodeValues"/> hold a value.</summary>
    public static int Reached(ReadOnlySpan<float> nodeValues)
    {
        var count = 0;
        foreach (var value in nodeValues)
        {
            if (float.IsFinite(value))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Throws unless at least one of <paramref name="nodeValues"/> holds a value.</summary>
    /// <exception cref="TrainingInputException">No node holds one.</exception>
    public static void RequireSome(string path, GriddedField field, Icosphere mesh, ReadOnlySpan<float> nodeValues,
        bool quick)
    {
        if (Reached(nodeValues) == 0)
        {
            throw Refusal(path, field, mesh, reachedNodes: 0, shortfall: null, quick);
        }
    }

    /// <summary>
    /// The refusal: "{path}: variable 'tas' on its 1 x 1 grid reaches none of the 642 nodes of mesh level 3 ...".
    /// </summary>
    /// <param name="path">The input file.</param>
    /// <param name="field">Its variable.</param>
    /// <param name="mesh">The experiment's mesh.</param>
    /// <param name="reachedNodes">Nodes that hold a value; 0 says "none".</param>
    /// <param name="shortfall">Why the nodes reached are still too few (null when none is reached), e.g. "none
    /// of them has all its neighbours inside the grid, which L f needs".</param>
    /// <param name="quick">With <c>--quick</c> the mesh is coarser than the full size's, which the hint says.</param>
    public static TrainingInputException Refusal(string path, GriddedField field, Icosphere mesh, int reachedNodes,
        string? shortfall, bool quick)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(mesh);
        var reach = reachedNodes == 0
            ? $"reaches none of the {mesh.NodeCount:N0} nodes"
            : $"reaches only {reachedNodes:N0} of the {mesh.NodeCount:N0} nodes";
        var why = shortfall is null ? "" : $", and {shortfall}";
        var finer = quick ? " (without --quick the mesh is finer)" : "";
        return new TrainingInputException(
            $"{path}: variable '{field.VariableName}' on its {field.LatitudeCount} x {field.LongitudeCount} grid " +
            $"{reach} of mesh level {mesh.Level} (a node takes its value from the grid cells around it, about " +
            $"{mesh.MeanEdgeLengthDegrees:0.#} degrees apart at this level){why}: there is nothing to learn; give a " +
            $"grid that spans several mesh spacings{finer}");
    }
}
