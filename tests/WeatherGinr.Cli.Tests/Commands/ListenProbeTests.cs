using System.Net;
using System.Net.Sockets;
using WeatherGinr.Cli.Commands;

namespace WeatherGinr.Cli.Tests.Commands;

/// <summary>
/// The bind check <c>serve</c> makes before the silo starts. Nothing here leaves the machine: 192.0.2.1 is
/// TEST-NET-1 (RFC 5737), which no interface here holds, so binding it fails locally with EADDRNOTAVAIL.
/// </summary>
public sealed class ListenProbeTests
{
    [Fact]
    public void AnAddressThisMachineDoesNotHaveIsRefusedAsNotAvailable()
    {
        var refusal = ListenProbe.FindRefusal(new Uri("http://192.0.2.1:5089"));

        Assert.NotNull(refusal);
        Assert.Equal(SocketError.AddressNotAvailable, refusal.Error);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 5089), refusal.Endpoint);
        Assert.StartsWith("192.0.2.1 is not an address of this machine;", refusal.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("http://[::1]:0")]
    public void AFreeLoopbackAddressIsNotRefused(string url) =>
        Assert.Null(ListenProbe.FindRefusal(new Uri(url)));

    [Fact]
    public void APortInUseOnOneLoopbackRefusesLocalhost()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var refusal = ListenProbe.FindRefusal(new Uri($"http://localhost:{port}"));

        Assert.NotNull(refusal);
        Assert.Equal(SocketError.AddressAlreadyInUse, refusal.Error);
        Assert.Equal(port, refusal.Endpoint.Port);
    }

    [Fact]
    public void APrivilegedPortNamesThePortAndTheFix()
    {
        // Tests often run as root, where port 80 binds; the wording is checked on its own.
        var reason = ListenProbe.Explain(new IPEndPoint(IPAddress.Loopback, 80), SocketError.AccessDenied,
            "Permission denied");

        Assert.Equal("permission denied for port 80 on 127.0.0.1 (ports below 1024 need root or " +
            "CAP_NET_BIND_SERVICE); choose a port from 1024 up", reason);
    }
}
