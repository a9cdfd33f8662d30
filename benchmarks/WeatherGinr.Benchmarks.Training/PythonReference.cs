using System.Globalization;
using System.Diagnostics;
using System.Text.Json;

namespace WeatherGinr.Benchmarks.Training;

/// <summary>
/// Runs <c>ginr_reference.py</c> with Debian's PyTorch (<c>/usr/bin/python3</c>: the python3 first on PATH
/// may be another build without torch) and returns the JSON object on its last line.
/// </summary>
/// <remarks>
/// Debian's torch calls the system's <c>libblas.so.3</c> (BLAS_INFO=generic). Where that is the reference
/// (netlib) BLAS, PyTorch trains this network about 20 times slower than with OpenBLAS, which would make
/// any comparison meaningless; <c>run-training-benchmark.sh</c> then unpacks Debian's OpenBLAS into the
/// repository's <c>.weatherginr/</c> folder (nothing is installed) and names its folder in
/// <c>WEATHERGINR_PYTORCH_BLAS</c>, which goes on the child's library path only.
/// </remarks>
public static class PythonReference
{
    public const string Interpreter = "/usr/bin/python3";

    /// <summary>A folder holding an optimised <c>libblas.so.3</c> for PyTorch; null: the system's.</summary>
    public static string? BlasFolder => Environment.GetEnvironmentVariable("WEATHERGINR_PYTORCH_BLAS") is
        { Length: > 0 } folder ? folder : null;

    /// <summary>Which BLAS PyTorch uses, for the report.</summary>
    public static string BlasDescription => BlasFolder is { } folder
        ? $"OpenBLAS from {folder}"
        : "the system's libblas.so.3";

    public static string Script => Path.Combine(AppContext.BaseDirectory, "ginr_reference.py");

    /// <summary>Checks that PyTorch imports; the message says how to install it when it does not.</summary>
    public static string TorchVersion()
    {
        var (exitCode, output, error) = Execute(["-c", "import torch; print(torch.__version__)"], line: null, 1);
        return exitCode == 0 ? output.Trim() : throw new InvalidOperationException(
            $"{Interpreter} cannot import torch ({error.Trim().Split('\n')[^1]}); install Debian's python3-torch: " +
            "apt-get install -y python3-torch");
    }

    /// <summary>Runs the script; <paramref name="line"/> sees every line of its output as it comes.</summary>
    public static JsonElement Run(IEnumerable<string> arguments, int threads, Action<string>? line = null)
    {
        var (exitCode, output, error) = Execute(arguments.Prepend(Script), line, threads);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{Script} failed with exit code {exitCode}: {error.Trim()}");
        }

        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        return JsonDocument.Parse(last).RootElement.Clone();
    }

    private static (int ExitCode, string Output, string Error) Execute(IEnumerable<string> arguments,
        Action<string>? line, int threads)
    {
        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (BlasFolder is { } blas)
        {
            start.Environment["LD_LIBRARY_PATH"] = blas;
            start.Environment["OPENBLAS_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {Interpreter}");
        var error = process.StandardError.ReadToEndAsync();
        var output = new System.Text.StringBuilder();
        while (process.StandardOutput.ReadLine() is { } text)
        {
            output.AppendLine(text);
            line?.Invoke(text);
        }

        process.WaitForExit();
        return (process.ExitCode, output.ToString(), error.Result);
    }
}
