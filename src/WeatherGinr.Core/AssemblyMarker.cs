namespace WeatherGinr.Core;

internal static class AssemblyMarker
{
}
