namespace WeatherGinr.Grains.Abstractions;

internal static class AssemblyMarker
{
}
