namespace Winsock2;

/// <summary>
/// The provider's procedure table (ws2spi.h WSPPROC_TABLE): the 30 WSP* entries in header order. Errors come
/// back through <c>lpErrno</c>; no exception may escape. Sockets are the handles the provider obtained from
/// <see cref="WSPUPCALLTABLE.WPUCreateSocketHandle"/>. Addresses are Windows sockaddr bytes (see <see cref="SockAddr"/>).
/// </summary>
public interface WSPPROC_TABLE
{
    /// <summary>Accepts a connection (or a leaf's join), running the condition function on the calling thread.</summary>
    SOCKET WSPAccept(SOCKET s, byte[]? addr, ref int addrlen, LPCONDITIONPROC? lpfnCondition, nuint dwCallbackData, out int lpErrno);
    /// <summary>Formats a sockaddr as text.</summary>
    int WSPAddressToString(byte[] lpsaAddress, int dwAddressLength, WSAPROTOCOL_INFOW? lpProtocolInfo, out string lpszAddressString, out int lpErrno);
    /// <summary>Message-based notification of network events.</summary>
    int WSPAsyncSelect(SOCKET s, HWND? hWnd, uint wMsg, int lEvent, out int lpErrno);
    /// <summary>Binds a local address.</summary>
    int WSPBind(SOCKET s, byte[] name, int namelen, out int lpErrno);
    /// <summary>Cancels the blocking call in progress on the calling thread (it fails with WSAEINTR).</summary>
    int WSPCancelBlockingCall(out int lpErrno);
    /// <summary>Ends one WSPStartup.</summary>
    int WSPCleanup(out int lpErrno);
    /// <summary>Closes a socket; pending overlapped operations complete with WSA_OPERATION_ABORTED.</summary>
    int WSPCloseSocket(SOCKET s, out int lpErrno);
    /// <summary>Connects, exchanging connect data where the protocol supports it.</summary>
    int WSPConnect(SOCKET s, byte[] name, int namelen, WSABUF? lpCallerData, WSABUF? lpCalleeData, QOS? lpSQOS, QOS? lpGQOS, out int lpErrno);
    /// <summary>Describes a socket for another process.</summary>
    int WSPDuplicateSocket(SOCKET s, uint dwProcessId, WSAPROTOCOL_INFOW lpProtocolInfo, out int lpErrno);
    /// <summary>Copies and clears the network-event record; resets the event if given.</summary>
    int WSPEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject, WSANETWORKEVENTS lpNetworkEvents, out int lpErrno);
    /// <summary>Event-object notification of network events.</summary>
    int WSPEventSelect(SOCKET s, WSAEVENT hEventObject, int lNetworkEvents, out int lpErrno);
    /// <summary>Result of an overlapped operation.</summary>
    bool WSPGetOverlappedResult(SOCKET s, WSAOVERLAPPED lpOverlapped, out uint lpcbTransfer, bool fWait, out uint lpdwFlags, out int lpErrno);
    /// <summary>The peer's address.</summary>
    int WSPGetPeerName(SOCKET s, byte[] name, ref int namelen, out int lpErrno);
    /// <summary>The local address.</summary>
    int WSPGetSockName(SOCKET s, byte[] name, ref int namelen, out int lpErrno);
    /// <summary>Reads a socket option.</summary>
    int WSPGetSockOpt(SOCKET s, int level, int optname, byte[] optval, ref int optlen, out int lpErrno);
    /// <summary>Looks up a QoS template by name.</summary>
    bool WSPGetQOSByName(SOCKET s, WSABUF lpQOSName, QOS lpQOS, out int lpErrno);
    /// <summary>Socket I/O control.</summary>
    int WSPIoctl(SOCKET s, uint dwIoControlCode, byte[]? lpvInBuffer, uint cbInBuffer, byte[]? lpvOutBuffer, uint cbOutBuffer,
        out uint lpcbBytesReturned, WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine,
        WSATHREADID? lpThreadId, out int lpErrno);
    /// <summary>Joins a leaf to a multipoint session.</summary>
    SOCKET WSPJoinLeaf(SOCKET s, byte[] name, int namelen, WSABUF? lpCallerData, WSABUF? lpCalleeData, QOS? lpSQOS, QOS? lpGQOS,
        uint dwFlags, out int lpErrno);
    /// <summary>Listens for connections (or, on a c_leaf, for invitations).</summary>
    int WSPListen(SOCKET s, int backlog, out int lpErrno);
    /// <summary>Receives (WSPRecv seed). lpNumberOfBytesRecvd is 0 unless the call completed at once.</summary>
    int WSPRecv(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesRecvd, ref uint lpFlags,
        WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine, WSATHREADID? lpThreadId, out int lpErrno);
    /// <summary>Receives disconnect data and shuts down the receive side.</summary>
    int WSPRecvDisconnect(SOCKET s, WSABUF? lpInboundDisconnectData, out int lpErrno);
    /// <summary>Receives a datagram and its source address.</summary>
    int WSPRecvFrom(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesRecvd, ref uint lpFlags,
        byte[]? lpFrom, ref int lpFromlen, WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine,
        WSATHREADID? lpThreadId, out int lpErrno);
    /// <summary>Readiness of a set of sockets.</summary>
    int WSPSelect(int nfds, fd_set? readfds, fd_set? writefds, fd_set? exceptfds, timeval? timeout, out int lpErrno);
    /// <summary>Sends.</summary>
    int WSPSend(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesSent, uint dwFlags,
        WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine, WSATHREADID? lpThreadId, out int lpErrno);
    /// <summary>Sends disconnect data and shuts down the send side.</summary>
    int WSPSendDisconnect(SOCKET s, WSABUF? lpOutboundDisconnectData, out int lpErrno);
    /// <summary>Sends to an address.</summary>
    int WSPSendTo(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesSent, uint dwFlags,
        byte[]? lpTo, int iTolen, WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine,
        WSATHREADID? lpThreadId, out int lpErrno);
    /// <summary>Sets a socket option.</summary>
    int WSPSetSockOpt(SOCKET s, int level, int optname, byte[]? optval, int optlen, out int lpErrno);
    /// <summary>Disables sends, receives or both.</summary>
    int WSPShutdown(SOCKET s, int how, out int lpErrno);
    /// <summary>Creates a socket; the provider gets its handle from WPUCreateSocketHandle.</summary>
    SOCKET WSPSocket(int af, int type, int protocol, WSAPROTOCOL_INFOW? lpProtocolInfo, uint g, uint dwFlags, out int lpErrno);
    /// <summary>Parses text into a sockaddr.</summary>
    int WSPStringToAddress(string AddressString, int AddressFamily, WSAPROTOCOL_INFOW? lpProtocolInfo, byte[] lpAddress,
        ref int lpAddressLength, out int lpErrno);
}
