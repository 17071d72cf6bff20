using Microsoft.Win32.SafeHandles;

namespace Winsock2;

/// <summary>
/// AcceptEx: accepts the next connection of <paramref name="sListenSocket"/> into the unbound, unconnected
/// <paramref name="sAcceptSocket"/>, and (when <paramref name="dwReceiveDataLength"/> is not 0) waits for its first data.
/// <paramref name="lpOutputBuffer"/> receives that data, then the local and the remote address (each in a block of
/// <paramref name="dwLocalAddressLength"/> / <paramref name="dwRemoteAddressLength"/> bytes, at least 16 more than the
/// family's sockaddr; read them with <see cref="LPFN_GETACCEPTEXSOCKADDRS"/>).
/// </summary>
public delegate bool LPFN_ACCEPTEX(SOCKET sListenSocket, SOCKET sAcceptSocket, byte[] lpOutputBuffer, uint dwReceiveDataLength,
    uint dwLocalAddressLength, uint dwRemoteAddressLength, out uint lpdwBytesReceived, WSAOVERLAPPED? lpOverlapped);

/// <summary>
/// GetAcceptExSockaddrs: the local and remote sockaddr an AcceptEx wrote into its output buffer (copies, with their
/// lengths). C returns pointers into the buffer; here each is its own array.
/// </summary>
public delegate void LPFN_GETACCEPTEXSOCKADDRS(byte[] lpOutputBuffer, uint dwReceiveDataLength, uint dwLocalAddressLength,
    uint dwRemoteAddressLength, out byte[] LocalSockaddr, out int LocalSockaddrLength, out byte[] RemoteSockaddr, out int RemoteSockaddrLength);

/// <summary>
/// ConnectEx: connects the bound, unconnected socket <paramref name="s"/> to <paramref name="name"/>, then sends the
/// first <paramref name="dwSendDataLength"/> bytes of <paramref name="lpSendBuffer"/> (may be null with length 0).
/// </summary>
public delegate bool LPFN_CONNECTEX(SOCKET s, byte[] name, int namelen, byte[]? lpSendBuffer, uint dwSendDataLength,
    out uint lpdwBytesSent, WSAOVERLAPPED? lpOverlapped);

/// <summary>DisconnectEx: closes the connection; with TF_REUSE_SOCKET the socket can serve AcceptEx or ConnectEx again.</summary>
public delegate bool LPFN_DISCONNECTEX(SOCKET s, WSAOVERLAPPED? lpOverlapped, uint dwFlags, uint dwReserved);

/// <summary>
/// TransmitFile: sends the head buffer, <paramref name="nNumberOfBytesToWrite"/> bytes of the file (0: to its end), then
/// the tail buffer, over a connected stream socket. The file is a <see cref="SafeFileHandle"/> (what File.OpenHandle or
/// FileStream.SafeFileHandle gives), or null to send only the buffers. It is read from the overlapped structure's
/// Offset/OffsetHigh when one is given, else from the handle's current file position, which then advances (as Windows
/// moves the file pointer).
/// </summary>
public delegate bool LPFN_TRANSMITFILE(SOCKET hSocket, SafeFileHandle? hFile, uint nNumberOfBytesToWrite, uint nNumberOfBytesPerSend,
    WSAOVERLAPPED? lpOverlapped, TRANSMIT_FILE_BUFFERS? lpTransmitBuffers, uint dwReserved);

/// <summary>WSARecvMsg: a receive that also reports control data (IP_PKTINFO / IPV6_PKTINFO) and message flags.</summary>
public delegate int LPFN_WSARECVMSG(SOCKET s, WSAMSG lpMsg, out uint lpdwNumberOfBytesRecvd, WSAOVERLAPPED? lpOverlapped,
    LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine);

/// <summary>WSASendMsg: a send described by a WSAMSG (destination, buffers, control data).</summary>
public delegate int LPFN_WSASENDMSG(SOCKET s, WSAMSG lpMsg, uint dwFlags, out uint lpNumberOfBytesSent, WSAOVERLAPPED? lpOverlapped,
    LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine);

/// <summary>The buffers TransmitFile sends before and after the file.</summary>
public sealed class TRANSMIT_FILE_BUFFERS
{
    /// <summary>Sent before the file (null: nothing).</summary>
    public byte[]? Head;
    /// <summary>Bytes of <see cref="Head"/> to send.</summary>
    public uint HeadLength;
    /// <summary>Sent after the file (null: nothing).</summary>
    public byte[]? Tail;
    /// <summary>Bytes of <see cref="Tail"/> to send.</summary>
    public uint TailLength;
}

/// <summary>
/// The message WSARecvMsg fills and WSASendMsg sends: an optional address (<see cref="name"/>/<see cref="namelen"/>,
/// Windows sockaddr layout), the data buffers, a control buffer of WSACMSGHDR records and the message flags.
/// </summary>
public sealed class WSAMSG
{
    /// <summary>The source (receive) or destination (send) address, or null.</summary>
    public byte[]? name;
    /// <summary>Length of <see cref="name"/>; a receive sets it to the address's length.</summary>
    public int namelen;
    /// <summary>The data buffers.</summary>
    public WSABUF[]? lpBuffers;
    /// <summary>How many of <see cref="lpBuffers"/> are used.</summary>
    public uint dwBufferCount;
    /// <summary>The control buffer; a receive sets <c>Control.len</c> to the bytes of control data it wrote.</summary>
    public WSABUF Control = new();
    /// <summary>In: receive flags (MSG_PEEK ...). Out: MSG_TRUNC, MSG_CTRUNC, MSG_BCAST, MSG_MCAST.</summary>
    public uint dwFlags;
}

/// <summary>One socket of a WSAPoll call: the events asked for and, on return, the events that hold.</summary>
public struct WSAPOLLFD
{
    /// <summary>The socket.</summary>
    public SOCKET fd;
    /// <summary>The events asked for: POLLRDNORM, POLLRDBAND, POLLWRNORM (POLLIN, POLLOUT).</summary>
    public short events;
    /// <summary>The events that hold (also POLLERR, POLLHUP, POLLNVAL, which need not be asked for).</summary>
    public short revents;
}
