using System.Net;
using System.Net.Sockets;
using Winsock2.Runtime;

namespace Winsock2;

/// <summary>ws2tcpip.h's getaddrinfo / GetAddrInfoW, freeaddrinfo / FreeAddrInfoW and gai_strerror.</summary>
public static partial class Ws2_32
{
    private const int KnownAiFlags = AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_NUMERICSERV | AI_ALL | AI_ADDRCONFIG | AI_V4MAPPED;

    /// <summary>
    /// Addresses for a host and a service, resolved through the system (hosts file, then DNS). Returns 0 with the list
    /// in <paramref name="ppResult"/> — one entry per address, IPv6 before IPv4 when the family is unspecified, each
    /// with the hints' socket type and protocol — or an EAI_* code (also in WSAGetLastError): EAI_NONAME (both names
    /// null, a name not found, or a non-numeric name with AI_NUMERICHOST / service with AI_NUMERICSERV), EAI_SERVICE,
    /// EAI_FAMILY, EAI_SOCKTYPE, EAI_BADFLAGS, EAI_AGAIN, EAI_FAIL (a hint field other than the four that count is
    /// set, or AI_CANONNAME without a host name), WSANOTINITIALISED. AI_ADDRCONFIG is accepted and not applied. Success
    /// leaves the last error 0, as Windows does.
    /// </summary>
    public static int getaddrinfo(string? pNodeName, string? pServiceName, addrinfo? pHints, out addrinfo? ppResult)
    {
        ppResult = null;
        try
        {
            if (!Dispatch.Started()) return WSANOTINITIALISED;
            int rc = ResolveAddressInfo(pNodeName, pServiceName, pHints ?? new addrinfo(), out ppResult);
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

    /// <summary>getaddrinfo for wide strings (the same here: one string type, one addrinfo class).</summary>
    public static int GetAddrInfoW(string? pNodeName, string? pServiceName, addrinfo? pHints, out addrinfo? ppResult) =>
        getaddrinfo(pNodeName, pServiceName, pHints, out ppResult);

    /// <summary>Frees a getaddrinfo result (the garbage collector does it here; kept so ported code stays as it is).</summary>
    public static void freeaddrinfo(addrinfo? pAddrInfo) { }

    /// <summary>Frees a GetAddrInfoW result (see <see cref="freeaddrinfo"/>).</summary>
    public static void FreeAddrInfoW(addrinfo? pAddrInfo) { }

    /// <summary>The text of an EAI_* (or WSA) code.</summary>
    public static string gai_strerror(int ecode) => ecode switch
    {
        0 => "The operation completed successfully.",
        EAI_AGAIN => "This is usually a temporary error during hostname resolution and means that the local server did not receive a response from an authoritative server.",
        EAI_BADFLAGS => "An invalid argument was supplied.",
        EAI_FAIL => "A non-recoverable error occurred during a database lookup.",
        EAI_FAMILY => "An address incompatible with the requested protocol was used.",
        EAI_MEMORY => "Not enough memory resources are available to process this command.",
        EAI_NONAME => "No such host is known.",
        EAI_SERVICE => "The specified class was not found.",
        EAI_SOCKTYPE => "The support for the specified socket type does not exist in this address family.",
        _ => WSAErrorName(ecode),
    };

    private static int ResolveAddressInfo(string? node, string? service, addrinfo hints, out addrinfo? result)
    {
        result = null;
        if (node is null && service is null) return EAI_NONAME;
        if ((hints.ai_flags & ~KnownAiFlags) != 0) return EAI_BADFLAGS;
        if (hints.ai_addrlen != 0 || hints.ai_canonname is not null || hints.ai_addr is not null || hints.ai_next is not null) return EAI_FAIL;
        if ((hints.ai_flags & AI_CANONNAME) != 0 && node is null) return EAI_FAIL;
        if (hints.ai_family is not (AF_UNSPEC or AF_INET or AF_INET6)) return EAI_FAMILY;
        if (hints.ai_socktype is not (0 or SOCK_STREAM or SOCK_DGRAM or SOCK_RAW or SOCK_RDM or SOCK_SEQPACKET)) return EAI_SOCKTYPE;

        int rc = ServicePort(service, hints, out int port, out int socktype);
        if (rc != 0) return rc;
        rc = HostAddresses(node, hints, out var addresses, out string canonical, out int resultFlags);
        if (rc != 0) return rc;

        addrinfo? head = null, tail = null;
        foreach (var address in addresses)
        {
            var sa = SockAddr.From(new IPEndPoint(address, port));
            var entry = new addrinfo
            {
                ai_flags = resultFlags,
                ai_family = address.AddressFamily == AddressFamily.InterNetworkV6 ? AF_INET6 : AF_INET,
                ai_socktype = socktype,
                ai_protocol = hints.ai_protocol,
                ai_addr = sa,
                ai_addrlen = (nuint)sa.Length,
            };
            if (head is null) { head = entry; if ((hints.ai_flags & AI_CANONNAME) != 0) entry.ai_canonname = canonical; }
            else tail!.ai_next = entry;
            tail = entry;
        }
        result = head;
        return head is null ? EAI_NONAME : 0;
    }

    /// <summary>
    /// A numeric port read as strtoul reads it (white space, a sign, decimal digits and nothing after; too big is
    /// 0xFFFFFFFF, a minus negates), its low 16 bits taken, as Windows does; or a service name looked up for the hints'
    /// socket type. With socket type 0, a name only one protocol has gives that protocol's type to the result.
    /// </summary>
    private static int ServicePort(string? service, addrinfo hints, out int port, out int socktype)
    {
        port = 0;
        socktype = hints.ai_socktype;
        if (string.IsNullOrEmpty(service)) return 0;
        if (TryParseServiceNumber(service, out uint number)) { port = (int)(number & 0xFFFF); return 0; }
        if ((hints.ai_flags & AI_NUMERICSERV) != 0) return EAI_NONAME;
        string? proto = hints.ai_socktype switch { SOCK_STREAM => "tcp", SOCK_DGRAM => "udp", _ => null };
        var found = NetDb.ServiceByName(service, proto);
        if (found is null) return EAI_SERVICE;
        port = found.Port;
        if (proto is null)
        {
            bool tcp = NetDb.ServiceByName(service, "tcp") is not null, udp = NetDb.ServiceByName(service, "udp") is not null;
            socktype = tcp == udp ? hints.ai_socktype : tcp ? SOCK_STREAM : SOCK_DGRAM;
        }
        return 0;
    }

    private static bool TryParseServiceNumber(string text, out uint value)
    {
        value = 0;
        int at = 0;
        while (at < text.Length && text[at] is ' ' or '\t' or '\n' or '\v' or '\f' or '\r') at++;
        bool negative = false;
        if (at < text.Length && text[at] is '+' or '-') negative = text[at++] == '-';
        int digits = at;
        ulong total = 0;
        for (; at < text.Length && char.IsAsciiDigit(text[at]); at++) total = Math.Min(total * 10 + (ulong)(text[at] - '0'), 0x1_0000_0000UL);
        if (at == digits || at != text.Length) return false;
        value = total > 0xFFFFFFFF ? 0xFFFFFFFF : negative ? unchecked((uint)-(long)total) : (uint)total;
        return true;
    }

    /// <summary>
    /// The addresses for a node: numeric (IPv6 text, or four IPv4 parts each decimal, octal or hex as inet_addr reads
    /// them; the result carries AI_NUMERICHOST), the wildcard or loopback for a null node, the local host's for "",
    /// or resolved. A name holding white space or a colon is no host name and is not sent to the resolver: only four
    /// IPv4 parts followed by white space resolve (to that address), anything else is EAI_NONAME.
    /// </summary>
    private static int HostAddresses(string? node, addrinfo hints, out IPAddress[] addresses, out string canonical, out int resultFlags)
    {
        canonical = node ?? "";
        resultFlags = 0;
        int family = hints.ai_family;
        if (node is null)
        {
            bool passive = (hints.ai_flags & AI_PASSIVE) != 0;
            var v6 = passive ? IPAddress.IPv6Any : IPAddress.IPv6Loopback;
            var v4 = passive ? IPAddress.Any : IPAddress.Loopback;
            addresses = family switch { AF_INET => [v4], AF_INET6 => [v6], _ => [v6, v4] };
            return 0;
        }
        if (TryParseNodeNumber(node, out var numeric))
        {
            resultFlags = AI_NUMERICHOST;
            int numericFamily = numeric.AddressFamily == AddressFamily.InterNetworkV6 ? AF_INET6 : AF_INET;
            if (family == AF_INET6 && numericFamily == AF_INET && (hints.ai_flags & AI_V4MAPPED) != 0) numeric = numeric.MapToIPv6();
            else if (family != AF_UNSPEC && family != numericFamily) { addresses = []; return EAI_NONAME; }
            addresses = [numeric];
            return 0;
        }
        addresses = [];
        if ((hints.ai_flags & AI_NUMERICHOST) != 0) return EAI_NONAME;
        if (node.Length == 0) node = Dns.GetHostName();
        else if (node.IndexOfAny([' ', '\t', '\n', '\v', '\f', '\r', ':']) >= 0)
        {
            string trimmed = node.TrimEnd(' ', '\t', '\n', '\v', '\f', '\r');
            if (trimmed.Length == node.Length || !TryParseFourParts(trimmed, out var quad)) return EAI_NONAME;
            if (family == AF_INET6) return EAI_NONAME;
            addresses = [quad];
            return 0;
        }
        var lookupFamily = family switch
        {
            AF_INET => AddressFamily.InterNetwork,
            AF_INET6 when (hints.ai_flags & AI_V4MAPPED) == 0 => AddressFamily.InterNetworkV6,
            _ => AddressFamily.Unspecified,
        };
        int rc = Resolver.Lookup(node, lookupFamily, out var found, out canonical);
        if (rc != 0) return rc switch { WSATRY_AGAIN => EAI_AGAIN, WSANO_RECOVERY => EAI_FAIL, _ => EAI_NONAME };
        if (family == AF_INET6)
        {
            var v6 = found.Where(a => a.AddressFamily == AddressFamily.InterNetworkV6).ToArray();
            bool all = (hints.ai_flags & AI_ALL) != 0;
            found = v6.Length > 0 && !all ? v6
                : v6.Concat(found.Where(a => a.AddressFamily == AddressFamily.InterNetwork).Select(a => a.MapToIPv6())).ToArray();
        }
        addresses = found.OrderBy(a => a.AddressFamily == AddressFamily.InterNetworkV6 ? 0 : 1).ToArray();
        return addresses.Length == 0 ? EAI_NONAME : 0;
    }

    private static bool TryParseNodeNumber(string node, out IPAddress address)
    {
        if (node.Contains(':')) return IPAddress.TryParse(node, out address!) && address.AddressFamily == AddressFamily.InterNetworkV6;
        return TryParseFourParts(node, out address);
    }

    /// <summary>Exactly four IPv4 parts, each decimal, octal (leading 0) or hexadecimal (0x) and at most 255.</summary>
    private static bool TryParseFourParts(string text, out IPAddress address)
    {
        address = IPAddress.None;
        var parts = text.Split('.');
        if (parts.Length != 4) return false;
        var bytes = new byte[4];
        for (int i = 0; i < 4; i++)
        {
            if (!TryParseAddressPart(parts[i], out ulong v) || v > 0xFF) return false;
            bytes[i] = (byte)v;
        }
        address = new IPAddress(bytes);
        return true;
    }
}
