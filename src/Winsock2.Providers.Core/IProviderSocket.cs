namespace Winsock2.Providers.Core;

/// <summary>
/// The per-socket calls every provider here answers the same way (their bodies differ, the table plumbing does not).
/// Event selection (<see cref="EventSelection"/>) and select (<see cref="SelectEngine"/>) work on every such socket.
/// </summary>
internal interface IProviderSocket : IEventSelectable, SelectEngine.ISelectable
{
    /// <summary>The handle WPUCreateSocketHandle gave this socket (INVALID_SOCKET before it is attached).</summary>
    SOCKET Handle { get; }
    /// <summary>
    /// WSPIoctl's codes that depend on the transport, under the lock on an open socket (<see cref="ImmediateIoctl.Run"/>
    /// has answered FIONBIO and FIONREAD): 0 or the error, and the output size.
    /// </summary>
    int Ioctl(uint code, byte[]? input, uint inLen, byte[]? output, uint outLen, out uint returned);
    /// <summary>What FIONREAD reports: the bytes a receive would return now (under the lock).</summary>
    int BytesAvailable();
    int GetOption(int level, int optname, byte[] optval, ref int optlen);
    int SetOption(int level, int optname, byte[]? optval, int optlen);
    int Shutdown(int how);
    /// <summary>WSPRecv / WSPRecvFrom on this socket (the buffers are already checked).</summary>
    int Receive(WSABUF[] buffers, uint count, out uint received, ref uint flags, byte[]? from, ref int fromlen,
        WSAOVERLAPPED? ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, out int errno);
    /// <summary>WSPSend / WSPSendTo on this socket (the buffers are already checked; to is null for WSPSend).</summary>
    int Send(WSABUF[] buffers, uint count, out uint sent, uint flags, byte[]? to, int tolen,
        WSAOVERLAPPED? ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, out int errno);
    /// <summary>
    /// WSAPoll's revents for <paramref name="events"/> (under the lock; SIO_POLL_EVENTS). By default from select's
    /// readiness: readable → POLLRDNORM, writable → POLLWRNORM, exceptional → POLLRDBAND.
    /// </summary>
    short PollEvents(short events)
    {
        int r = (IsReady(0) ? Ws2Spi.POLLRDNORM : 0) | (IsReady(1) ? Ws2Spi.POLLWRNORM : 0) | (IsReady(2) ? Ws2Spi.POLLRDBAND : 0);
        return (short)(r & (events | Ws2Spi.POLLERR | Ws2Spi.POLLHUP));
    }
    /// <summary>
    /// The socket this handle's calls go to instead, or null: a rooted AcceptEx's accept socket stands for the leaf it
    /// admitted (the provider's own per-leaf socket, which then has no handle of its own).
    /// </summary>
    IProviderSocket? StandsFor => null;
    /// <summary>closesocket: the provider's part, before the handle is released.</summary>
    void Close();
}
