namespace WeatherGinr.Training;

internal static class AssemblyMarker
{
}
