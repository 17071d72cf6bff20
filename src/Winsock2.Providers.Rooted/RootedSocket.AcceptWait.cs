using System.Net.Sockets;
using Winsock2.Interop;
using Winsock2.Providers.Core;
using Winsock2.Kernel;

namespace Winsock2.Providers.Rooted;

/// <summary>
/// A blocking accept that takes its joins itself: while one thread waits in accept/WSAAccept on a listening c_root or
/// c_leaf, the reactor stops watching the listener, and that thread sleeps on the listener, on the connections it
/// accepted that have not made their request yet, and on its own wake-up (<see cref="SocketWait"/>). Woken by a
/// connect it accepts; by a request it reads it (<see cref="Connection.OnReady"/>, under the one-reader rule) — as
/// the reactor would, without its wake-up and the hand-over. When the accept call returns (it answered the join it
/// took, or closesocket, WSACancelBlockingCall ended it) the listener and those connections go back to the reactor;
/// it reports readiness already there, so nothing that came meanwhile is missed. One thread at a time does this;
/// others sleep as before.
/// </summary>
internal abstract partial class RootedSocket
{
    /// <summary>At most this many accepted connections wait unwatched for their request; more are watched at once.</summary>
    private const int MaxUnwatched = 16;

    [ThreadStatic] private static Connection[]? t_polled;

    /// <summary>The thread taking joins itself, or null (under the lock).</summary>
    private ThreadContext? _acceptingThread;
    /// <summary>Connections it accepted that the reactor does not watch yet (under the lock).</summary>
    private readonly List<Connection> _unwatched = new();

    /// <summary>The listening TCP socket, its reactor registration and the accepted connections without a request; null when not listening.</summary>
    protected virtual (Socket Listener, ulong Id, List<Connection> Handshaking)? AcceptParts => null;

    bool IListeningSocket<Connection>.SleepsOnItsSockets => true;

    void IListeningSocket<Connection>.SleepUntilPending(int milliseconds)
    {
        var ctx = ThreadContext.Current;
        var polled = t_polled ??= new Connection[MaxUnwatched];
        Span<Libc.pollfd> fds = stackalloc Libc.pollfd[MaxUnwatched + 1];
        int n = 0;
        lock (Gate)
        {
            if (!Closed && AcceptParts is { } parts && (_acceptingThread is null || _acceptingThread == ctx))
            {
                if (_acceptingThread is null)
                {
                    _acceptingThread = ctx;
                    Reactor.Shared.Modify((int)parts.Listener.Handle, parts.Id, 0); // the reactor leaves the listener to this thread
                }
                fds[n++] = new Libc.pollfd { fd = (int)parts.Listener.Handle, events = Libc.POLLIN };
                _unwatched.RemoveAll(static c => c.IsTerminated);
                foreach (var c in _unwatched)
                {
                    polled[n - 1] = c;
                    fds[n++] = new Libc.pollfd { fd = c.Fd, events = Libc.POLLIN | Libc.POLLRDHUP };
                }
            }
        }
        if (n == 0)
        {
            ctx.Waiter.Sleep(milliseconds); // another thread takes the joins, or nothing to take them from
            return;
        }
        SocketWait.Sleep(ctx.Waiter, fds[..n], milliseconds);
        if ((fds[0].revents & Libc.POLLIN) != 0)
        {
            lock (Gate)
            {
                if (!Closed && _acceptingThread == ctx && AcceptParts is { } parts)
                    AcceptWaiting(parts.Listener, (IConnectionOwner)this, parts.Handshaking, _unwatched, MaxUnwatched, drain: false);
            }
        }
        for (int i = 1; i < n; i++)
        {
            short revents = fds[i].revents;
            var c = polled[i - 1];
            polled[i - 1] = null!;
            // Closed under the wait (POLLNVAL): whoever closed it ended the connection. Else: what the reactor would do.
            if (revents != 0 && (revents & Libc.POLLNVAL) == 0) c.OnReady((uint)(ushort)revents);
        }
    }

    /// <summary>
    /// The accept call that took joins itself returns (without the lock): the listener and the connections it took
    /// go back to the reactor. Not when its wait ends but once it has answered the join it took (AcceptJoin), so
    /// the two registrations are not on the way from the request to the answer; while the condition function runs,
    /// connections that come wait in the listener's backlog. Nothing when the thread took none.
    /// </summary>
    private void EndTakingJoins()
    {
        var ctx = ThreadContext.CurrentIfAny;
        Connection[] handBack;
        lock (Gate)
        {
            if (ctx is null || _acceptingThread != ctx) return;
            _acceptingThread = null;
            if (!Closed && AcceptParts is { } parts) Reactor.Shared.Modify((int)parts.Listener.Handle, parts.Id, Reactor.AllEvents);
            if (_unwatched.Count == 0) return;
            handBack = _unwatched.ToArray();
            _unwatched.Clear();
        }
        foreach (var c in handBack) c.Watch(); // without the lock (Connection.Watch); an ended one stays unwatched
    }
}
