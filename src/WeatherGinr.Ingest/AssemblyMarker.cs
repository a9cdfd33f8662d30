namespace WeatherGinr.Ingest;

internal static class AssemblyMarker
{
}
