using System.Net;
using System.Net.Sockets;

namespace Winsock2.Runtime;

/// <summary>
/// Name resolution through the system's resolver (glibc getaddrinfo/getnameinfo behind System.Net.Dns: the hosts
/// file, then DNS, as nsswitch.conf says). Failures come back as WSA codes, never as exceptions.
/// </summary>
internal static class Resolver
{
    /// <summary>Forward lookup: 0 and the addresses (of <paramref name="family"/>, Unspecified = both) and canonical name, or a WSA code.</summary>
    public static int Lookup(string name, AddressFamily family, out IPAddress[] addresses, out string canonical)
    {
        addresses = [];
        canonical = name;
        try
        {
            var entry = Dns.GetHostEntry(name, family);
            // System.Net.Dns answers the machine's own name with every local address whatever the family asked.
            addresses = family == AddressFamily.Unspecified ? entry.AddressList : Array.FindAll(entry.AddressList, a => a.AddressFamily == family);
            canonical = string.IsNullOrEmpty(entry.HostName) ? name : entry.HostName;
            return addresses.Length == 0 ? Ws2_32.WSANO_DATA : 0;
        }
        catch (SocketException e) { return Map(e.SocketErrorCode); }
        catch (ArgumentException) { return Ws2_32.WSAHOST_NOT_FOUND; } // a name too long or malformed for the resolver
    }

    /// <summary>Reverse lookup: 0 and the name, or a WSA code.</summary>
    public static int ReverseLookup(IPAddress address, out string name)
    {
        name = "";
        try
        {
            name = Dns.GetHostEntry(address).HostName;
            return string.IsNullOrEmpty(name) ? Ws2_32.WSAHOST_NOT_FOUND : 0;
        }
        catch (SocketException e) { return Map(e.SocketErrorCode); }
        catch (ArgumentException) { return Ws2_32.WSAHOST_NOT_FOUND; }
    }

    private static int Map(SocketError e) => e switch
    {
        SocketError.HostNotFound => Ws2_32.WSAHOST_NOT_FOUND,
        SocketError.TryAgain => Ws2_32.WSATRY_AGAIN,
        SocketError.NoData => Ws2_32.WSANO_DATA,
        _ => Ws2_32.WSANO_RECOVERY,
    };
}
