using System.Net.Sockets;
using Winsock2.Interop;
using Winsock2.Providers.Rooted.Wire;
using Winsock2.Providers.Core;

namespace Winsock2.Providers.Rooted;

/// <summary>The reactor side of a connection: a finished connect, writability, and reading frames into the owner.</summary>
internal sealed partial class Connection
{
    /// <summary>Reads happen only on the reactor thread, so one buffer serves every connection.</summary>
    private static readonly byte[] ReadBuffer = new byte[256 * 1024];

    public void OnReady(uint events)
    {
        if (_connecting)
        {
            if ((events & (Libc.EPOLLOUT | Libc.EPOLLERR | Libc.EPOLLHUP)) == 0) return;
            int err = Errno.ToWinsock(SocketCalls.SocketError(_handle));
            lock (Owner.Gate)
            {
                if (IsTerminated) return;
                _connecting = false;
                if (err == 0) Remote = SocketCalls.EndPoint(_handle, peer: true);
                Owner.OnConnected(this, err);
                if (err != 0) { Terminate(); return; }
            }
        }
        if ((events & Libc.EPOLLOUT) != 0)
        {
            bool again;
            lock (Owner.Gate) { again = _waitingWritable; _waitingWritable = false; }
            if (again) Writer.Schedule(this);
        }
        if ((events & (Libc.EPOLLIN | Libc.EPOLLRDHUP | Libc.EPOLLHUP | Libc.EPOLLERR)) != 0) ReadAll();
    }

    private void ReadAll()
    {
        lock (Owner.Gate) ReadAvailable(ReadBuffer);
    }

    /// <summary>
    /// Reads (nonblocking, under the session lock) until the socket has nothing more, feeding the decoder; frames
    /// go to the owner. The reactor calls it on readiness, and a receiving thread that found its inbox empty may
    /// call it too (it then does not wait for the reactor). Reading under the lock keeps the stream in order.
    /// </summary>
    public unsafe void ReadAvailable(byte[] buffer)
    {
        while (!IsTerminated)
        {
            nint n;
            int err;
            fixed (byte* p = buffer)
            {
                var iov = new Libc.iovec { iov_base = p, iov_len = (nuint)buffer.Length };
                n = SocketCalls.RecvMsg(_handle, &iov, 1, null, 0, Libc.MSG_DONTWAIT, out _, out _, out err);
            }
            if (n < 0 && err == SocketCalls.EBADF) return; // the socket was closed: nothing more to read
            if (n > 0)
            {
                LastReceived = Environment.TickCount64;
                if (_lingering) continue;
                if (!_decoder.Feed(buffer.AsSpan(0, (int)n), Dispatch))
                {
                    if (IsTerminated || _leaveSeen) return;
                    End(Ws2Spi.WSAECONNABORTED, abort: true); // malformed or hostile peer: drop this connection only
                    return;
                }
                continue;
            }
            if (n == 0)
            {
                if (_lingering || _leaveSeen) { Terminate(); return; }
                // FIN without LEAVE: the peer died or was killed; a cut frame is a protocol violation.
                End(_decoder.MidFrame ? Ws2Spi.WSAECONNABORTED : Ws2Spi.WSAECONNRESET, abort: false);
                return;
            }
            if (err == Errno.EINTR) continue;
            if (err == Errno.EAGAIN) return;
            if (_lingering || _leaveSeen) { Terminate(); return; }
            End(Errno.ToWinsock(err) is var code && code == Ws2Spi.WSAETIMEDOUT ? Ws2Spi.WSAENETRESET : Ws2Spi.WSAECONNRESET, abort: false);
            return;
        }
    }

    private void Dispatch(FrameType type, byte[] payload)
    {
        switch (type)
        {
            case FrameType.Heartbeat:
                return;
            case FrameType.Leave:
                _leaveSeen = true;
                Owner.OnClosed(this, 0);
                if (!IsTerminated) BeginLinger();
                return;
            default:
                Owner.OnFrame(this, type, payload);
                return;
        }
    }

    /// <summary>The peer said LEAVE: stop sending, half-close, and drain until it closes.</summary>
    private void BeginLinger()
    {
        _lingering = true;
        _private.Clear();
        PrivateBytes = 0;
        ReceivesStream = false;
        JoinDeadline = Environment.TickCount64 + 5_000;
        try { _os.Shutdown(SocketShutdown.Send); } catch (Exception) { }
    }

    /// <summary>Reports the end to the owner (once) and closes.</summary>
    public void End(int error, bool abort)
    {
        if (IsTerminated) return;
        Owner.OnClosed(this, error);
        if (abort) Abort(); else Terminate();
    }

    /// <summary>Marks the stream malformed from a frame handler (the caller ends the connection).</summary>
    public void Reject(string why) => _decoder.Fail(why);
}
