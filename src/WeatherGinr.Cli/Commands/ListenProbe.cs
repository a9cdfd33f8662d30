using System.Net;
using System.Net.Sockets;

namespace WeatherGinr.Cli.Commands;

/// <summary>
/// Finds out, before the silo starts, whether the HTTP address can be bound. Kestrel reports a bind
/// failure (a port in use, an address this machine does not have, a privileged port) only after the silo
/// is up, and then the host logs it with its stack trace and the silo stops half-started; asking first
/// keeps every such case to one line.
/// </summary>
internal static class ListenProbe
{
    /// <summary>Why an endpoint cannot be bound: the socket error and a sentence that says what to do.</summary>
    internal sealed record Refusal(IPEndPoint Endpoint, SocketError Error, string Reason);

    /// <summary>
    /// Why Kestrel would fail to bind <paramref name="url"/>, else null. Mirrors Kestrel's rules:
    /// <c>localhost</c> is bound on each loopback address that works (only a port in use, or both failing,
    /// stops it); any other name is IPv6 any in dual mode, falling back to IPv4 any where there is no IPv6.
    /// </summary>
    internal static Refusal? FindRefusal(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address))
        {
            return TryBind(new IPEndPoint(address, url.Port));
        }

        if (url.IsLoopback)
        {
            var ipv4 = TryBind(new IPEndPoint(IPAddress.Loopback, url.Port));
            var ipv6 = TryBind(new IPEndPoint(IPAddress.IPv6Loopback, url.Port));
            foreach (var refusal in (ReadOnlySpan<Refusal?>)[ipv4, ipv6])
            {
                if (refusal is { Error: SocketError.AddressAlreadyInUse })
                {
                    return refusal;
                }
            }

            return ipv4 is not null && ipv6 is not null ? ipv4 : null;
        }

        var any = TryBind(new IPEndPoint(IPAddress.IPv6Any, url.Port));
        return any is null or { Error: SocketError.AddressAlreadyInUse }
            ? any
            : TryBind(new IPEndPoint(IPAddress.Any, url.Port));
    }

    /// <summary>
    /// What follows "cannot listen on 'URL': " for a bind of <paramref name="endpoint"/> that failed with
    /// <paramref name="error"/>: the cause in words and what would fix it.
    /// </summary>
    internal static string Explain(IPEndPoint endpoint, SocketError error, string systemMessage)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var (address, port) = (endpoint.Address, endpoint.Port);
        return error switch
        {
            SocketError.AddressAlreadyInUse =>
                $"port {port} on {address} is already in use; stop the process that holds it or choose another port",
            SocketError.AddressNotAvailable =>
                $"{address} is not an address of this machine; listen on one of its own addresses " +
                "(127.0.0.1 for this machine only, 0.0.0.0 for every interface)",
            SocketError.AccessDenied =>
                $"permission denied for port {port} on {address} (ports below 1024 need root or " +
                "CAP_NET_BIND_SERVICE); choose a port from 1024 up",
            SocketError.AddressFamilyNotSupported =>
                $"this machine has no {(address.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4")} " +
                $"for {address}; listen on an address of the other family",
            _ => $"port {port} on {address} cannot be bound: {systemMessage}",
        };
    }

    private static Refusal? TryBind(IPEndPoint endpoint)
    {
        TcpListener? listener = null;
        try
        {
            // The socket is created here, so a machine without IPv6 fails inside the try.
            listener = new TcpListener(endpoint);
            if (endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                listener.Server.DualMode = true;
            }

            listener.Start();
            return null;
        }
        catch (SocketException e)
        {
            return new Refusal(endpoint, e.SocketErrorCode, Explain(endpoint, e.SocketErrorCode, e.Message));
        }
        finally
        {
            listener?.Stop();
        }
    }
}
