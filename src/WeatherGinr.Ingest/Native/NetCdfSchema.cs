namespace WeatherGinr.Ingest.Native;

/// <summary>A dimension as the file declares it (lengths are untrusted until checked).</summary>
internal sealed record NetCdfDimension(int Id, string Name, long Length, bool IsUnlimited);

/// <summary>An attribute: text for char/string attributes, numbers (as double) otherwise.</summary>
internal sealed record NetCdfAttribute(string Name, NetCdfType Type, string? Text, double[] Numbers)
{
    internal bool IsText => Text is not null;
}

/// <summary>A variable's metadata, read once when the file is opened.</summary>
internal sealed class NetCdfVariable
{
    internal NetCdfVariable(
        int groupId, string groupPath, int variableId, string name, NetCdfType type,
        IReadOnlyList<NetCdfDimension> dimensions, IReadOnlyDictionary<string, NetCdfAttribute> attributes)
    {
        GroupId = groupId;
        GroupPath = groupPath;
        VariableId = variableId;
        Name = name;
        Type = type;
        Dimensions = dimensions;
        Attributes = attributes;
    }

    internal int GroupId { get; }

    /// <summary>"/" for the root group, "/forecast/surface" for nested netCDF-4 groups.</summary>
    internal string GroupPath { get; }

    internal int VariableId { get; }

    internal string Name { get; }

    /// <summary>Name qualified by its group when it is not in the root group.</summary>
    internal string QualifiedName => GroupPath == "/" ? Name : $"{GroupPath}/{Name}";

    internal NetCdfType Type { get; }

    internal IReadOnlyList<NetCdfDimension> Dimensions { get; }

    internal IReadOnlyDictionary<string, NetCdfAttribute> Attributes { get; }

    internal int Rank => Dimensions.Count;

    /// <summary>Product of the dimension lengths, or -1 when it overflows a 64-bit count.</summary>
    internal long ElementCount
    {
        get
        {
            long count = 1;
            foreach (var dimension in Dimensions)
            {
                if (dimension.Length != 0 && count > long.MaxValue / dimension.Length)
                {
                    return -1;
                }

                count *= dimension.Length;
            }

            return count;
        }
    }

    internal string? Text(string attributeName) =>
        Attributes.TryGetValue(attributeName, out var attribute) ? attribute.Text?.Trim() : null;

    internal double[]? Numbers(string attributeName) =>
        Attributes.TryGetValue(attributeName, out var attribute) && !attribute.IsText && attribute.Numbers.Length > 0
            ? attribute.Numbers
            : null;

    internal NetCdfType? AttributeType(string attributeName) =>
        Attributes.TryGetValue(attributeName, out var attribute) ? attribute.Type : null;
}
