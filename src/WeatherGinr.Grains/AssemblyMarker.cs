namespace WeatherGinr.Grains;

internal static class AssemblyMarker
{
}
