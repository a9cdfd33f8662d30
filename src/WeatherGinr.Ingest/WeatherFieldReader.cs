using WeatherGinr.Ingest.Cf;
using WeatherGinr.Ingest.Native;
using WeatherGinr.Ingest.Reading;

namespace WeatherGinr.Ingest;

/// <summary>
/// Reads wind, temperature and cloud fields from NetCDF files (classic, 64-bit offset, CDF5,
/// netCDF-4) through libnetcdf, decodes them by the CF conventions and returns them in canonical
/// units on an ascending latitude / [-180, 180) longitude grid.
/// </summary>
/// <remarks>
/// <para>Recognition: CF standard_name first (eastward_wind, northward_wind, air_temperature,
/// cloud_area_fraction); a variable without a standard_name by its name (u10/uas/UWND/u/10u,
/// v10/vas/VWND/v/10v, t2m/tas/TREFHT/AIRT/AT/air/2t, tcc/CLD/clt/cldtot/tcdc, case-insensitive).
/// Two equally good candidates for one quantity in a file are an error, never a guess.</para>
/// <para>Units: winds m s-1, m/s, knots, km/h; temperature K, degC, degF; cloud 1/fraction, %,
/// okta. Other units are an error naming the units found and accepted. A variable with no units
/// gets them from its values only when the range is conclusive (temperature 150..350 is K,
/// winds within +-150 are m s-1, cloud 0..1 is a fraction, cloud with maximum above 1 and at most
/// 100 is percent); <see cref="GriddedField.UnitsInferred"/> then says so.</para>
/// <para>Time: see the calendar and year-0 rules of the CF time decoder (documented on
/// <see cref="GriddedField.TimesUtc"/> and in the README): labels of noleap/julian calendars are
/// kept, 360_day months are stretched onto real months, year 0 is moved to year 4. A variable
/// with no time coordinate is one step at <see cref="DateTimeOffset.UnixEpoch"/>.</para>
/// <para>Thread safety: safe to call from several threads; calls into libnetcdf are
/// serialised by one process-wide lock.</para>
/// </remarks>
public static class WeatherFieldReader
{
    /// <summary>
    /// Reads every file, recognises wind/temperature/cloud variables, converts them to canonical
    /// units and combines the same quantity across files by time. The result has one field per
    /// quantity found, in <see cref="WeatherQuantity"/> order.
    /// </summary>
    /// <exception cref="IngestException">
    /// A file is missing, not NetCDF, truncated, has no recognisable variable, has unknown units,
    /// or the files disagree (different grids, the same time with different values).
    /// </exception>
    public static IReadOnlyList<GriddedField> ReadWeatherFields(IReadOnlyList<string> paths) =>
        ReadWeatherFields(paths, workspace: null);

    /// <summary>
    /// As <see cref="ReadWeatherFields(IReadOnlyList{string})"/>, the values of every field lent by
    /// <paramref name="workspace"/> (when given): an ingest worker reading file after file on one grid then
    /// reuses the same memory. Hand the fields back with
    /// <see cref="IngestWorkspace.Return(IEnumerable{GriddedField})"/> once nothing holds their values; until
    /// then nothing else overwrites them. Same values as without a workspace. On an exception, whatever was
    /// lent for this call has been handed back already.
    /// </summary>
    /// <exception cref="IngestException">As <see cref="ReadWeatherFields(IReadOnlyList{string})"/>.</exception>
    public static IReadOnlyList<GriddedField> ReadWeatherFields(IReadOnlyList<string> paths,
        IngestWorkspace? workspace)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentOutOfRangeException.ThrowIfZero(paths.Count, nameof(paths));

        var pieces = new List<FileField>();
        var fields = new List<GriddedField>();
        try
        {
            foreach (var path in paths)
            {
                ArgumentException.ThrowIfNullOrWhiteSpace(path, nameof(paths));
                pieces.AddRange(ReadFile(path, workspace));
            }

            foreach (var group in pieces.GroupBy(piece => piece.Quantity).OrderBy(group => group.Key))
            {
                fields.Add(FieldMerger.Merge(group.ToList(), workspace));
            }
        }
        catch when (workspace is not null)
        {
            // Pieces and fields so far, each buffer once (a field may hold its only piece's buffer).
            ReturnAll(workspace, pieces.Select(p => p.Values).Concat(fields.Select(f => f.Values)));
            throw;
        }

        // A piece copied into a merged field is done with; one taken as its field's values stays lent.
        if (workspace is not null)
        {
            var kept = fields.Select(f => f.Values);
            ReturnAll(workspace,
                pieces.Select(p => p.Values).Except<float[]>(kept, ReferenceEqualityComparer.Instance));
        }

        return fields;
    }

    /// <summary>Every recognised quantity of one file.</summary>
    internal static IReadOnlyList<FileField> ReadFile(string path, IngestWorkspace? workspace = null)
    {
        using var file = NetCdfFile.Open(path);
        var chosen = ChooseVariables(file);
        if (chosen.Count == 0)
        {
            var names = file.Variables.Where(v => v.Rank >= 2).Select(v => v.QualifiedName).ToList();
            throw new IngestException(path, null,
                "has no recognisable wind, temperature or cloud variable "
                + $"(variables of 2 or more dimensions: {(names.Count == 0 ? "none" : string.Join(", ", names))}); "
                + "expected standard_name eastward_wind, northward_wind, air_temperature or cloud_area_fraction, "
                + "or a common name such as u10, v10, t2m, tas, tcc");
        }

        var decoded = new List<FileField>(chosen.Count);
        try
        {
            foreach (var (quantity, variable) in chosen)
            {
                decoded.Add(FieldDecoder.Decode(file, variable, quantity, workspace));
            }
        }
        catch when (workspace is not null)
        {
            ReturnAll(workspace, decoded.Select(d => d.Values));
            throw;
        }

        return decoded;
    }

    /// <summary>Hands each distinct buffer back once.</summary>
    private static void ReturnAll(IngestWorkspace workspace, IEnumerable<float[]> buffers)
    {
        foreach (var buffer in buffers.Distinct<float[]>(ReferenceEqualityComparer.Instance))
        {
            workspace.Return(buffer);
        }
    }

    /// <summary>
    /// The variable for each quantity: the best-ranked (standard_name over name) among those on a
    /// lat-lon grid; a tie is an error. Coordinate and bounds variables are never candidates.
    /// </summary>
    internal static List<(WeatherQuantity Quantity, NetCdfVariable Variable)> ChooseVariables(NetCdfFile file)
    {
        var chosen = new List<(WeatherQuantity, NetCdfVariable)>();
        var candidates = file.Variables
            .Where(v => v.Rank >= 2 && v.Type.IsNumeric())
            .Select(v => (Variable: v, Match: QuantityCatalog.Recognise(v)))
            .Where(c => c.Match is not null)
            .GroupBy(c => c.Match!.Value.Quantity);

        foreach (var group in candidates.OrderBy(g => g.Key))
        {
            var onGrid = group.Where(c => VariableLayout.HasLatLonGrid(file, c.Variable)).ToList();
            var pool = onGrid.Count > 0 ? onGrid : group.ToList();
            var bestRank = pool.Min(c => c.Match!.Value.Rank);
            var best = pool.Where(c => c.Match!.Value.Rank == bestRank).ToList();
            if (best.Count > 1)
            {
                throw new IngestException(file.Path, null, AmbiguityProblem(group.Key, bestRank,
                    best.Select(c => c.Variable).ToList()));
            }

            chosen.Add((group.Key, best[0].Variable));
        }

        return chosen;
    }

    /// <summary>
    /// One sentence for two or more equally good candidates: what they are, why each qualifies, and the two
    /// ways out (remove the extra ones, or mark the one to read by its standard_name).
    /// </summary>
    private static string AmbiguityProblem(WeatherQuantity quantity, int rank, List<NetCdfVariable> candidates)
    {
        var standardName = QuantityCatalog.StandardName(quantity);
        var how = rank == 0 ? $"by standard_name '{standardName}'" : "by their names";
        var names = string.Join(", ", candidates.Select(v => $"'{v.QualifiedName}'"));
        return $"has {candidates.Count} variables that could each be {quantity} (all recognised {how}): {names}. "
            + "Refusing to guess which one to read: keep only one of them in the file, or "
            + (rank == 0
                ? $"remove standard_name '{standardName}' from all but the one to read."
                : $"give the one to read the attribute standard_name = \"{standardName}\".");
    }
}
