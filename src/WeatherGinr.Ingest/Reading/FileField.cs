namespace WeatherGinr.Ingest.Reading;

/// <summary>One quantity decoded from one file, on the normalised ascending grid.</summary>
internal sealed record FileField(
    string Path,
    string VariableName,
    WeatherQuantity Quantity,
    double[] LatitudesDegrees,
    double[] LongitudesDegrees,
    DateTimeOffset[] TimesUtc,
    float[] Values,
    string SourceUnits,
    bool UnitsInferred);
