namespace WeatherGinr.Ingest.Native;

/// <summary>External data types of netCDF (the <c>nc_type</c> codes of netcdf.h).</summary>
internal enum NetCdfType
{
    NotAType = 0,
    Byte = 1,
    Char = 2,
    Short = 3,
    Int = 4,
    Float = 5,
    Double = 6,
    UByte = 7,
    UShort = 8,
    UInt = 9,
    Int64 = 10,
    UInt64 = 11,
    String = 12,
}

internal static class NetCdfTypeFacts
{
    internal static bool IsNumeric(this NetCdfType type) =>
        type is >= NetCdfType.Byte and <= NetCdfType.UInt64 and not NetCdfType.Char;

    internal static bool IsInteger(this NetCdfType type) => type.IsNumeric() && !type.IsFloatingPoint();

    internal static bool IsFloatingPoint(this NetCdfType type) => type is NetCdfType.Float or NetCdfType.Double;

    /// <summary>
    /// The library's default fill value for a type (NC_FILL_* in netcdf.h), used when a variable
    /// declares no _FillValue. Null for byte types: NC_FILL_BYTE (-127) is an ordinary value in
    /// practice, and netCDF4-python does not mask it either.
    /// </summary>
    internal static double? DefaultFill(this NetCdfType type) => type switch
    {
        NetCdfType.Short => -32767,
        NetCdfType.Int => -2147483647,
        NetCdfType.Float => 9.9692099683868690e+36f,
        NetCdfType.Double => 9.9692099683868690e+36,
        NetCdfType.UShort => 65535,
        NetCdfType.UInt => 4294967295,
        NetCdfType.Int64 => -9223372036854775806,
        NetCdfType.UInt64 => 18446744073709551614UL,
        _ => null,
    };

    /// <summary>Name as CDL writes it.</summary>
    internal static string CdlName(this NetCdfType type) => type switch
    {
        NetCdfType.Byte => "byte",
        NetCdfType.Char => "char",
        NetCdfType.Short => "short",
        NetCdfType.Int => "int",
        NetCdfType.Float => "float",
        NetCdfType.Double => "double",
        NetCdfType.UByte => "ubyte",
        NetCdfType.UShort => "ushort",
        NetCdfType.UInt => "uint",
        NetCdfType.Int64 => "int64",
        NetCdfType.UInt64 => "uint64",
        NetCdfType.String => "string",
        _ => $"type {(int)type}",
    };
}
