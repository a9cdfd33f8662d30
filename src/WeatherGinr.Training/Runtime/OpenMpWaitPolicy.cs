using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace WeatherGinr.Training;

/// <summary>
/// Makes libtorch's OpenMP worker threads sleep, not spin, while they wait for work.
/// </summary>
/// <remarks>
/// libgomp's default lets idle threads busy-wait. On a machine whose cores are shared (a laptop, a CI
/// runner, a pod with a CPU limit, two silos on one node) spinning threads steal the time the working
/// thread needs: measured on the 2-core build machine with one other busy process, 150 training steps
/// of the demo network took 108 s with the default and 26 s with <c>OMP_WAIT_POLICY=PASSIVE</c>.
/// libgomp reads the variable once, when libtorch is loaded, so it must be in the native environment
/// before the first tensor exists: .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// does not reach the C library's environment, so this calls <c>setenv</c> itself, and never
/// overrides a value the user set.
/// </remarks>
internal static class OpenMpWaitPolicy
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Must run before TorchSharp loads libtorch.")]
    internal static void PreferPassiveWaiting()
    {
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null)
        {
            _ = SetEnvironment("OMP_WAIT_POLICY", "PASSIVE", overwrite: 0);
        }
    }

    [DllImport("libc", EntryPoint = "setenv", BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int SetEnvironment(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string name,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string value,
        int overwrite);
}
