using System.Diagnostics;

namespace WeatherGinr.Cli.Demo;

/// <summary>
/// Real NetCDF fields a fresh Debian or Ubuntu machine can get from its own package archive, without
/// installing anything: <c>libncarg-data</c> ships the MPI-ESM-LR CMIP5 2005 monthly tas, uas and vas
/// (UCAR, BSD-style; CMIP5 terms of use), <c>ferret-datasets</c> the Esbensen-Kushnir heat budget
/// climatology with cloud cover and air temperature (NOAA/PMEL, public domain). Packages are fetched
/// with <c>apt-get download</c> and unpacked with <c>dpkg -x</c> into the data folder.
/// </summary>
public sealed class SampleData(string dataRoot)
{
    /// <summary>Sample files with the dataset each belongs to: files of one dataset share a grid.</summary>
    private static readonly (string Dataset, string Package, string PathInPackage)[] Files =
    [
        ("cmip5-2005", "libncarg-data", "usr/share/ncarg/data/nug/tas_rectilinear_grid_2D.nc"),
        ("cmip5-2005", "libncarg-data", "usr/share/ncarg/data/nug/uas_rectilinear_grid_2D.nc"),
        ("cmip5-2005", "libncarg-data", "usr/share/ncarg/data/nug/vas_rectilinear_grid_2D.nc"),
        ("esku-climatology", "ferret-datasets", "usr/share/ferret-vis/data/esku_heat_budget.cdf"),
    ];

    public string Folder => Path.Combine(dataRoot, "sources", "debian");

    /// <summary>
    /// Returns the sample files grouped by dataset, downloading the packages that hold them when absent.
    /// </summary>
    public IReadOnlyList<DemoDataset> Ensure(Action<string> narrate)
    {
        ArgumentNullException.ThrowIfNull(narrate);
        var wanted = Files.Select(f => (f.Dataset, f.Package,
            Target: Path.Combine(Folder, Path.GetFileName(f.PathInPackage)), f.PathInPackage)).ToArray();
        var missingPackages = wanted.Where(w => !File.Exists(w.Target)).Select(w => w.Package).Distinct().ToArray();
        if (missingPackages.Length == 0)
        {
            narrate($"sample data already in {Folder}");
            return Grouped(wanted);
        }

        Directory.CreateDirectory(Folder);
        var work = Path.Combine(Folder, ".download-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        try
        {
            foreach (var package in missingPackages)
            {
                narrate($"downloading Debian package {package} with apt-get download");
                Download(package, work);
                var deb = Directory.EnumerateFiles(work, package + "_*.deb").Single();
                var unpacked = Path.Combine(work, package);
                Run("dpkg", ["-x", deb, unpacked], work);
                foreach (var file in wanted.Where(w => w.Package == package))
                {
                    var source = Path.Combine(unpacked, file.PathInPackage);
                    if (!File.Exists(source))
                    {
                        throw new SampleDataException(
                            $"package {package} no longer holds {file.PathInPackage}; " +
                            "pass your own files with --input");
                    }

                    // Copy then rename: a crash never leaves a half-written sample behind.
                    File.Copy(source, file.Target + ".tmp", overwrite: true);
                    File.Move(file.Target + ".tmp", file.Target, overwrite: true);
                }
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        return Grouped(wanted);
    }

    private static DemoDataset[] Grouped(
        IEnumerable<(string Dataset, string Package, string Target, string PathInPackage)> files) =>
        files.GroupBy(f => f.Dataset).Select(g => new DemoDataset(g.Key, g.Select(f => f.Target).ToArray())).ToArray();

    private static void Download(string package, string folder)
    {
        if (TryRun("apt-get", ["download", package], folder, out var error))
        {
            return;
        }

        // A fresh machine may not have read its package lists yet; as root we may refresh them once.
        if (Environment.UserName == "root" && TryRun("apt-get", ["update", "-qq"], folder, out _)
            && TryRun("apt-get", ["download", package], folder, out error))
        {
            return;
        }

        throw new SampleDataException(
            $"could not download Debian package '{package}' ({error.Trim()}); run 'apt-get update' as root, " +
            "or pass your own NetCDF files with --input");
    }

    private static void Run(string program, string[] arguments, string folder)
    {
        if (!TryRun(program, arguments, folder, out var error))
        {
            throw new SampleDataException($"'{program} {string.Join(' ', arguments)}' failed: {error.Trim()}");
        }
    }

    private static bool TryRun(string program, string[] arguments, string folder, out string error)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = folder,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
            {
                process.Kill(entireProcessTree: true);
                error = "timed out after 10 minutes";
                return false;
            }

            error = stderr.Result;
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            error = $"{program} is not available: {e.Message}";
            return false;
        }
    }
}

/// <summary>Files that make one dataset (they share a grid; variables may span files).</summary>
public sealed record DemoDataset(string Name, IReadOnlyList<string> Files);

/// <summary>The sample data could not be obtained; the message says what to do instead.</summary>
public sealed class SampleDataException(string message) : Exception(message);
