using System.Net;
using System.Net.Sockets;

namespace WeatherGinr.Cli.Commands;

/// <summary>
/// Finds out, before the silo starts, whether the HTTP address is already taken. Kestrel reports a
/// port in use only after the silo is up, and then the host logs the failure with its stack trace and
/// the silo stops half-started; asking first keeps that case to one line.
/// </summary>
internal static class ListenProbe
{
    /// <summary>
    /// The first endpoint of <paramref name="url"/> that another socket already holds, else null (also
    /// for port 0, and for failures other than "in use", which Kestrel reports itself).
    /// </summary>
    internal static IPEndPoint? FindEndpointInUse(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Port == 0)
        {
            return null;
        }

        foreach (var endpoint in EndpointsOf(url))
        {
            var listener = new TcpListener(endpoint);
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6 && endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                listener.Server.DualMode = true;
            }

            try
            {
                listener.Start();
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                return endpoint;
            }
            catch (SocketException)
            {
                // No IPv6 on this machine, an address that is not this machine's, a privileged port:
                // Kestrel decides and says so.
            }
            finally
            {
                listener.Stop();
            }
        }

        return null;
    }

    /// <summary>
    /// The endpoints Kestrel binds for a URL: an IP address is itself; <c>localhost</c> is both loopback
    /// addresses; any other host (<c>*</c>, <c>+</c>, a name) is every address, IPv6 and IPv4 together.
    /// </summary>
    private static IPEndPoint[] EndpointsOf(Uri url)
    {
        if (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address))
        {
            return [new IPEndPoint(address, url.Port)];
        }

        return url.IsLoopback
            ? [new IPEndPoint(IPAddress.Loopback, url.Port), new IPEndPoint(IPAddress.IPv6Loopback, url.Port)]
            : [new IPEndPoint(IPAddress.IPv6Any, url.Port)];
    }
}
