using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace WeatherGinr.Cli.Tests.Commands;

/// <summary><c>weatherginr serve</c> run as a real process on loopback ports the tests choose.</summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly string dataRoot = Directory.CreateTempSubdirectory("wginr-serve-cli-").FullName;

    public ServeCommandTests() => Directory.CreateDirectory(Path.Combine(dataRoot, "models"));

    public void Dispose() => Directory.Delete(dataRoot, recursive: true);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public void APortInUseIsOneErrorLineNamingThePortWithNoStackTrace(string host)
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        var url = $"http://{host}:{port}";

        var result = CliProcess.Run(["serve", "--data", dataRoot, "--url", url]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.StandardOutput);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"weatherginr: error: cannot listen on '{url}': port {port} on 127.0.0.1 is already in use; " +
            "stop the process that holds it or choose another port", line);
    }

    [Fact]
    public void AnAddressThisMachineDoesNotHaveIsOneErrorLineWithNoStackTrace()
    {
        // TEST-NET-1 (RFC 5737): no interface here holds it, so the bind fails locally and nothing is sent.
        const string url = "http://192.0.2.1:5089";

        var result = CliProcess.Run(["serve", "--data", dataRoot, "--url", url]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.StandardOutput);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"weatherginr: error: cannot listen on '{url}': 192.0.2.1 is not an address of this machine; " +
            "listen on one of its own addresses (127.0.0.1 for this machine only, 0.0.0.0 for every interface)", line);
    }

    [Theory]
    [InlineData("http://127.0.0.1:99999", "has port '99999', which is not a TCP port (0..65535; 0 picks a free one)")]
    [InlineData("http://[::1]:70000", "has port '70000', which is not a TCP port (0..65535; 0 picks a free one)")]
    [InlineData("http://localhost:abc/", "has port 'abc', which is not a TCP port (0..65535; 0 picks a free one)")]
    [InlineData("ftp://127.0.0.1:21", "is not an http:// address")]
    [InlineData("https://127.0.0.1:23458", "asks for HTTPS, which serve does not set up (it has no certificate " +
        "settings); serve plain http:// and put TLS in front of it (a reverse proxy or the cluster's ingress)")]
    [InlineData("http://127.0.0.1:18412?x=1",
        "has a query ('?x=1'); give only scheme, host and port, such as http://127.0.0.1:18412")]
    [InlineData("http://127.0.0.1:18412/prefix", "has a path ('/prefix'); the API is served from the root; " +
        "give only scheme, host and port, such as http://127.0.0.1:18412")]
    [InlineData("http://[::1]:18412/#top",
        "has a fragment ('#top'); give only scheme, host and port, such as http://[::1]:18412")]
    [InlineData("http://me@localhost:18412",
        "has user information ('me@'); give only scheme, host and port, such as http://localhost:18412")]
    [InlineData("http://@127.0.0.1:18412",
        "has user information ('@'); give only scheme, host and port, such as http://127.0.0.1:18412")]
    [InlineData("http://127.0.0.1:18412/.", "has a path ('/.'); the API is served from the root; " +
        "give only scheme, host and port, such as http://127.0.0.1:18412")]
    [InlineData("http://127.0.0.1:18412/a/..", "has a path ('/a/..'); the API is served from the root; " +
        "give only scheme, host and port, such as http://127.0.0.1:18412")]
    [InlineData("http://127.0.0.1:18412?",
        "has a query ('?'); give only scheme, host and port, such as http://127.0.0.1:18412")]
    [InlineData("http://localhost:0", "cannot listen on 'http://localhost:0': port 0 (any free port) cannot be asked " +
        "for on a host name; use http://127.0.0.1:0 or http://[::1]:0")]
    public void ABadUrlIsOneLineThatNamesWhatIsWrong(string url, string expected)
    {
        var result = CliProcess.Run(["serve", "--data", dataRoot, "--url", url]);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(expected.StartsWith("cannot", StringComparison.Ordinal)
            ? $"weatherginr: error: {expected}"
            : $"weatherginr: error: --url '{url}' {expected}", line);
    }

    [Fact]
    public void ADataFolderThatIsNotThereIsRefusedAndNotCreated()
    {
        var mistyped = Path.Combine(dataRoot, "dta");
        var file = Path.Combine(dataRoot, "a-file");
        File.WriteAllText(file, "not a folder");

        var missing = CliProcess.Run(["serve", "--data", mistyped, "--url", "http://127.0.0.1:0"]);
        var notAFolder = CliProcess.Run(["serve", "--data", file, "--url", "http://127.0.0.1:0"]);

        Assert.Equal(2, missing.ExitCode);
        Assert.Equal($"weatherginr: error: --data '{mistyped}' does not exist; serve reads the models that " +
            "'./weatherginr demo' writes into a data folder (check the path, or run the demo with that --data first)",
            Assert.Single(missing.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.False(Directory.Exists(mistyped), "serve created the mistyped folder");
        Assert.Equal(2, notAFolder.ExitCode);
        Assert.Equal($"weatherginr: error: --data '{file}' is a file; it must be a folder " +
            "(see 'weatherginr serve --help')",
            Assert.Single(notAFolder.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public async Task StartingGivesNoServerGcAdvice()
    {
        var output = new System.Text.StringBuilder();
        var serving = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = CliProcess.StartInfo(
            ["serve", "--data", dataRoot, "--url", "http://127.0.0.1:0"]) };
        DataReceivedEventHandler record = (_, line) =>
        {
            lock (output)
            {
                output.AppendLine(line.Data);
            }

            if (line.Data?.Contains("weatherginr: serving on", StringComparison.Ordinal) == true)
            {
                serving.TrySetResult();
            }
        };
        process.OutputDataReceived += record;
        process.ErrorDataReceived += record;

        process.Start();
        try
        {
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await serving.Task.WaitAsync(TimeSpan.FromSeconds(120));

            // The console logger writes from a queue: give lines logged during start-up time to arrive.
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        lock (output)
        {
            Assert.DoesNotContain("ServerGC", output.ToString(), StringComparison.Ordinal);

            // Orleans' watchdog start-up race (FrameworkNoiseFilter) reports the machine's uptime as a stall in
            // about two of three starts; none may reach the console.
            Assert.DoesNotContain("Participant check thread", output.ToString(), StringComparison.Ordinal);
        }
    }
}
