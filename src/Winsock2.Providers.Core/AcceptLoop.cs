using Winsock2.Kernel;

namespace Winsock2.Providers.Core;

/// <summary>A listening provider socket as the shared accept steps see it (<typeparamref name="TPending"/>: what waits to be accepted).</summary>
internal interface IListeningSocket<TPending> : IEventSelectable where TPending : class
{
    /// <summary>True while the socket listens (under the lock).</summary>
    bool Listening { get; }
    /// <summary>The threads waiting for the socket's readiness to change.</summary>
    ReadyWaiters ReadyWaiters { get; }
    /// <summary>Re-derives the level-triggered network events (under the lock).</summary>
    void RefreshEvents();
    /// <summary>True when something waits to be accepted (under the lock; also read without it by a waiting accept, as a hint).</summary>
    bool HasPending { get; }
    /// <summary>The oldest waiting connection, taken out of the queue, or null (with an error, or 0 when none waits). Under the lock.</summary>
    TPending? TakePending(out int errno);
    /// <summary>Puts a taken connection back first in the queue (CF_DEFER, or an invalid verdict). Under the lock.</summary>
    void PutBack(TPending pending);
    /// <summary>Refuses a taken connection (CF_REJECT). Under the lock.</summary>
    void Refuse(TPending pending);

    /// <summary>True when a blocking accept sleeps through <see cref="SleepUntilPending"/> (false: the waiter's sleep, after a short spin).</summary>
    bool SleepsOnItsSockets => false;

    /// <summary>
    /// A blocking accept's sleep while nothing is pending (without the lock): the provider may sleep on its listener
    /// and on the connections that have not made their request yet, and do their work itself. It must end when the
    /// thread's <see cref="ThreadContext.Waiter"/> is woken (closesocket, WSACancelBlockingCall, an APC).
    /// </summary>
    void SleepUntilPending(int milliseconds) => ThreadContext.Current.Waiter.Sleep(milliseconds);

    /// <summary>The blocking accept's wait ended (without the lock): what <see cref="SleepUntilPending"/> took over goes back.</summary>
    void WaitEnded() { }
}

/// <summary>
/// The steps of WSPAccept every provider here shares: wait for the oldest pending connection, and act on the
/// condition function's verdict. What accepting means (a new socket, admission, callee data) stays the provider's.
/// </summary>
internal static class AcceptLoop
{
    /// <summary>
    /// The oldest pending connection, waiting (alertably) while none is there; or null with the error: WSAENOTSOCK
    /// once closed (WSAEINTR when closed by another thread while this call waited), WSAEINVAL when not listening, WSAEWOULDBLOCK when nonblocking and none waits (FD_ACCEPT is then
    /// re-enabled), the provider's error taking one, or the wait's error.
    /// </summary>
    public static TPending? Take<TPending>(IListeningSocket<TPending> socket, out int errno) where TPending : class
    {
        while (true)
        {
            lock (socket.Gate)
            {
                errno = socket.IsClosed ? Ws2Spi.WSAENOTSOCK : !socket.Listening ? Ws2Spi.WSAEINVAL : 0;
                if (errno != 0) return null;
                var pending = socket.TakePending(out errno);
                if (errno != 0) return null;
                if (pending is not null) return pending;
                if (socket.NonBlocking)
                {
                    socket.Events.Reenable(Ws2Spi.FD_ACCEPT);
                    socket.RefreshEvents();
                    errno = Ws2Spi.WSAEWOULDBLOCK;
                    return null;
                }
            }
            // Looked at without the lock (the loop takes it to act): a waiter that spins on the lock would hold off the
            // reactor thread delivering the very connection it waits for, and each release would wake the reactor.
            int wait;
            if (!socket.SleepsOnItsSockets) wait = socket.ReadyWaiters.WaitFor(socket, static s => s.IsClosed || s.HasPending, -1);
            else
            {
                try { wait = socket.ReadyWaiters.WaitFor(socket, static s => s.IsClosed || s.HasPending, -1, static (s, ms) => s.SleepUntilPending(ms)); }
                finally { socket.WaitEnded(); }
            }
            if (wait == 0 && socket.IsClosed) wait = Ws2Spi.WSAEINTR; // closed by another thread under the blocked call
            if (wait != 0)
            {
                errno = wait;
                return null;
            }
        }
    }

    /// <summary>
    /// Acts on the condition function's verdict for <paramref name="pending"/> (under the lock). CF_ACCEPT: FD_ACCEPT
    /// is re-enabled and true comes back (the caller admits the connection). CF_REJECT: the connection is refused,
    /// WSAECONNREFUSED. CF_DEFER: it stays first in the queue, WSATRY_AGAIN, FD_ACCEPT not re-enabled. Anything else:
    /// it stays first in the queue, WSAEINVAL.
    /// </summary>
    public static bool Verdict<TPending>(IListeningSocket<TPending> socket, TPending pending, int verdict, out int errno) where TPending : class
    {
        switch (verdict)
        {
            case Ws2Spi.CF_ACCEPT:
                socket.Events.Reenable(Ws2Spi.FD_ACCEPT);
                errno = 0;
                return true;
            case Ws2Spi.CF_REJECT:
                socket.Refuse(pending);
                socket.Events.Reenable(Ws2Spi.FD_ACCEPT);
                socket.RefreshEvents();
                errno = Ws2Spi.WSAECONNREFUSED;
                return false;
            case Ws2Spi.CF_DEFER:
                socket.PutBack(pending);
                errno = Ws2Spi.WSATRY_AGAIN;
                return false;
            default:
                socket.PutBack(pending);
                errno = Ws2Spi.WSAEINVAL;
                return false;
        }
    }
}
