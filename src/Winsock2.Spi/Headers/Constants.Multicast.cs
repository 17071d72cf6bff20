namespace Winsock2;

public static partial class Ws2Spi
{
    // Protocol-independent multicast options (ws2ipdef.h), valid at IPPROTO_IP and IPPROTO_IPV6:
    // group_req = { ULONG gr_interface; SOCKADDR_STORAGE gr_group } (136 bytes, gr_group at offset 8);
    // group_source_req = { ULONG gsr_interface; SOCKADDR_STORAGE gsr_group; SOCKADDR_STORAGE gsr_source } (264 bytes).

    /// <summary>Joins an any-source group (group_req).</summary>
    public const int MCAST_JOIN_GROUP = 41;
    /// <summary>Leaves an any-source group (group_req).</summary>
    public const int MCAST_LEAVE_GROUP = 42;
    /// <summary>Blocks a source of an any-source group (group_source_req); not supported here (WSAENOPROTOOPT).</summary>
    public const int MCAST_BLOCK_SOURCE = 43;
    /// <summary>Unblocks a source (group_source_req); not supported here (WSAENOPROTOOPT).</summary>
    public const int MCAST_UNBLOCK_SOURCE = 44;
    /// <summary>Joins a source-specific group (group_source_req).</summary>
    public const int MCAST_JOIN_SOURCE_GROUP = 45;
    /// <summary>Leaves a source-specific group (group_source_req).</summary>
    public const int MCAST_LEAVE_SOURCE_GROUP = 46;

    /// <summary>Size of the Windows group_req structure.</summary>
    public const int GROUP_REQ_SIZE = 136;
    /// <summary>Size of the Windows group_source_req structure.</summary>
    public const int GROUP_SOURCE_REQ_SIZE = 264;

    /// <summary>
    /// Winsock2 for .NET extension (a vendor ioctl: IOC_IN | IOC_VENDOR | 0x101). In: a sockaddr of the socket's
    /// family naming a unicast source; the next WSAJoinLeaf on the socket joins (source, group) source-specifically
    /// instead of any-source. A NULL or empty input clears it. See docs/multicast.md.
    /// </summary>
    public const uint SIO_JOINLEAF_SOURCE = 0x98000101;
}
