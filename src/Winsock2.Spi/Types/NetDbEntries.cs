namespace Winsock2;

/// <summary>A host database entry (winsock2.h HOSTENT), as gethostbyname and gethostbyaddr return it.</summary>
public sealed class hostent
{
    /// <summary>The official name.</summary>
    public string h_name = "";
    /// <summary>Other names.</summary>
    public string[] h_aliases = [];
    /// <summary>AF_INET (the only family these functions answer).</summary>
    public short h_addrtype;
    /// <summary>Bytes per address (4).</summary>
    public short h_length;
    /// <summary>The addresses, network order, each <see cref="h_length"/> bytes.</summary>
    public byte[][] h_addr_list = [];
    /// <summary>The first address (C's h_addr macro), or null.</summary>
    public byte[]? h_addr => h_addr_list.Length > 0 ? h_addr_list[0] : null;
}

/// <summary>A service database entry (winsock2.h SERVENT), as getservbyname and getservbyport return it.</summary>
public sealed class servent
{
    /// <summary>The official service name.</summary>
    public string s_name = "";
    /// <summary>Other names.</summary>
    public string[] s_aliases = [];
    /// <summary>The port in network byte order (compare with htons(port)).</summary>
    public short s_port;
    /// <summary>The protocol name ("tcp", "udp").</summary>
    public string s_proto = "";
}

/// <summary>A protocol database entry (winsock2.h PROTOENT), as getprotobyname and getprotobynumber return it.</summary>
public sealed class protoent
{
    /// <summary>The official protocol name.</summary>
    public string p_name = "";
    /// <summary>Other names.</summary>
    public string[] p_aliases = [];
    /// <summary>The protocol number.</summary>
    public short p_proto;
}
