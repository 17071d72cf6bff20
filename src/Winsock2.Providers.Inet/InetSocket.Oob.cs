using Winsock2.Interop;
using Winsock2.Providers.Core;

namespace Winsock2.Providers.Inet;

/// <summary>
/// Out-of-band data with SO_OOBINLINE off. Winsock (like BSD) keeps the urgent byte readable with MSG_OOB until it
/// is read or newer urgent data replaces it, and FD_OOB / select's exceptfds stay true meanwhile. Linux instead
/// discards it as soon as a normal read moves past the urgent mark (tcp_recvmsg clears urg_data). So before a normal
/// read the urgent byte is taken out of the kernel and kept here; MSG_OOB reads are served from it.
///
/// Looking for it costs a poll, so a normal read looks only when urgent data may have come: the reactor saw
/// EPOLLPRI (<see cref="_urgentHint"/>), or the previous read came back short (<see cref="_checkMark"/>: Linux ends a
/// read at the urgent mark, and only a read that starts at the mark loses the byte). A read that filled its
/// buffers and was not warned by the reactor reads on without the poll.
/// </summary>
internal sealed partial class InetSocket
{
    private int _urgentByte = -1;

    /// <summary>Set by the reactor thread when epoll reported EPOLLPRI; cleared by the poll that follows.</summary>
    private volatile bool _urgentHint;

    /// <summary>The next normal read polls first: the last one was short (it may have stopped at the mark), or none ran yet.</summary>
    private bool _checkMark = true;

    /// <summary>
    /// True while an out-of-band byte waits for a MSG_OOB read (kept here, or still in the kernel). A poll that saw
    /// urgent data in the kernel also warns the next normal read (as the reactor's EPOLLPRI does).
    /// </summary>
    private bool UrgentPending(short revents)
    {
        if ((revents & Libc.POLLPRI) != 0) _urgentHint = true;
        return IsStream && !OobInline && (_urgentByte >= 0 || (revents & Libc.POLLPRI) != 0);
    }

    /// <summary>
    /// Takes a pending urgent byte out of the kernel so that a normal read cannot make Linux drop it. Polls only when
    /// <paramref name="always"/> (a MSG_OOB read) or when urgent data may have come (see the class summary).
    /// </summary>
    private unsafe void KeepUrgentByte(bool always)
    {
        if (!IsStream || OobInline) return;
        if (!always && !_urgentHint && !_checkMark) return;
        _urgentHint = false; // cleared before the poll: a later EPOLLPRI sets it again
        _checkMark = false;
        if ((SocketCalls.PollNow(_handle, Libc.POLLPRI) & Libc.POLLPRI) == 0) return;
        byte b;
        var iov = new Libc.iovec { iov_base = &b, iov_len = 1 };
        if (SocketCalls.RecvMsg(_handle, &iov, 1, null, 0, Libc.MSG_OOB | Libc.MSG_DONTWAIT, out _, out _, out _) == 1) _urgentByte = b; // newer urgent data replaces older
    }

    /// <summary>A MSG_OOB receive served from the kept byte (MSG_PEEK leaves it); false when none is kept.</summary>
    private bool TakeUrgentByte(IoRequest r)
    {
        if (_urgentByte < 0) return false;
        for (int i = 0; i < r.SegmentCount; i++)
        {
            var seg = r.Segment(i);
            if (seg.Count == 0) continue;
            seg.Array![seg.Offset] = (byte)_urgentByte;
            r.Bytes = 1;
            r.OutFlags = 0;
            if ((r.Flags & Ws2Spi.MSG_PEEK) == 0) _urgentByte = -1;
            return true;
        }
        return false;
    }
}
