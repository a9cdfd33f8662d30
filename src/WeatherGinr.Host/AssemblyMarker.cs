namespace WeatherGinr.Host;

internal static class AssemblyMarker
{
}
