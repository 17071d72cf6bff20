using Winsock2.Interop;
using Winsock2.Providers.Core;
using Winsock2.Kernel;

namespace Winsock2.Providers.Rooted;

/// <summary>The join handshake's frames, written by the thread that makes them when nothing else waits to go out.</summary>
internal sealed partial class Connection
{
    /// <summary>
    /// The joining thread, right after its connect started (under the owner's lock): on loopback the handshake has
    /// usually finished by now, so the connect completes here and the join request leaves from this thread rather
    /// than after a reactor wake-up. Still in progress: the reactor's EPOLLOUT finishes it as before.
    /// </summary>
    public void FinishConnectIfDone()
    {
        if (!_connecting || IsTerminated) return;
        if ((SocketCalls.PollNow(_handle, Libc.POLLOUT) & (Libc.POLLOUT | Libc.POLLERR | Libc.POLLHUP)) == 0) return;
        FinishConnect();
    }

    /// <summary>
    /// The connect finished (under the owner's lock): its outcome goes to the owner; a failed one ends the connection.
    /// False when there is nothing more to do on this connection (terminated, or the connect failed).
    /// </summary>
    private bool FinishConnect()
    {
        if (IsTerminated) return false;
        if (!_connecting) return true; // the joining thread finished it first
        int err = Errno.ToWinsock(SocketCalls.SocketError(_handle));
        _connecting = false;
        if (err == 0) Remote = SocketCalls.EndPoint(_handle, peer: true);
        Owner.OnConnected(this, err);
        if (err == 0) return true;
        Terminate();
        return false;
    }

    /// <summary>
    /// Sends one of this connection's own frames (a join request or answer), under the owner's lock. With nothing
    /// queued or being written, it goes out at once from this thread — a handshake frame into an empty socket
    /// buffer never blocks — instead of waking the writer thread for it: each join saves the writer's wake-up on
    /// both sides. Otherwise, or when the kernel takes only part of it or refuses it, it is queued as
    /// <see cref="Enqueue"/> queues it and the writer sends the rest (and meets any error in its usual place).
    /// </summary>
    public unsafe void SendNow(byte[] frame)
    {
        if (IsTerminated || _closeAfterFlush) return;
        if (_connecting || _waitingWritable || _inFlight != 0 || HasPending)
        {
            Enqueue(frame);
            return;
        }
        nint n;
        int err;
        fixed (byte* p = frame)
        {
            var iov = new Libc.iovec { iov_base = p, iov_len = (nuint)frame.Length };
            do n = SocketCalls.SendMsg(_handle, &iov, 1, null, 0, Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL, out err);
            while (n < 0 && err == Errno.EINTR);
        }
        if (n == frame.Length)
        {
            LastSent = Environment.TickCount64;
            return;
        }
        Enqueue(frame);
        if (n > 0) Advance((int)n); // the part the kernel took is not written twice
    }
}
