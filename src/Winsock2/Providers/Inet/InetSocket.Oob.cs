using Winsock2.Interop;
using Winsock2.Providers.Shared;

namespace Winsock2.Providers.Inet;

/// <summary>
/// Out-of-band data with SO_OOBINLINE off. Winsock (like BSD) keeps the urgent byte readable with MSG_OOB until it
/// is read or newer urgent data replaces it, and FD_OOB / select's exceptfds stay true meanwhile. Linux instead
/// discards it as soon as a normal read moves past the urgent mark (tcp_recvmsg clears urg_data). So before a normal
/// read the urgent byte is taken out of the kernel and kept here; MSG_OOB reads are served from it.
/// </summary>
internal sealed partial class InetSocket
{
    private int _urgentByte = -1;

    /// <summary>True while an out-of-band byte waits for a MSG_OOB read (kept here, or still in the kernel).</summary>
    private bool UrgentPending(short revents) => IsStream && !OobInline && (_urgentByte >= 0 || (revents & Libc.POLLPRI) != 0);

    /// <summary>Takes a pending urgent byte out of the kernel so that a normal read cannot make Linux drop it.</summary>
    private unsafe void KeepUrgentByte()
    {
        if (!IsStream || OobInline || (Libc.PollNow(_fd, Libc.POLLPRI) & Libc.POLLPRI) == 0) return;
        byte b;
        var iov = new Libc.iovec { iov_base = &b, iov_len = 1 };
        var msg = new Libc.msghdr { msg_iov = &iov, msg_iovlen = 1 };
        if (Libc.recvmsg(_fd, &msg, Libc.MSG_OOB | Libc.MSG_DONTWAIT) == 1) _urgentByte = b; // newer urgent data replaces older
    }

    /// <summary>A MSG_OOB receive served from the kept byte (MSG_PEEK leaves it); false when none is kept.</summary>
    private bool TakeUrgentByte(IoRequest r)
    {
        if (_urgentByte < 0) return false;
        foreach (var seg in r.Segments)
        {
            if (seg.Count == 0) continue;
            seg.Array![seg.Offset] = (byte)_urgentByte;
            r.Bytes = 1;
            r.OutFlags = 0;
            if ((r.Flags & Ws2_32.MSG_PEEK) == 0) _urgentByte = -1;
            return true;
        }
        return false;
    }
}
