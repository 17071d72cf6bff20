using System.Net;
using System.Net.Sockets;
using Winsock2.Runtime;

namespace Winsock2;

/// <summary>ws2tcpip.h's getnameinfo / GetNameInfoW: a sockaddr to a host name and a service name.</summary>
public static partial class Ws2_32
{
    private const int KnownNiFlags = NI_NOFQDN | NI_NUMERICHOST | NI_NAMEREQD | NI_NUMERICSERV | NI_DGRAM;

    /// <summary>
    /// The host and service of a sockaddr, each NUL-terminated into its buffer (a null buffer: not wanted). Returns 0 or
    /// an error code (also in WSAGetLastError): WSAEFAULT (null sockaddr, a length short of its family's sockaddr, or a
    /// buffer too small for the answer), EAI_FAMILY, EAI_BADFLAGS (unknown flags, or a buffer with size 0), EAI_NONAME
    /// (neither buffer, or NI_NAMEREQD and the address has no name), EAI_AGAIN, WSANOTINITIALISED. Without
    /// NI_NUMERICHOST the host is looked up through the system (hosts file, then DNS) and, when it has no name, given
    /// numerically; NI_NOFQDN keeps the first label; the service is named from the services database (udp with
    /// NI_DGRAM) unless NI_NUMERICSERV or it has no name.
    /// Success leaves the last error 0, as Windows does.
    /// </summary>
    public static int getnameinfo(byte[]? pSockaddr, int SockaddrLength, char[]? pNodeBuffer, uint NodeBufferSize,
        char[]? pServiceBuffer, uint ServiceBufferSize, int Flags)
    {
        try
        {
            if (!Dispatch.Started()) return WSANOTINITIALISED;
            int rc = NameInfo(pSockaddr, SockaddrLength, pNodeBuffer, NodeBufferSize, pServiceBuffer, ServiceBufferSize, Flags);
            if (rc != 0) Dispatch.SetError(rc);
            else Dispatch.FinishClearingOnSuccess(0, 0);
            return rc;
        }
        catch (Exception e)
        {
            Dispatch.Fail(e);
            return EAI_FAIL;
        }
    }

    /// <summary>getnameinfo for wide strings (the same here).</summary>
    public static int GetNameInfoW(byte[]? pSockaddr, int SockaddrLength, char[]? pNodeBuffer, uint NodeBufferSize,
        char[]? pServiceBuffer, uint ServiceBufferSize, int Flags) =>
        getnameinfo(pSockaddr, SockaddrLength, pNodeBuffer, NodeBufferSize, pServiceBuffer, ServiceBufferSize, Flags);

    private static int NameInfo(byte[]? sa, int length, char[]? node, uint nodeSize, char[]? service, uint serviceSize, int flags)
    {
        if (sa is null) return WSAEFAULT;
        int parsed = SockAddr.TryParse(sa, length, out var ep);
        if (parsed == WSAEAFNOSUPPORT) return EAI_FAMILY;
        if (parsed != 0) return WSAEFAULT;
        if ((flags & ~KnownNiFlags) != 0) return EAI_BADFLAGS;
        if (node is null && service is null) return EAI_NONAME;
        if ((node is not null && nodeSize == 0) || (service is not null && serviceSize == 0)) return EAI_BADFLAGS;

        if (node is not null)
        {
            string host;
            if ((flags & NI_NUMERICHOST) != 0) host = NumericHost(ep!.Address);
            else
            {
                int rc = Resolver.ReverseLookup(ep!.Address, out host);
                if (rc == WSATRY_AGAIN) return EAI_AGAIN;
                if (rc != 0)
                {
                    if ((flags & NI_NAMEREQD) != 0) return EAI_NONAME;
                    host = NumericHost(ep.Address);
                }
                else if ((flags & NI_NOFQDN) != 0 && host.IndexOf('.') is > 0 and var dot) host = host[..dot];
            }
            if (!CopyCString(host, node, nodeSize)) return WSAEFAULT;
        }
        if (service is not null)
        {
            string name = ep!.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if ((flags & NI_NUMERICSERV) == 0 && NetDb.ServiceByPort(ep.Port, (flags & NI_DGRAM) != 0 ? "udp" : "tcp") is { } s) name = s.Name;
            if (!CopyCString(name, service, serviceSize)) return WSAEFAULT;
        }
        return 0;
    }

    private static string NumericHost(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0
            ? $"{new IPAddress(address.GetAddressBytes())}%{address.ScopeId}"
            : address.ToString();

    /// <summary>Copies text and its NUL into a C buffer of <paramref name="size"/> characters; false if it does not fit.</summary>
    private static bool CopyCString(string text, char[] buffer, uint size)
    {
        if ((uint)text.Length + 1 > size || text.Length + 1 > buffer.Length) return false;
        text.CopyTo(buffer);
        buffer[text.Length] = '\0';
        return true;
    }
}
