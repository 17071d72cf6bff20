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
        lock (Gate)
        {
            errno = Closed ? Ws2Spi.WSAENOTSOCK : SendShut ? Ws2Spi.WSAESHUTDOWN : Inviting is not null ? Ws2Spi.WSAEALREADY : CheckRemote(ep);
            if (errno == 0) errno = CheckJoinArguments(callerData, calleeData, sqos ?? Qos, flags);
            var qos = sqos ?? Qos;
            if (errno == 0 && Flowspecs.Reserved(qos, flags) > AdmissionLeft) errno = Ws2Spi.WSAEOPNOTSUPP;
            if (errno != 0) return SOCKET.Invalid;
            if (flags == 0) flags = Ws2Spi.JL_BOTH;
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
            var c = new Connection(leaf, os, connecting: rc == -1, Options.HeartbeatMs)
            {
                JoinDeadline = Environment.TickCount64 + Options.JoinTimeoutMs,
            };
            leaf.Conn = c;
            Inviting = leaf;
            Events.Reenable(Ws2Spi.FD_CONNECT);
            if (rc == 0) leaf.OnConnected(c, 0);
            if (NonBlocking) return handle; // FD_CONNECT on this socket tells the outcome; never WSAEWOULDBLOCK
        }
        int wait = WaitFor(() => { lock (Gate) return leaf.State != LeafHandle.Phase.Inviting || leaf.Closed; }, -1);
        lock (Gate)
        {
            if (wait == 0 && leaf.State == LeafHandle.Phase.Joined) return handle;
            errno = wait != 0 ? wait : leaf.EndError;
            if (leaf.State == LeafHandle.Phase.Inviting) { leaf.Conn?.Abort(); Inviting = null; }
        }
        Provider.Unregister(leaf);
        return SOCKET.Invalid;
    }

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
        ulong reserve = Flowspecs.Reserved(accept.Granted, leaf.JoinFlags);
        leaf.Admit(leaf.Conn!, accept.Granted, reserve);
        _reserved += reserve;
        _leaves.Add(leaf);
        Events.Signal(Ws2Spi.FD_CONNECT, 0);
        if (accept.Granted is not null) Events.Signal(Ws2Spi.FD_QOS, 0);
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
        leaf.State = LeafHandle.Phase.Ended;
        leaf.EndError = error;
        Events.Signal(Ws2Spi.FD_CONNECT, error);
        WakeReadyWaiters();
        leaf.WakeReadyWaiters();
    }
}
