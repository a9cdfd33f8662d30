using System.Reflection;
using System.Runtime.InteropServices;

namespace WeatherGinr.Ingest.Native;

/// <summary>
/// Raw entry points of libnetcdf (the reference C library, 4.9 on Debian 12). Callers must hold
/// <see cref="Gate"/> for every call: the library is not thread-safe, and concurrent opens crash
/// it. Only <see cref="NetCdfFile"/> calls these.
/// </summary>
internal static partial class NetCdfNative
{
    private const string LibraryName = "netcdf";

    /// <summary>One process-wide lock around every call into libnetcdf.</summary>
    internal static readonly Lock Gate = new();

    internal const int NoError = 0;
    internal const int NoWrite = 0;
    internal const int GlobalAttributes = -1;
    internal const int MaxNameBytes = 256;
    internal const int MaxVariableDimensions = 1024;
    internal const int AttributeNotFound = -43;

    static NetCdfNative()
    {
        // Debian's runtime package ships only libnetcdf.so.19; the unversioned name comes with -dev.
        NativeLibrary.SetDllImportResolver(typeof(NetCdfNative).Assembly, ResolveNetCdf);
    }

    private static IntPtr ResolveNetCdf(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != LibraryName)
        {
            return IntPtr.Zero;
        }

        return Load(assembly, searchPath);
    }

    /// <summary>libnetcdf's handle (loaded once by the loader, so a second load returns the same one), or zero.
    /// </summary>
    internal static IntPtr Load(Assembly assembly, DllImportSearchPath? searchPath)
    {
        foreach (var candidate in new[] { "libnetcdf.so.19", "libnetcdf.so", "libnetcdf.so.22", "libnetcdf.so.18" })
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero;
    }

    /// <summary>Forces the static constructor (and so the resolver) to run before the first call.</summary>
    internal static void EnsureResolver()
    {
    }

    [LibraryImport(LibraryName, EntryPoint = "nc_open", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int mode, out int ncid);

    [LibraryImport(LibraryName, EntryPoint = "nc_close")]
    internal static partial int Close(int ncid);

    [LibraryImport(LibraryName, EntryPoint = "nc_strerror")]
    internal static partial IntPtr StrError(int status);

    [LibraryImport(LibraryName, EntryPoint = "nc_inq_format")]
    internal static partial int InquireFormat(int ncid, out int format);

    [LibraryImport(LibraryName, EntryPoint = "nc_inq_unlimdims")]
    internal static unsafe partial int InquireUnlimitedDimensions(int ncid, out int count, int* dimensionIds);

    [LibraryImport(LibraryName, EntryPoint = "nc_inq_varids")]
    internal static unsafe partial int InquireVariableIds(int ncid, out int count, int* variableIds);

    [LibraryImport(LibraryName, EntryPoint = "nc_inq_dim")]
    internal static unsafe partial int InquireDimension(int ncid, int dimensionId, byte* name, out nuint length);

    [LibraryImport(LibraryName, EntryPoint = "nc_inq_varndims")]
    internal static partial int InquireVariableDimensionCount(int ncid, int variableId, out int count);

    [LibraryImport(LibraryName, EntryPoint = "nc_inq_var")]
    internal static unsafe partial int InquireVariable(
        int ncid, int variableId, byte* name, out int type, out int dimensionCount, int* dimensionIds,
        out int attributeCount);

    [LibraryImport(LibraryName, EntryPoint = "nc_inq_varnatts")]
    internal static partial int InquireAttributeCount(int ncid, int variableId, out int count);

    [LibraryImport(LibraryName, EntryPoint = "nc_inq_attname")]
    internal static unsafe partial int InquireAttributeName(int ncid, int variableId, int attributeNumber, byte* name);

    [LibraryImport(LibraryName, EntryPoint = "nc_inq_att", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int InquireAttribute(int ncid, int variableId, string name, out int type, out nuint length);

    [LibraryImport(LibraryName, EntryPoint = "nc_get_att_text", StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int GetAttributeText(int ncid, int variableId, string name, byte* values);

    [LibraryImport(LibraryName, EntryPoint = "nc_get_att_double", StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int GetAttributeDouble(int ncid, int variableId, string name, double* values);

    [LibraryImport(LibraryName, EntryPoint = "nc_get_att_string", StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int GetAttributeStrings(int ncid, int variableId, string name, IntPtr* values);

    [LibraryImport(LibraryName, EntryPoint = "nc_free_string")]
    internal static unsafe partial int FreeStrings(nuint count, IntPtr* values);

    [LibraryImport(LibraryName, EntryPoint = "nc_get_vara_double")]
    internal static unsafe partial int GetVariableSlabDouble(
        int ncid, int variableId, nuint* start, nuint* count, double* values);

    [LibraryImport(LibraryName, EntryPoint = "nc_get_vara_float")]
    internal static unsafe partial int GetVariableSlabFloat(
        int ncid, int variableId, nuint* start, nuint* count, float* values);

    [LibraryImport(LibraryName, EntryPoint = "nc_inq_grps")]
    internal static unsafe partial int InquireGroups(int ncid, out int count, int* groupIds);

    [LibraryImport(LibraryName, EntryPoint = "nc_inq_grpname_full")]
    internal static unsafe partial int InquireGroupFullName(int ncid, out nuint length, byte* name);

    /// <summary>The library's own message for a status code (static strings owned by libnetcdf).</summary>
    internal static string Message(int status)
    {
        var text = Marshal.PtrToStringUTF8(StrError(status));
        return string.IsNullOrEmpty(text) ? $"NetCDF error {status}" : text;
    }
}
