using Winsock2.Interop;

namespace Winsock2.Providers.Inet;

/// <summary>What WSAPoll asks of a socket (SIO_POLL_EVENTS): the WSAPOLLFD revents that hold now.</summary>
internal sealed partial class InetSocket
{
    /// <summary>
    /// The revents for <paramref name="events"/> (under the lock): a listener is POLLRDNORM with a connection waiting;
    /// a connected stream POLLRDNORM with data, POLLRDBAND with urgent data kept, POLLWRNORM with room to send,
    /// POLLHUP (with POLLRDNORM: a read returns 0 at once) once the peer closed, POLLHUP | POLLERR once reset; a failed
    /// connect POLLHUP | POLLERR (until the socket connects again); a datagram socket POLLRDNORM with a datagram waiting and POLLWRNORM. POLLERR and POLLHUP
    /// are reported whether asked for or not.
    /// </summary>
    public short PollEvents(short events)
    {
        if (_closed) return Ws2Spi.POLLNVAL;
        short rev = SocketCalls.PollNow(_handle, (short)(Libc.POLLIN | Libc.POLLPRI | Libc.POLLOUT | Libc.POLLRDHUP));
        int result = 0;
        if (_listening)
        {
            if (_backlog.Count > 0 || (rev & Libc.POLLIN) != 0) result |= Ws2Spi.POLLRDNORM;
        }
        else if (IsDatagram)
        {
            if ((rev & Libc.POLLIN) != 0) result |= Ws2Spi.POLLRDNORM;
            if ((rev & Libc.POLLOUT) != 0) result |= Ws2Spi.POLLWRNORM;
        }
        else if (_conn == ConnState.Failed || (_conn == ConnState.None && _connectError != 0)) // a state, not an event: select reporting it does not clear it
        {
            result |= Ws2Spi.POLLHUP | Ws2Spi.POLLERR;
        }
        else if (_conn == ConnState.Connected)
        {
            if ((rev & Libc.POLLERR) != 0) TakeSocketError();
            if (_sockError != 0) result |= Ws2Spi.POLLHUP | Ws2Spi.POLLERR;
            else
            {
                if (SocketCalls.BytesAvailable(_handle) > 0) result |= Ws2Spi.POLLRDNORM;
                if (UrgentPending(rev)) result |= Ws2Spi.POLLRDBAND;
                if (_eof || (rev & (Libc.POLLRDHUP | Libc.POLLHUP)) != 0) result |= Ws2Spi.POLLHUP | Ws2Spi.POLLRDNORM;
                if ((rev & Libc.POLLOUT) != 0 && !_sendShut) result |= Ws2Spi.POLLWRNORM;
            }
        }
        return (short)(result & (events | Ws2Spi.POLLERR | Ws2Spi.POLLHUP | Ws2Spi.POLLNVAL));
    }
}
