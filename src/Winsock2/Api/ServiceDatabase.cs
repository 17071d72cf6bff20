using Winsock2.Runtime;

namespace Winsock2;

/// <summary>The service and protocol databases: getservbyname, getservbyport, getprotobyname, getprotobynumber.</summary>
public static partial class Ws2_32
{
    /// <summary>
    /// The service called <paramref name="name"/> (or one of its aliases) for <paramref name="proto"/> ("tcp", "udp";
    /// null: any). Null with WSANOTINITIALISED, or WSANO_DATA when there is none.
    /// </summary>
    public static servent? getservbyname(string name, string? proto)
    {
        if (!Dispatch.Started()) return null;
        if (name is null) { Dispatch.SetError(WSAEFAULT); return null; }
        return ToServent(NetDb.ServiceByName(name, proto));
    }

    /// <summary>The service on <paramref name="port"/> (network byte order) for <paramref name="proto"/>; null with WSANO_DATA when none.</summary>
    public static servent? getservbyport(int port, string? proto)
    {
        if (!Dispatch.Started()) return null;
        return ToServent(NetDb.ServiceByPort(ntohs((ushort)port), proto));
    }

    /// <summary>The protocol called <paramref name="name"/>; null with WSANO_DATA when unknown.</summary>
    public static protoent? getprotobyname(string name)
    {
        if (!Dispatch.Started()) return null;
        if (name is null) { Dispatch.SetError(WSAEFAULT); return null; }
        return ToProtoent(NetDb.ProtocolByName(name));
    }

    /// <summary>The protocol numbered <paramref name="number"/>; null with WSANO_DATA when unknown.</summary>
    public static protoent? getprotobynumber(int number)
    {
        if (!Dispatch.Started()) return null;
        return ToProtoent(NetDb.ProtocolByNumber(number));
    }

    private static servent? ToServent(NetDb.Service? s)
    {
        if (s is null) { Dispatch.SetError(WSANO_DATA); return null; }
        return new servent { s_name = s.Name, s_aliases = s.Aliases, s_port = (short)htons((ushort)s.Port), s_proto = s.Protocol };
    }

    private static protoent? ToProtoent(NetDb.Protocol? p)
    {
        if (p is null) { Dispatch.SetError(WSANO_DATA); return null; }
        return new protoent { p_name = p.Name, p_aliases = p.Aliases, p_proto = (short)p.Number };
    }
}
