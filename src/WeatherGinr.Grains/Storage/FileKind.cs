using System.Runtime.InteropServices;

namespace WeatherGinr.Grains.Storage;

/// <summary>
/// Whether a path names a regular file, following symbolic links. .NET's file APIs do not tell a named pipe,
/// socket or device from a file, and opening a named pipe for reading blocks until a writer appears, so a
/// drop folder must ask the kernel (Linux <c>statx</c>, whose layout is the same on every architecture).
/// </summary>
public static partial class FileKind
{
    private const int CurrentDirectory = -100; // AT_FDCWD
    private const uint TypeMask = 0x0001; // STATX_TYPE
    private const int ModeOffset = 28; // struct statx: stx_mode (u16) after mask, blksize, attributes, nlink, uid, gid
    private const int FileTypeBits = 0xF000; // S_IFMT
    private const int RegularFile = 0x8000; // S_IFREG

    /// <summary>
    /// True for a regular file (or a link to one); false for a named pipe, socket, device or directory, and for
    /// a path that does not exist. Where <c>statx</c> is not available (not Linux), true for any existing file.
    /// </summary>
    public static bool IsRegularFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!OperatingSystem.IsLinux())
        {
            return File.Exists(path);
        }

        var buffer = new byte[256];
        try
        {
            if (Statx(CurrentDirectory, path, 0, TypeMask, buffer) != 0)
            {
                return false;
            }
        }
        catch (EntryPointNotFoundException)
        {
            return File.Exists(path);
        }

        var mode = BitConverter.ToUInt16(buffer, ModeOffset);
        return (mode & FileTypeBits) == RegularFile;
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true, CharSet = CharSet.Ansi)]
    private static extern int Statx(int directory, string path, int flags, uint mask, byte[] buffer);
}
