using System.Globalization;
using WeatherGinr.Benchmarks.Spectral;

// WeatherGinr's Laplacian eigensolver against scipy's eigsh (shift-invert) on the same matrices.
//   run   [--levels 5,6,7] [--k 100] [--repeat N] [--reference scipy|none] [--python /usr/bin/python3]
//         [--work DIR] [--markdown FILE]
//         --repeat: our solve N times (fresh processes), the fastest counts; --reference none: ours only
//   solve --level L --k K --work DIR      (one level in a child process, so its peak memory is its own)
try
{
    return args.FirstOrDefault() switch
    {
        "run" => BenchmarkRun.Execute(Arguments.Parse(args[1..])),
        "solve" => SolveRun.Execute(Arguments.Parse(args[1..])),
        _ => Usage(),
    };
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"spectral benchmark: error: {e.Message}");
    return 2;
}

static int Usage()
{
    Console.Error.WriteLine(
        "usage: run [--levels 5,6,7] [--k 100] [--repeat N] [--reference scipy|none] [--python PATH] "
        + "[--work DIR] [--markdown FILE]");
    return 2;
}
