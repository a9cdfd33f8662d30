namespace WeatherGinr.Ingest;

/// <summary>
/// Puts one time step of a <see cref="GriddedField"/> onto arbitrary points (icosphere nodes).
/// </summary>
/// <remarks>
/// <para><b>Bilinear</b> (the default): with the target between rows phi0 &lt;= phi &lt;= phi1 and
/// columns lambda0 &lt;= lambda &lt;= lambda1, a = (phi - phi0) / (phi1 - phi0), b = (lambda - lambda0) /
/// (lambda1 - lambda0), f = (1-a)(1-b) f00 + (1-a) b f01 + a (1-b) f10 + a b f11. Corners that are
/// missing (NaN) are dropped and the remaining weights renormalised; a point whose valid corners
/// have zero total weight is NaN. The error for a smooth field is at most
/// (h_phi^2 |f_phi phi| + h_lambda^2 |f_lambda lambda|) / 8 (h in radians).</para>
/// <para><b>Longitude</b> is periodic when the grid closes the circle (a global grid, including
/// files whose longitudes run 0..360 or 20..380); for a regional grid a point outside its columns,
/// or across a gap wider than 1.5 spacings, is NaN.</para>
/// <para><b>Poles</b>: for a global grid whose rows stop short of +-90 (Gaussian grids,
/// cell-centred grids), the cap poleward of the last row is interpolated linearly in latitude
/// between that row and a pole value, the mean of the last row's valid values (the only value
/// that is the same from every longitude, so the result is continuous at the pole). Grids that
/// are not global, or whose last row is more than 1.5 row spacings from the pole, give NaN there.</para>
/// <para><b>Area averaging</b>: when <c>targetSpacingDegrees</c> (the distance between
/// neighbouring targets) is given and wider than the grid spacing, each target gets the
/// area-weighted mean of the valid grid cells whose centres lie within its region, a spherical
/// cap of angular radius r = s * sqrt(sqrt(3) / (2 pi)) ~= 0.525 s, the cap with the area of
/// a hexagonal cell of spacing s. Cell weights are the cell areas, proportional to
/// sin(phi_north edge) - sin(phi_south edge) (cos phi for uniform rows), so no sub-grid detail
/// aliases into the result. A target whose cap holds no cell centre falls back to bilinear; one
/// whose cells are all missing is NaN.</para>
/// </remarks>
public static class LatLonRegridder
{
    private const double DegreesToRadians = Math.PI / 180.0;

    /// <summary>
    /// Values of one time step of <paramref name="field"/> at target points, NaN where no valid
    /// data is near. Targets are in degrees; longitudes in any range.
    /// </summary>
    public static float[] Regrid(GriddedField field, int timeIndex, ReadOnlySpan<double> targetLatitudesDegrees,
        ReadOnlySpan<double> targetLongitudesDegrees, double? targetSpacingDegrees = null)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentOutOfRangeException.ThrowIfNegative(timeIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(timeIndex, field.TimeCount);
        if (targetLatitudesDegrees.Length != targetLongitudesDegrees.Length)
        {
            throw new ArgumentException(
                $"{targetLatitudesDegrees.Length} target latitudes but {targetLongitudesDegrees.Length} longitudes",
                nameof(targetLongitudesDegrees));
        }

        if (targetSpacingDegrees is { } spacingCheck && !(spacingCheck > 0 && spacingCheck <= 180))
        {
            throw new ArgumentOutOfRangeException(nameof(targetSpacingDegrees), spacingCheck,
                "the spacing between targets must be in (0, 180] degrees");
        }

        var grid = new RegridGrid(field, timeIndex);
        var result = new float[targetLatitudesDegrees.Length];
        var average = targetSpacingDegrees is { } spacing && spacing > grid.SpacingDegrees;
        var capRadiusDegrees = average ? targetSpacingDegrees!.Value * Math.Sqrt(Math.Sqrt(3) / (2 * Math.PI)) : 0;
        for (var index = 0; index < result.Length; index++)
        {
            var latitude = targetLatitudesDegrees[index];
            var longitude = targetLongitudesDegrees[index];
            if (!double.IsFinite(latitude) || !double.IsFinite(longitude) || Math.Abs(latitude) > 90)
            {
                result[index] = float.NaN;
                continue;
            }

            double value;
            if (!average || !grid.TryAreaAverage(latitude, longitude, capRadiusDegrees, out value))
            {
                value = grid.Bilinear(latitude, longitude);
            }

            result[index] = (float)value;
        }

        return result;
    }

    /// <summary>
    /// True when <see cref="Regrid"/> with this target spacing takes area-weighted means (the targets are
    /// farther apart than the grid's cells); false when it interpolates bilinearly, giving exactly the values
    /// of <see cref="PlanBilinear"/>.
    /// </summary>
    public static bool AveragesOverAreas(GriddedField field, double targetSpacingDegrees)
    {
        ArgumentNullException.ThrowIfNull(field);
        return targetSpacingDegrees > LatLonGeometry.GridSpacingDegrees(field.LatitudesDegrees,
            field.LongitudesDegrees);
    }

    /// <summary>
    /// The bilinear mapping from <paramref name="field"/>'s grid to the targets, computed once; apply it
    /// to any step of any field on the same grid. Same values as <see cref="Regrid"/> without a spacing.
    /// </summary>
    public static BilinearRegridPlan PlanBilinear(GriddedField field, ReadOnlySpan<double> targetLatitudesDegrees,
        ReadOnlySpan<double> targetLongitudesDegrees)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (targetLatitudesDegrees.Length != targetLongitudesDegrees.Length)
        {
            throw new ArgumentException(
                $"{targetLatitudesDegrees.Length} target latitudes but {targetLongitudesDegrees.Length} longitudes",
                nameof(targetLongitudesDegrees));
        }

        return new BilinearRegridPlan(field, targetLatitudesDegrees, targetLongitudesDegrees);
    }

    /// <summary>One time step with the geometry the interpolation needs.</summary>
    internal sealed class RegridGrid
    {
        private readonly double[] latitudes;
        private readonly double[] longitudes;
        private readonly ReadOnlyMemory<float> values;
        private readonly bool periodic;
        private readonly double maxLongitudeGap;
        private readonly double northPoleValue;
        private readonly double southPoleValue;
        private readonly bool northCap;
        private readonly bool southCap;
        private readonly double[] rowAreaWeights;

        internal RegridGrid(GriddedField field, int timeIndex)
        {
            latitudes = field.LatitudesDegrees;
            longitudes = field.LongitudesDegrees;
            values = field.Step(timeIndex);
            periodic = LatLonGeometry.IsGlobalInLongitude(longitudes);
            maxLongitudeGap = periodic ? 360 : LatLonGeometry.MaximumLongitudeGap(longitudes);

            SpacingDegrees = LatLonGeometry.GridSpacingDegrees(latitudes, longitudes);

            // A polar cap is filled only on a global grid whose last row is near the pole.
            var rows = latitudes.Length;
            northCap = periodic && rows > 1 && latitudes[^1] < 90
                && 90 - latitudes[^1] <= (1.5 * (latitudes[^1] - latitudes[^2])) + LatLonGeometry.CoincidentDegrees;
            southCap = periodic && rows > 1 && latitudes[0] > -90
                && latitudes[0] + 90 <= (1.5 * (latitudes[1] - latitudes[0])) + LatLonGeometry.CoincidentDegrees;
            (northPoleValue, southPoleValue) = PoleValues(values.Span);
            rowAreaWeights = RowAreaWeights(latitudes);
        }

        /// <summary>max(median row spacing, median column spacing), degrees.</summary>
        internal double SpacingDegrees { get; }

        internal double Bilinear(double latitude, double longitude) =>
            Stencil(latitude, longitude).Evaluate(values.Span, northPoleValue, southPoleValue);

        /// <summary>The grid has a polar cap filled towards the north (south) pole value.</summary>
        internal bool NorthCap => northCap;

        internal bool SouthCap => southCap;

        /// <summary>
        /// Which cells (and which pole value) make the bilinear value at a target, with their weights;
        /// it depends on the grid only, so one stencil serves every time step.
        /// </summary>
        internal BilinearStencil Stencil(double latitude, double longitude)
        {
            var stencil = BilinearStencil.Empty;
            var rows = latitudes.Length;

            if (latitude > latitudes[^1] || latitude < latitudes[0])
            {
                // Poleward of the last row: blend the row with the pole value, linearly in latitude.
                var north = latitude > latitudes[^1];
                if (!(north ? northCap : southCap))
                {
                    return stencil;
                }

                var edgeRow = north ? rows - 1 : 0;
                var edgeColumns = BracketLongitude(longitude);
                var poleWeight = (Math.Abs(latitude) - Math.Abs(latitudes[edgeRow]))
                    / (90 - Math.Abs(latitudes[edgeRow]));
                AddRow(ref stencil, 0, edgeRow, edgeColumns, 1 - poleWeight);
                stencil.PoleWeight = poleWeight;
                stencil.Pole = (sbyte)(north ? 1 : -1);
                return stencil;
            }

            var upper = SearchAscending(latitudes, latitude);
            int row0, row1;
            double rowFraction;
            if (upper >= 0)
            {
                row0 = row1 = upper;
                rowFraction = 0;
            }
            else
            {
                row1 = ~upper;
                row0 = row1 - 1;
                rowFraction = (latitude - latitudes[row0]) / (latitudes[row1] - latitudes[row0]);
            }

            // Both rows share the target's columns: bracket the longitude once.
            var columns = BracketLongitude(longitude);
            AddRow(ref stencil, 0, row0, columns, 1 - rowFraction);
            if (row1 != row0)
            {
                AddRow(ref stencil, 2, row1, columns, rowFraction);
            }

            return stencil;
        }

        /// <summary>The pole values of one step: the mean of the last row's valid values, where a cap exists.</summary>
        internal (double North, double South) PoleValues(ReadOnlySpan<float> step) =>
            (northCap ? RowMean(step, latitudes.Length - 1, longitudes.Length) : double.NaN,
             southCap ? RowMean(step, 0, longitudes.Length) : double.NaN);

        /// <summary>
        /// Area-weighted mean of the valid cells whose centres lie within the cap; false when
        /// the cap holds no cell centre at all.
        /// </summary>
        internal bool TryAreaAverage(double latitude, double longitude, double radiusDegrees, out double value)
        {
            var span = values.Span;
            value = double.NaN;
            var centreLatitude = latitude * DegreesToRadians;
            var cosRadius = Math.Cos(radiusDegrees * DegreesToRadians);
            var first = LowerBound(latitudes, latitude - radiusDegrees);
            double weightSum = 0, valueSum = 0;
            var cellsInCap = 0;
            for (var row = first; row < latitudes.Length && latitudes[row] <= latitude + radiusDegrees; row++)
            {
                var rowLatitude = latitudes[row] * DegreesToRadians;

                // Columns within the cap satisfy cos(d) >= cos(r) with
                // cos(d) = sin(phi) sin(phi_c) + cos(phi) cos(phi_c) cos(dlambda).
                var denominator = Math.Cos(rowLatitude) * Math.Cos(centreLatitude);
                var cosLongitudeReach = denominator > 1e-12
                    ? (cosRadius - (Math.Sin(rowLatitude) * Math.Sin(centreLatitude))) / denominator
                    : -1;
                if (cosLongitudeReach > 1)
                {
                    continue;
                }

                var reachDegrees = cosLongitudeReach <= -1 ? 180 : Math.Acos(cosLongitudeReach) / DegreesToRadians;
                foreach (var column in ColumnsWithin(longitude, reachDegrees))
                {
                    cellsInCap++;
                    var sample = span[(row * longitudes.Length) + column];
                    if (!float.IsNaN(sample))
                    {
                        weightSum += rowAreaWeights[row];
                        valueSum += rowAreaWeights[row] * sample;
                    }
                }
            }

            if (cellsInCap == 0)
            {
                return false;
            }

            value = weightSum > 0 ? valueSum / weightSum : double.NaN;
            return true;
        }

        /// <summary>
        /// Puts one row's longitude-interpolated corners, total weight rowWeight, in slots slot and slot + 1.
        /// </summary>
        private void AddRow(ref BilinearStencil stencil, int slot, int row, LongitudeBracket columns,
            double rowWeight)
        {
            if (rowWeight <= 0)
            {
                return;
            }

            if (!columns.Found)
            {
                return;
            }

            var (column0, column1, columnFraction) = (columns.Column0, columns.Column1, columns.Fraction);

            var rowOffset = row * longitudes.Length;
            stencil.Set(slot, rowOffset + column0, rowWeight * (1 - columnFraction));
            if (column1 != column0)
            {
                stencil.Set(slot + 1, rowOffset + column1, rowWeight * columnFraction);
            }
        }

        /// <summary>
        /// The columns around a longitude (circularly) and the fraction towards the second;
        /// false when the point lies outside a regional grid or across a gap in it.
        /// </summary>
        private LongitudeBracket BracketLongitude(double longitude) =>
            TryBracketLongitude(longitude, out var column0, out var column1, out var fraction)
                ? new LongitudeBracket(true, column0, column1, fraction)
                : default;

        private bool TryBracketLongitude(double longitude, out int column0, out int column1, out double fraction)
        {
            var count = longitudes.Length;
            column0 = column1 = 0;
            fraction = 0;

            // Bring the target into [first column, first column + 360).
            var relative = longitude - longitudes[0];
            relative -= 360 * Math.Floor(relative / 360);
            var target = longitudes[0] + relative;
            if (count == 1)
            {
                return relative <= LatLonGeometry.CoincidentDegrees
                    || 360 - relative <= LatLonGeometry.CoincidentDegrees;
            }

            var found = SearchAscending(longitudes, target);
            if (found >= 0)
            {
                column0 = column1 = found;
                return true;
            }

            var next = ~found;
            column0 = next - 1;
            column1 = next < count ? next : 0;
            var left = longitudes[column0];
            var right = next < count ? longitudes[next] : longitudes[0] + 360;
            var gap = right - left;
            if (gap > maxLongitudeGap)
            {
                // Outside a regional grid: only an (almost) exact hit on an edge column counts.
                if (target - left <= LatLonGeometry.CoincidentDegrees)
                {
                    column1 = column0;
                    return true;
                }

                if (right - target <= LatLonGeometry.CoincidentDegrees)
                {
                    column0 = column1;
                    return true;
                }

                return false;
            }

            fraction = (target - left) / gap;
            return true;
        }

        /// <summary>Columns whose longitude lies within reachDegrees of the target, circularly.</summary>
        private IEnumerable<int> ColumnsWithin(double longitude, double reachDegrees)
        {
            var count = longitudes.Length;
            if (reachDegrees >= 180)
            {
                for (var column = 0; column < count; column++)
                {
                    yield return column;
                }

                yield break;
            }

            // Columns within reach are contiguous (circularly) from the first one at or after
            // longitude - reach: walk from there until one falls outside.
            var start = LowerBound(longitudes, LatLonGeometry.NormaliseLongitude(longitude - reachDegrees)) % count;
            for (var step = 0; step < count; step++)
            {
                var column = (start + step) % count;
                var difference = Math.Abs(LatLonGeometry.NormaliseLongitude(longitudes[column] - longitude));
                if (difference > reachDegrees)
                {
                    yield break;
                }

                yield return column;
            }
        }

        private static double RowMean(ReadOnlySpan<float> step, int row, int columns)
        {
            var span = step.Slice(row * columns, columns);
            double sum = 0;
            var count = 0;
            foreach (var sample in span)
            {
                if (!float.IsNaN(sample))
                {
                    sum += sample;
                    count++;
                }
            }

            return count > 0 ? sum / count : double.NaN;
        }

        /// <summary>
        /// Relative cell area of each row: sin(north edge) - sin(south edge), edges halfway
        /// between rows and at most the poles (equal to cos(phi) dphi for uniform rows).
        /// </summary>
        private static double[] RowAreaWeights(double[] latitudes)
        {
            var weights = new double[latitudes.Length];
            for (var row = 0; row < latitudes.Length; row++)
            {
                var south = row > 0 ? (latitudes[row - 1] + latitudes[row]) / 2
                    : latitudes.Length > 1 ? Math.Max(-90, latitudes[0] - ((latitudes[1] - latitudes[0]) / 2)) : -90;
                var north = row < latitudes.Length - 1 ? (latitudes[row] + latitudes[row + 1]) / 2
                    : latitudes.Length > 1 ? Math.Min(90, latitudes[^1] + ((latitudes[^1] - latitudes[^2]) / 2)) : 90;
                weights[row] = Math.Sin(north * DegreesToRadians) - Math.Sin(south * DegreesToRadians);
            }

            return weights;
        }

        private static int LowerBound(double[] ascending, double value)
        {
            var found = SearchAscending(ascending, value);
            return found >= 0 ? found : ~found;
        }

        /// <summary>
        /// <see cref="Array.BinarySearch(Array, object)"/> for a strictly ascending array of finite values:
        /// the index of <paramref name="value"/>, or the bitwise complement of the first larger element's.
        /// Without the generic comparer it costs a few nanoseconds, which matters once per target.
        /// </summary>
        private static int SearchAscending(double[] ascending, double value)
        {
            int low = 0, high = ascending.Length - 1;
            while (low <= high)
            {
                var middle = low + ((high - low) >> 1);
                var element = ascending[middle];
                if (element == value)
                {
                    return middle;
                }

                if (element < value)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }

            return ~low;
        }

        /// <summary>The columns around a longitude and the fraction towards the second; Found false outside.</summary>
        private readonly record struct LongitudeBracket(bool Found, int Column0, int Column1, double Fraction);
    }
}
