using TorchSharp;

namespace WeatherGinr.Training;

/// <summary>Where TorchSharp runs: CUDA where available, else CPU, chosen at run time.</summary>
public static class TorchRuntime
{
    private static readonly Lock ThreadSettingGate = new();

    /// <summary>
    /// Words for the device a default training run uses, for logs: "cuda:0 (CUDA, 1 device)" or
    /// "cpu (2 threads)".
    /// </summary>
    public static string DescribeDevice() => Describe(SelectDevice(null));

    /// <summary>True when the CUDA build of TorchSharp is loaded and sees a device.</summary>
    public static bool IsCudaAvailable()
    {
        try
        {
            return torch.cuda.is_available();
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            // The CPU flavour has no CUDA entry points on some platforms; that means "no CUDA".
            return false;
        }
    }

    /// <summary>
    /// Picks the device: <paramref name="requested"/> when given ("cpu", "cuda", "cuda:1"), else CUDA where
    /// available, else CPU.
    /// </summary>
    internal static torch.Device SelectDevice(string? requested)
    {
        if (string.IsNullOrWhiteSpace(requested))
        {
            return IsCudaAvailable() ? torch.CUDA : torch.CPU;
        }

        var device = new torch.Device(requested);
        if (device.type == DeviceType.CUDA && !IsCudaAvailable())
        {
            throw new InvalidOperationException(
                $"Device '{requested}' was requested but CUDA is not available in this build of TorchSharp " +
                "(build with -p:WeatherGinrTorchFlavour=cuda on a machine with a GPU, or request 'cpu').");
        }

        return device;
    }

    internal static string Describe(torch.Device device) => device.type == DeviceType.CUDA
        ? $"cuda:{Math.Max(device.index, 0)} (CUDA, {torch.cuda.device_count()} device(s))"
        : $"cpu ({torch.get_num_threads()} threads)";

    /// <summary>
    /// Sets torch's intra-op threads for CPU work. A process-wide setting: the last caller wins, so
    /// concurrent trainings in one process should ask for the same count.
    /// </summary>
    internal static void UseThreads(int? threads)
    {
        var wanted = threads ?? Environment.ProcessorCount;
        lock (ThreadSettingGate)
        {
            if (torch.get_num_threads() != wanted)
            {
                torch.set_num_threads(wanted);
            }
        }
    }
}
