namespace WeatherGinr.Host.Http;

/// <summary>
/// Every problem with one request's parameters, so that one 400 names them all instead of the first:
/// <c>lat=91&amp;lon=abc</c> is told about both. Parameters are checked one after another; a bad one is
/// recorded and a stand-in value returned so that the next is still checked.
/// </summary>
internal sealed class QueryProblems
{
    /// <summary>Most problems one answer lists (a batch of 100,000 bad points would list them all).</summary>
    internal const int MaxListed = 20;

    private readonly List<string> listed = [];
    private int count;

    /// <summary>The parsed value, or <paramref name="standIn"/> when parsing throws an ArgumentException.</summary>
    internal T Check<T>(Func<T> parse, T standIn)
    {
        try
        {
            return parse();
        }
        catch (ArgumentException e)
        {
            Add(e.Message);
            return standIn;
        }
    }

    /// <summary>How many problems were found so far (listed or not).</summary>
    internal int Count => count;

    internal void Add(string problem)
    {
        if (++count <= MaxListed)
        {
            listed.Add(problem);
        }
    }

    /// <summary>Throws a <see cref="BadQueryException"/> listing what was found, if anything was.</summary>
    internal void ThrowIfAny()
    {
        if (count > MaxListed)
        {
            listed.Add($"and {count - MaxListed} more problems");
        }

        if (count > 0)
        {
            throw new BadQueryException(listed);
        }
    }
}
