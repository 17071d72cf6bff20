using System.Net;
using System.Net.Sockets;
using Winsock2.Runtime;

namespace Winsock2;

/// <summary>The host functions of winsock2.h: gethostname / GetHostNameW, gethostbyname, gethostbyaddr.</summary>
public static partial class Ws2_32
{
    /// <summary>
    /// The local host name into <paramref name="name"/>, NUL-terminated. 0, or SOCKET_ERROR with WSANOTINITIALISED, or
    /// WSAEFAULT when <paramref name="namelen"/> (or the array) is too short for the name and its NUL. Success leaves the
    /// last error 0, as Windows does.
    /// </summary>
    public static int gethostname(char[]? name, int namelen)
    {
        if (!Dispatch.Started()) return SOCKET_ERROR;
        string host = Dns.GetHostName();
        return name is not null && namelen > 0 && CopyCString(host, name, (uint)namelen) ? Dispatch.FinishClearingOnSuccess(0, 0) : Dispatch.Finish(SOCKET_ERROR, WSAEFAULT);
    }

    /// <summary>gethostname for wide strings (the same here).</summary>
    public static int GetHostNameW(char[]? name, int namelen) => gethostname(name, namelen);

    /// <summary>
    /// The IPv4 addresses of <paramref name="name"/> (a dotted address is returned as it is; null or "" is the local
    /// host). Null with WSANOTINITIALISED, WSAHOST_NOT_FOUND, WSATRY_AGAIN, WSANO_RECOVERY or WSANO_DATA (no IPv4 address).
    /// </summary>
    public static hostent? gethostbyname(string? name)
    {
        if (!Dispatch.Started()) return null;
        if (string.IsNullOrEmpty(name)) name = Dns.GetHostName();
        if (TryParseStrict(AF_INET, name, out var numeric)) return Host(name, [], [numeric.GetAddressBytes()]);
        int rc = Resolver.Lookup(name, AddressFamily.InterNetwork, out var addresses, out string canonical);
        if (rc != 0) { Dispatch.SetError(rc); return null; }
        return Host(canonical, canonical.Equals(name, StringComparison.OrdinalIgnoreCase) ? [] : [name],
            addresses.Select(x => x.GetAddressBytes()).ToArray());
    }

    /// <summary>
    /// The name of an IPv4 address (<paramref name="len"/> 4, <paramref name="type"/> AF_INET). Null with
    /// WSANOTINITIALISED, WSAEFAULT (address shorter than len or len wrong for the family), WSAEAFNOSUPPORT (type),
    /// or WSAHOST_NOT_FOUND.
    /// </summary>
    public static hostent? gethostbyaddr(byte[]? addr, int len, int type)
    {
        if (!Dispatch.Started()) return null;
        if (type != AF_INET && type != AF_INET6) { Dispatch.SetError(WSAEAFNOSUPPORT); return null; }
        int size = type == AF_INET ? 4 : 16;
        if (addr is null || len != size || addr.Length < size) { Dispatch.SetError(WSAEFAULT); return null; }
        var bytes = addr[..size];
        int rc = Resolver.ReverseLookup(new IPAddress(bytes), out string host);
        if (rc != 0) { Dispatch.SetError(rc); return null; }
        return Host(host, [], [bytes], (short)type);
    }

    private static hostent Host(string name, string[] aliases, byte[][] addresses, short family = AF_INET) => new()
    {
        h_name = name, h_aliases = aliases, h_addrtype = family, h_length = (short)(family == AF_INET ? 4 : 16), h_addr_list = addresses,
    };
}
