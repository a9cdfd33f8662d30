using System.Collections.Concurrent;

namespace WeatherGinr.Grains.Ingest;

/// <summary>
/// Test hook: fails a dataset's commit part-way, as a crash or a full disk would, to show that readers
/// still see the previous version whole. Keyed by dataset name, so tests on other datasets are unaffected.
/// </summary>
internal static class DatasetCommitFaults
{
    private static readonly ConcurrentDictionary<string, Action<string>> AfterVariableWritten =
        new(StringComparer.Ordinal);

    /// <summary>Calls <paramref name="fault"/> with each variable file's path right after it is written.</summary>
    internal static IDisposable Inject(string dataset, Action<string> fault)
    {
        AfterVariableWritten[dataset] = fault;
        return new Removal(dataset);
    }

    internal static void OnVariableWritten(string dataset, string storagePath)
    {
        if (AfterVariableWritten.TryGetValue(dataset, out var fault))
        {
            fault(storagePath);
        }
    }

    private sealed class Removal(string dataset) : IDisposable
    {
        public void Dispose() => AfterVariableWritten.TryRemove(dataset, out _);
    }
}
