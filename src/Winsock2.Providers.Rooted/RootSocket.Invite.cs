using System.Net;
using Winsock2.Providers.Rooted.Wire;
using Winsock2.Providers.Core;

namespace Winsock2.Providers.Rooted;

/// <summary>Root-initiated joins (invitations, one at a time): WSAJoinLeaf on the root and how the invitation ends.</summary>
internal sealed partial class RootSocket
{
    public override SOCKET JoinLeaf(IPEndPoint ep, WSABUF? callerData, WSABUF? calleeData, QOS? sqos, uint flags, out int errno)
    {
        LeafHandle leaf;
        SOCKET handle;
        Connection c;
        bool nonBlocking;
        lock (Gate)
        {
            errno = Closed ? Ws2Spi.WSAENOTSOCK : SendShut ? Ws2Spi.WSAESHUTDOWN : Inviting is not null ? Ws2Spi.WSAEALREADY : CheckRemote(ep);
            // dwFlags are the root's role toward the leaf; the leaf's role (what the invitation carries) is its mirror.
            flags = LeafRole(flags);
            var qos = sqos; // the leaf's flowspecs; the root's own SIO_SET_QOS shapes its own sends only
            if (errno == 0) errno = CheckJoinArguments(callerData, calleeData, qos, flags);
            ulong reserve = Flowspecs.Reserved(qos, flags);
            if (errno == 0 && reserve > AdmissionLeft) errno = Ws2Spi.WSAEOPNOTSUPP;
            if (errno != 0) return SOCKET.Invalid;
            var os = NewTcp(null, out errno);
            if (errno != 0) return SOCKET.Invalid;
            leaf = new LeafHandle(this, flags)
            {
                State = LeafHandle.Phase.Inviting,
                Request = new JoinRequest(JoinDirection.RootInitiated, flags, callerData is null ? [] : callerData.AsSpan().ToArray(), qos?.Clone()),
                CalleeOut = calleeData,
            };
            handle = Provider.Register(leaf, out errno);
            if (!handle.IsValid) { os.Dispose(); return handle; }
            int rc = StartConnect(os, ep);
            if (rc > 0)
            {
                os.Dispose();
                Provider.Unregister(leaf);
                errno = rc;
                return SOCKET.Invalid;
            }
            c = new Connection(leaf, os, connecting: rc == -1, Options.HeartbeatMs, watch: false, peer: ep)
            {
                JoinDeadline = Environment.TickCount64 + Options.JoinTimeoutMs,
            };
            leaf.Conn = c;
            Inviting = leaf;
            // The asked flowspecs are held while the leaf decides: its grant (never above them) always fits.
            leaf.Reserved = reserve;
            _reserved += reserve;
            Events.Reenable(Ws2Spi.FD_CONNECT);
            if (rc == 0) leaf.OnConnected(c, 0);
            else c.FinishConnectIfDone();
            nonBlocking = NonBlocking;
        }
        if (nonBlocking)
        {
            c.Watch(); // now that the lock is released (Connection.Watch)
            return handle; // FD_CONNECT on this socket tells the outcome; never WSAEWOULDBLOCK
        }
        // The inviting thread reads the leaf's answer itself (Connection.SleepUntilAnswered); the reactor watches the
        // connection once the wait is over. The condition is looked at without the lock (re-checked under it below).
        int wait = WaitFor(leaf, static l => l.State != LeafHandle.Phase.Inviting || l.Closed, static (l, ms) => SleepUntilAnswered(l.Conn, ms));
        c.Watch();
        lock (Gate)
        {
            // Admitted: the join completed, whatever the leaf did since (a leaf that left at once gives FD_CLOSE).
            if (leaf.Admitted) return handle;
            errno = wait != 0 ? wait : leaf.EndError != 0 ? leaf.EndError : Ws2Spi.WSAECONNREFUSED;
            if (leaf.State == LeafHandle.Phase.Inviting)
            {
                leaf.Conn?.Abort();
                Inviting = null;
                ReleaseInvitation(leaf);
                leaf.State = LeafHandle.Phase.Ended;
            }
        }
        Provider.Unregister(leaf);
        return SOCKET.Invalid;
    }

    /// <summary>
    /// The invited leaf's role for the root's dwFlags: JL_SENDER_ONLY (the root only sends) makes a receiving-only
    /// leaf and the other way round; JL_BOTH or 0 a leaf that does both. Other bits are kept for the argument check.
    /// </summary>
    private static uint LeafRole(uint flags) => flags switch
    {
        0 or Ws2Spi.JL_BOTH => Ws2Spi.JL_BOTH,
        Ws2Spi.JL_SENDER_ONLY => Ws2Spi.JL_RECEIVER_ONLY,
        Ws2Spi.JL_RECEIVER_ONLY => Ws2Spi.JL_SENDER_ONLY,
        _ => flags,
    };

    /// <summary>The invited leaf accepted: deliver the callee data, admit it, and tell the root (FD_CONNECT).</summary>
    public void InviteAccepted(LeafHandle leaf, JoinAccept accept)
    {
        Inviting = null;
        if (leaf.CalleeOut is { } outBuf)
        {
            if (accept.CalleeData.Length > outBuf.len)
            {
                leaf.Conn!.CloseGracefully(); // the reply does not fit the caller's buffer
                Fail(leaf, Ws2Spi.WSAEFAULT);
                return;
            }
            accept.CalleeData.CopyTo(outBuf.buf!, outBuf.offset);
            outBuf.len = (uint)accept.CalleeData.Length;
        }
        // The grant is what the root asked, lowered by what the leaf answered; never more, and none if none was asked.
        var asked = leaf.Request?.Qos;
        var granted = asked is null ? null : Flowspecs.Lower(asked, accept.Granted ?? asked);
        ulong reserve = Math.Min(Flowspecs.Reserved(granted, leaf.JoinFlags), leaf.Reserved);
        _reserved = _reserved - leaf.Reserved + reserve;
        leaf.Admit(leaf.Conn!, granted, reserve);
        _leaves.Add(leaf);
        Events.Signal(Ws2Spi.FD_CONNECT, 0);
        if (granted is not null) Events.Signal(Ws2Spi.FD_QOS, 0);
        WakeReadyWaiters();
    }

    /// <summary>The invitation failed (refused, unreachable, timed out, withdrawn).</summary>
    public void InviteFinished(LeafHandle leaf, int error)
    {
        if (Inviting == leaf) Inviting = null;
        Fail(leaf, error);
    }

    private void Fail(LeafHandle leaf, int error)
    {
        ReleaseInvitation(leaf);
        leaf.State = LeafHandle.Phase.Ended;
        leaf.EndError = error;
        if (NonBlocking) SocketError = leaf.SocketError = error; // SO_ERROR reports it until read
        Events.Signal(Ws2Spi.FD_CONNECT, error);
        WakeReadyWaiters();
        leaf.WakeReadyWaiters();
    }

    /// <summary>An invitation that did not become a member gives back the capacity it held.</summary>
    private void ReleaseInvitation(LeafHandle leaf)
    {
        _reserved -= Math.Min(_reserved, leaf.Reserved);
        leaf.Reserved = 0;
    }
}
