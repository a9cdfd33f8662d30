namespace WeatherGinr.Ingest;

/// <summary>
/// One variable on a rectilinear lat-lon grid over time, decoded and in canonical units.
/// </summary>
/// <param name="SourceFiles">Files the steps came from, in time order.</param>
/// <param name="VariableName">
/// As written in the file, e.g. "tas", "CLD"; when files name the same quantity differently, the first file's.
/// </param>
/// <param name="Quantity">What the values measure.</param>
/// <param name="CanonicalUnits">"m s-1", "K" or "1".</param>
/// <param name="LatitudesDegrees">Strictly ascending; a file's descending rows are reversed.</param>
/// <param name="LongitudesDegrees">
/// Strictly ascending in [-180, 180); columns are rotated to match, and a duplicated wrap-around
/// column (e.g. both 0 and 360) is dropped (a file whose two columns disagree is refused).
/// </param>
/// <param name="TimesUtc">
/// One per step, ascending. A file without any time coordinate gives one step at
/// <see cref="DateTimeOffset.UnixEpoch"/>. Non-standard calendars are mapped as documented on
/// <see cref="WeatherFieldReader"/>.
/// </param>
/// <param name="Values">[time, lat, lon] row-major, canonical units, NaN = missing.</param>
public sealed record GriddedField(
    IReadOnlyList<string> SourceFiles,
    string VariableName,
    WeatherQuantity Quantity,
    string CanonicalUnits,
    double[] LatitudesDegrees,
    double[] LongitudesDegrees,
    DateTimeOffset[] TimesUtc,
    float[] Values)
{
    public int TimeCount => TimesUtc.Length;

    public int LatitudeCount => LatitudesDegrees.Length;

    public int LongitudeCount => LongitudesDegrees.Length;

    /// <summary>Values of one time step: LatitudeCount x LongitudeCount, row-major.</summary>
    public ReadOnlyMemory<float> Step(int timeIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(timeIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(timeIndex, TimeCount);
        var stepSize = LatitudeCount * LongitudeCount;
        return Values.AsMemory(timeIndex * stepSize, stepSize);
    }

    /// <summary>Value at (time, lat row, lon column) of the ascending grid.</summary>
    public float this[int timeIndex, int latitudeIndex, int longitudeIndex] =>
        Values[((timeIndex * LatitudeCount) + latitudeIndex) * LongitudeCount + longitudeIndex];

    /// <summary>Units as the first source file wrote them ("" when it wrote none).</summary>
    public string SourceUnits { get; init; } = string.Empty;

    /// <summary>
    /// True when the file gave no units and they were inferred from the quantity's plausible
    /// range (see <see cref="WeatherFieldReader"/>); callers may want to surface this.
    /// </summary>
    public bool UnitsInferred { get; init; }

    /// <summary>True when the longitudes cover the whole circle, so regridding is periodic.</summary>
    public bool IsGlobalInLongitude => LatLonGeometry.IsGlobalInLongitude(LongitudesDegrees);
}
