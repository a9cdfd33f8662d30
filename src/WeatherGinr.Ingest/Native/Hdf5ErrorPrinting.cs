using System.Runtime.InteropServices;

namespace WeatherGinr.Ingest.Native;

/// <summary>
/// Keeps HDF5's error stack off standard error on every thread that calls libnetcdf.
/// </summary>
/// <remarks>
/// libnetcdf probes netCDF-4 files for attributes that are usually absent (the quantize attributes of
/// 4.9, for one); HDF5 reports each miss as an error and, by default, prints its whole stack
/// (<c>HDF5-DIAG: Error detected in HDF5 ...</c>) although libnetcdf expects the miss and goes on.
/// libnetcdf turns that printing off (<c>H5Eset_auto2(H5E_DEFAULT, NULL, NULL)</c>) once, when it
/// initialises; but in a thread-safe HDF5 build (Debian's is one) the setting belongs to the calling
/// thread's error stack. <c>inspect</c> reads every file on the thread that initialised the library and
/// stayed quiet, while <c>experiment</c> checks its input on the main thread and then reads it again on a
/// thread-pool thread, which printed a block for every probe. So the setting is made here for each thread
/// before its first call. Errors still reach the caller as libnetcdf's status codes; only the printing goes.
/// </remarks>
internal static unsafe class Hdf5ErrorPrinting
{
    /// <summary>HDF5's <c>H5E_DEFAULT</c>: the calling thread's own error stack.</summary>
    private const long DefaultErrorStack = 0;

    /// <summary>
    /// <c>herr_t H5Eset_auto2(hid_t, H5E_auto2_t, void*)</c>, found through libnetcdf's own dependencies so
    /// that it is the HDF5 libnetcdf uses, whatever its file name (libhdf5_serial.so.103 on Debian); null
    /// when libnetcdf was built without HDF5 (then nothing prints).
    /// </summary>
    private static readonly delegate* unmanaged<long, IntPtr, IntPtr, int> SetAutomaticPrinting = Find();

    [ThreadStatic]
    private static bool silenced;

    /// <summary>Turns automatic printing of HDF5's error stack off for the calling thread (once per thread).
    /// Callers hold <see cref="NetCdfNative.Gate"/>.</summary>
    internal static void SilenceOnThisThread()
    {
        if (silenced)
        {
            return;
        }

        silenced = true;
        if (SetAutomaticPrinting != null)
        {
            _ = SetAutomaticPrinting(DefaultErrorStack, IntPtr.Zero, IntPtr.Zero);
        }
    }

    private static delegate* unmanaged<long, IntPtr, IntPtr, int> Find()
    {
        var library = NetCdfNative.Load(typeof(Hdf5ErrorPrinting).Assembly, null);

        // dlsym on a library's handle searches the libraries it depends on as well.
        return library != IntPtr.Zero && NativeLibrary.TryGetExport(library, "H5Eset_auto2", out var address)
            ? (delegate* unmanaged<long, IntPtr, IntPtr, int>)address
            : null;
    }
}
