namespace WeatherGinr.Ingest.Cf;

/// <summary>canonical = value * Scale + Offset.</summary>
internal readonly record struct UnitConversion(double Scale, double Offset)
{
    internal static UnitConversion Identity => new(1, 0);

    internal double Apply(double value) => value * Scale + Offset;
}
