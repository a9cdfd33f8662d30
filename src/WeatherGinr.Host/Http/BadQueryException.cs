namespace WeatherGinr.Host.Http;

/// <summary>
/// A request with one or more bad parameters. The message joins them with "; " (the <c>error</c> of the
/// 400); <see cref="Problems"/> keeps them apart (its <c>errors</c>).
/// </summary>
internal sealed class BadQueryException(IReadOnlyList<string> problems)
    : ArgumentException(string.Join("; ", problems))
{
    internal IReadOnlyList<string> Problems { get; } = problems;
}
