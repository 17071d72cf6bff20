using Winsock2.Interop;
using Winsock2.Providers.Core;
using Winsock2.Kernel;

namespace Winsock2.Providers.Rooted;

/// <summary>The join handshake's frames, written by the thread that makes them when nothing else waits to go out.</summary>
internal sealed partial class Connection
{
    /// <summary>
    /// The reactor starts watching a connection made with watch: false, called without the owner's lock. Registering
    /// reports the readiness the socket already has, so nothing that happened before is missed. A joiner registers
    /// here, after it released the session lock: registered under it, the new socket's readiness woke the reactor at
    /// once, only for it to queue on that lock and be woken again when the joiner let go. The descriptor is held for
    /// the call (it cannot be closed and reused under it); a connection that ended meanwhile is unwatched again.
    /// </summary>
    public void Watch()
    {
        bool held = false;
        try
        {
            _handle.DangerousAddRef(ref held);
            if (Volatile.Read(ref _reactorId) != 0 || IsTerminated) return;
            // A connected socket is writable: watching EPOLLOUT from the start only wakes the reactor for nothing.
            // It is added when a write first meets a full buffer (WatchWritable); a connect in progress needs it.
            bool writable = _connecting;
            _outWatched = writable;
            ulong id = Reactor.Shared.Register(_fd, this, writable ? Reactor.AllEvents : Reactor.AllEvents & ~Libc.EPOLLOUT);
            Volatile.Write(ref _reactorId, id);
            Interlocked.MemoryBarrier(); // pairs with Terminate's and WatchWritable's: one of each pair sees the other
            if (IsTerminated) Reactor.Shared.Unregister(_fd, id);
            else if (!writable && Volatile.Read(ref _waitingWritable)) WatchWritable(); // a write parked before the id was there
        }
        catch (ObjectDisposedException) { } // closed before it was watched: nothing to watch
        finally
        {
            if (held) _handle.DangerousRelease();
        }
    }

    /// <summary>
    /// The joining thread's sleep in a blocking WSAJoinLeaf while its connection is not watched yet (it calls
    /// <see cref="Watch"/> when the wait ends): it sleeps on the socket's readiness and on its own wake-up together
    /// (<see cref="SocketWait"/>), and on readiness does what the reactor would — finishes the connect, reads the
    /// answer frame — so the answer reaches it without a reactor wake-up and a hand-over between threads. Reading goes
    /// through <see cref="RequestRead"/>, so the one-reader rule holds as for any reader. Woken (closesocket,
    /// WSACancelBlockingCall, an APC), it returns and the blocking wait looks at why.
    /// </summary>
    public void SleepUntilAnswered(int milliseconds)
    {
        var waiter = ThreadContext.Current.Waiter;
        if (IsTerminated || Volatile.Read(ref _reactorId) != 0)
        {
            waiter.Sleep(milliseconds); // ended, or watched: whoever ends the wait wakes the thread
            return;
        }
        short events = (short)(Libc.POLLIN | Libc.POLLRDHUP
            | (Volatile.Read(ref _connecting) || Volatile.Read(ref _waitingWritable) ? Libc.POLLOUT : 0));
        short revents = SocketWait.Sleep(waiter, _fd, events, milliseconds);
        // Nothing, or closed under the wait (the closer ends the connection and wakes the thread): look again.
        if (revents == 0 || (revents & Libc.POLLNVAL) != 0) return;
        OnReady((uint)(ushort)revents); // poll's bits are epoll's for these events
    }

    /// <summary>
    /// A write met a full buffer (<see cref="ParkUntilWritable"/>, under the lock): the registration must report
    /// EPOLLOUT. Registrations other than <see cref="Watch"/>'s always do; a write that parks before Watch stored its id
    /// leaves the change to Watch, which looks at the parked flag after it did.
    /// </summary>
    private void WatchWritable()
    {
        // A full fence before the first look: the parked flag the caller just stored and Watch's registration pair up
        // (Watch stores, fences, then looks at the flag). With the look at _outWatched first, both could see the other's
        // old value — this write parked, Watch registered without EPOLLOUT — and nothing would resume the write.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _outWatched)) return;
        ulong id = Volatile.Read(ref _reactorId);
        if (id == 0) return;
        Volatile.Write(ref _outWatched, true);
        Reactor.Shared.Modify(_handle, id, Reactor.AllEvents);
    }

    /// <summary>
    /// The joining thread, right after its connect started (under the owner's lock): on loopback the handshake has
    /// usually finished by now, so the connect completes here and the join request leaves from this thread rather
    /// than after a reactor wake-up. Still in progress: the reactor's EPOLLOUT finishes it as before.
    /// </summary>
    public void FinishConnectIfDone()
    {
        if (!_connecting || IsTerminated) return;
        short revents = SocketCalls.PollNow(_handle, Libc.POLLOUT);
        if ((revents & (Libc.POLLOUT | Libc.POLLERR | Libc.POLLHUP)) == 0) return;
        // Writable with no error or hang-up: the connect succeeded, SO_ERROR has nothing to tell.
        FinishConnect(knownGood: (revents & (Libc.POLLERR | Libc.POLLHUP)) == 0);
    }

    /// <summary>
    /// The connect finished (under the owner's lock): its outcome goes to the owner; a failed one ends the connection.
    /// False when there is nothing more to do on this connection (terminated, or the connect failed).
    /// <paramref name="knownGood"/>: the readiness showed success, so the socket's error is not asked.
    /// </summary>
    private bool FinishConnect(bool knownGood = false)
    {
        if (IsTerminated) return false;
        if (!_connecting) return true; // the joining thread finished it first
        int err = knownGood ? 0 : Errno.ToWinsock(SocketCalls.SocketError(_handle));
        _connecting = false;
        if (err == 0) Remote = _connectingTo ?? SocketCalls.EndPoint(_handle, peer: true);
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
