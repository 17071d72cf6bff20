namespace Winsock2;

/// <summary>
/// One result of getaddrinfo / GetAddrInfoW (ws2def.h ADDRINFOA / ADDRINFOW; C# has one string type, so one class
/// serves both), linked through <see cref="ai_next"/>. Used as the hints too, where only ai_flags, ai_family,
/// ai_socktype and ai_protocol count. <see cref="ai_addr"/> is a Windows sockaddr of <see cref="ai_addrlen"/> bytes.
/// </summary>
public sealed class addrinfo
{
    /// <summary>AI_* flags.</summary>
    public int ai_flags;
    /// <summary>AF_INET or AF_INET6 (AF_UNSPEC in hints: either).</summary>
    public int ai_family;
    /// <summary>SOCK_STREAM, SOCK_DGRAM, ... (0 in hints: any).</summary>
    public int ai_socktype;
    /// <summary>IPPROTO_TCP, IPPROTO_UDP, ... (0: any).</summary>
    public int ai_protocol;
    /// <summary>Length of <see cref="ai_addr"/> in bytes.</summary>
    public nuint ai_addrlen;
    /// <summary>The canonical name (first result only, with AI_CANONNAME).</summary>
    public string? ai_canonname;
    /// <summary>The address (Windows sockaddr bytes).</summary>
    public byte[]? ai_addr;
    /// <summary>The next result, or null.</summary>
    public addrinfo? ai_next;
}
