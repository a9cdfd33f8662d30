using System.Runtime.InteropServices;

namespace WeatherGinr.Ingest.Native;

/// <summary>An open libnetcdf file id; closing it is serialised with every other call.</summary>
internal sealed class NetCdfFileHandle : SafeHandle
{
    internal NetCdfFileHandle(int ncid)
        : base(invalidHandleValue: new IntPtr(-1), ownsHandle: true)
    {
        SetHandle(new IntPtr(ncid));
    }

    public override bool IsInvalid => handle == new IntPtr(-1);

    internal int Id => handle.ToInt32();

    protected override bool ReleaseHandle()
    {
        lock (NetCdfNative.Gate)
        {
            return NetCdfNative.Close(handle.ToInt32()) == NetCdfNative.NoError;
        }
    }
}
