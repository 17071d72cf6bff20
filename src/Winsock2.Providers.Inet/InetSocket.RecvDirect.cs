using Winsock2.Interop;
using Winsock2.Providers.Core;
using Winsock2.Kernel;

namespace Winsock2.Providers.Inet;

/// <summary>
/// The blocking stream receive's fast path: recv(2) straight into the caller's array with the socket's lock released.
/// The reactor takes the same lock on every readiness change; while a receiver held it across the kernel's copy (a
/// 16 KiB copy is microseconds), the reactor queued on the lock and every release paid a futex wake-up — a lock
/// convoy that cost more than the copy. Here the lock is held only for the checks before the call and, when the
/// call changes the socket's state, for recording it after.
/// </summary>
internal sealed partial class InetSocket
{
    /// <summary>
    /// recv on a blocking stream socket into one buffer with no flags and nothing queued ahead. True: finished,
    /// with <paramref name="rc"/> (0 or SOCKET_ERROR), <paramref name="received"/> and <paramref name="errno"/>. False:
    /// the call takes the queued path (another state to honour, or no data yet: that path tries again under the lock
    /// before it queues, so no readiness edge falls between this attempt and the wait).
    /// </summary>
    private unsafe bool TryReceiveDirect(WSABUF buffer, out uint received, out int rc, out int errno)
    {
        received = 0;
        rc = 0;
        errno = 0;
        lock (Gate)
        {
            // What the queued path checks first, in its order: anything unusual goes there.
            if (!IsStream || NonBlocking || CheckReceive(0, overlapped: false) != 0 || !_recvQ.IsEmpty
                || _sockError != 0 || _eof || buffer.len == 0 || (!OobInline && (_urgentHint || _checkMark))
                || !NoteImmediateReceive(buffer.len)) // InetSocket.QuietInput.cs
                return false;
            // Any receive call re-enables FD_READ and FD_OOB (SPEC §5); the queued path would do it again, harmlessly.
            Events.Reenable(Ws2Spi.FD_READ | Ws2Spi.FD_OOB);
        }
        nint n;
        int err;
        fixed (byte* p = buffer.buf)
        {
            do n = SocketCalls.Recv(_handle, p + buffer.offset, buffer.len, Libc.MSG_DONTWAIT, out err);
            while (n < 0 && err == Errno.EINTR);
        }
        if (n == buffer.len && !Events.Active)
        {
            // Full: no state of the socket changed (a selection made meanwhile records the state itself).
            received = (uint)n;
            return true;
        }
        lock (Gate)
        {
            if (n < 0)
            {
                if (err == Errno.EAGAIN)
                {
                    _checkMark = true; // as StreamFailed: the next data may start at an urgent mark
                    return false;
                }
                // Closed meanwhile: the call was in progress, as a blocked one it ends with WSAEINTR.
                errno = _closed ? Ws2Spi.WSAEINTR : StreamError(err);
                RefreshEvents();
                rc = Ws2Spi.SOCKET_ERROR;
                return true;
            }
            if (n == 0) _eof = true;
            else if ((nuint)n < buffer.len) _checkMark = true; // a short read may have stopped at an urgent mark
            RefreshEvents();
            received = (uint)n;
            return true;
        }
    }
}
