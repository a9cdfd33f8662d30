namespace WeatherGinr.Ingest.Reading;

/// <summary>
/// Joins the pieces of one quantity that came from several files (time split across files,
/// or the same field repeated) into one <see cref="GriddedField"/> ordered by time. Grids must
/// agree; a time present twice must hold the same values (then it is kept once).
/// </summary>
internal static class FieldMerger
{
    private const double GridToleranceDegrees = 1e-4;

    /// <param name="pieces">One quantity's pieces; never used again after the merge.</param>
    /// <param name="workspace">
    /// Lends the merged values when they must be copied (several pieces, or steps dropped or reordered);
    /// the pieces' own buffers stay the caller's to hand back.
    /// </param>
    /// <param name="maxValues">The most values the merged field may hold (tests lower it).</param>
    internal static GriddedField Merge(IReadOnlyList<FileField> pieces, IngestWorkspace? workspace = null,
        long maxValues = FieldDecoder.MaxValuesPerField)
    {
        var first = pieces[0];
        foreach (var piece in pieces.Skip(1))
        {
            if (!SameAxis(first.LatitudesDegrees, piece.LatitudesDegrees)
                || !SameAxis(first.LongitudesDegrees, piece.LongitudesDegrees))
            {
                throw new IngestException(piece.Path, piece.VariableName,
                    $"has a {piece.LatitudesDegrees.Length}x{piece.LongitudesDegrees.Length} grid that differs from "
                    + $"the {first.LatitudesDegrees.Length}x{first.LongitudesDegrees.Length} grid of "
                    + $"'{first.VariableName}' in '{first.Path}'; {first.Quantity} cannot be combined across them");
            }
        }

        var stepSize = first.LatitudesDegrees.Length * first.LongitudesDegrees.Length;
        var steps = pieces
            .SelectMany(piece => piece.TimesUtc.Select((time, index) => (Time: time, Piece: piece, Index: index)))
            .OrderBy(step => step.Time)
            .ToList();

        var kept = new List<(DateTimeOffset Time, FileField Piece, int Index)>(steps.Count);
        foreach (var step in steps)
        {
            if (kept.Count > 0 && kept[^1].Time == step.Time)
            {
                var previous = kept[^1];
                if (!SameValues(previous.Piece.Values.AsSpan(previous.Index * stepSize, stepSize),
                    step.Piece.Values.AsSpan(step.Index * stepSize, stepSize)))
                {
                    throw new IngestException(step.Piece.Path, step.Piece.VariableName,
                        ReferenceEquals(previous.Piece, step.Piece)
                            ? $"has two steps at {step.Time:O} (indices {previous.Index} and {step.Index} of its " +
                              "time axis) with different values"
                            : $"has a step at {step.Time:O} that '{previous.Piece.Path}' also has, with different " +
                              "values");
                }

                continue;
            }

            kept.Add(step);
        }

        // Each file is held to the per-field limit when it is decoded; the variable they make together is too
        // (two 150 KB files of mostly fill values on an 8192 x 8192 grid made a 1.3 GB field).
        if ((long)kept.Count * stepSize > maxValues)
        {
            throw new IngestException(pieces[^1].Path, pieces[^1].VariableName,
                $"would make '{first.VariableName}' hold {kept.Count} steps of {first.LatitudesDegrees.Length} x "
                + $"{first.LongitudesDegrees.Length} values with the {pieces.Count - 1} other file(s) of it, more than "
                + $"the limit of {maxValues} per field; start another dataset for more steps");
        }

        // Every step of a copy is written below, so a lent buffer's old contents never show.
        var values = IsOnePieceInOrder(pieces, kept) ? first.Values
            : workspace?.Rent(kept.Count * stepSize) ?? new float[kept.Count * stepSize];
        for (var index = 0; values != first.Values && index < kept.Count; index++)
        {
            var (_, piece, sourceIndex) = kept[index];
            piece.Values.AsSpan(sourceIndex * stepSize, stepSize).CopyTo(values.AsSpan(index * stepSize));
        }

        // Files that name the quantity differently ("t.2m" in one, "t_2m" in the next) make one variable under the
        // first file's name; joining the names ("t.2m,t_2m") gave a name no user wrote.
        return new GriddedField(
            kept.Select(s => s.Piece.Path).Distinct(StringComparer.Ordinal).ToArray(),
            first.VariableName,
            first.Quantity,
            Cf.QuantityCatalog.CanonicalUnits(first.Quantity),
            first.LatitudesDegrees,
            first.LongitudesDegrees,
            kept.Select(s => s.Time).ToArray(),
            values)
        {
            SourceUnits = first.SourceUnits,
            UnitsInferred = pieces.Any(p => p.UnitsInferred),
        };
    }

    /// <summary>
    /// One file whose steps are kept all, in the file's order (the common case): its values already are the
    /// field's, so they are taken as they are instead of copied (a piece is never used after the merge).
    /// </summary>
    private static bool IsOnePieceInOrder(IReadOnlyList<FileField> pieces,
        List<(DateTimeOffset Time, FileField Piece, int Index)> kept)
    {
        if (pieces.Count != 1 || kept.Count != pieces[0].TimesUtc.Length)
        {
            return false;
        }

        for (var index = 0; index < kept.Count; index++)
        {
            if (kept[index].Index != index)
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameAxis(double[] left, double[] right)
    {
        if (left.Length != right.Length)
        {
            return false;
        }

        for (var index = 0; index < left.Length; index++)
        {
            if (Math.Abs(left[index] - right[index]) > GridToleranceDegrees)
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameValues(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        for (var index = 0; index < left.Length; index++)
        {
            var bothMissing = float.IsNaN(left[index]) && float.IsNaN(right[index]);
            if (!bothMissing && left[index] != right[index])
            {
                return false;
            }
        }

        return true;
    }
}
