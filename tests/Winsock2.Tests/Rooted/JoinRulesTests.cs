using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Winsock2.Providers.Rooted.Wire;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// The join rules: dwFlags are the calling socket's role in both directions; a blocking join that completed returns
/// the socket whatever the peer does next (FD_CLOSE follows); SO_ERROR reports a failed nonblocking join until read.
/// </summary>
public class JoinRulesTests : RootedTest
{
    /// <summary>The root invites a leaf listening on loopback with <paramref name="jl"/>; returns (root's handle, leaf's member socket).</summary>
    private (SOCKET Root, SOCKET Handle, SOCKET Member) Invite(uint jl)
    {
        var root = NewRoot();
        var (listener, addr) = ListeningLeaf();
        SOCKET member = SOCKET.Invalid;
        var acceptor = Run(() => member = accept(listener));
        var handle = Track(WSAJoinLeaf(root, addr, addr.Length, null, null, null, null, jl));
        Assert.True(acceptor.Join(10_000), "accept did not return");
        return (root, handle, Track(member));
    }

    [Fact]
    public void WSAJoinLeaf_RootInvitesSenderOnly_LeafReceivesRootSendsAndCannotSend()
    {
        var (root, handle, member) = Invite(JL_SENDER_ONLY);
        SendText(root, "to all");
        Assert.Equal("to all", RecvText(member));
        Fails(WSAEOPNOTSUPP, send(member, Bytes("up"), 2, 0));    // the leaf's role is the mirror: it only receives
        Fails(WSAEOPNOTSUPP, recv(handle, new byte[8], 8, 0));    // and the root, a sender, receives nothing from it
    }

    [Fact]
    public void WSAJoinLeaf_RootInvitesReceiverOnly_RootReceivesLeafSends()
    {
        var (root, _, member) = Invite(JL_RECEIVER_ONLY);
        SendText(member, "up");
        Assert.Equal("up", RecvText(root));
        Fails(WSAEOPNOTSUPP, recv(member, new byte[8], 8, 0));    // the leaf only sends
    }

    [Fact]
    public void recv_PerLeafSocketOfSenderOnlyLeaf_GetsItsMessages()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, handle) = JoinAccepted(root, addr, JL_SENDER_ONLY);
        SendText(leaf, "side");
        Assert.Equal("side", RecvText(handle)); // the leaf only sends, so its socket at the root receives
        Fails(WSAEOPNOTSUPP, send(handle, Bytes("x"), 1, 0)); // and cannot send to a leaf that does not receive
    }

    /// <summary>Reads one frame (header, payload) from a raw TCP peer.</summary>
    private static (FrameType Type, byte[] Payload) ReadFrame(NetworkStream s)
    {
        var header = new byte[Frame.HeaderSize];
        s.ReadExactly(header);
        var payload = new byte[BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4))];
        s.ReadExactly(payload);
        return ((FrameType)header[3], payload);
    }

    /// <summary>A peer that admits the join and leaves in the same write: the joiner sees both at once.</summary>
    private static void AdmitAndLeave(TcpClient peer)
    {
        using var s = peer.GetStream();
        Assert.Equal(FrameType.JoinRequest, ReadFrame(s).Type);
        var accept = new JoinAccept([], null).Encode();
        var leave = Frame.Make(FrameType.Leave, []);
        s.Write([.. accept, .. leave]);
        s.Flush();
        // Wait for the joiner's own close (or LEAVE) so the admitted socket sees LEAVE before FIN.
        try { while (s.Read(new byte[256]) > 0) { } } catch (IOException) { }
    }

    private void ReturnedSocketThenFdClose(SOCKET s)
    {
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, FD_CLOSE));
        var rec = WaitEvents(s, ev, FD_CLOSE);
        Assert.Equal(0, rec.iErrorCode[FD_CLOSE_BIT]); // the peer left gracefully
        Fails(WSAEDISCON, recv(s, new byte[8], 8, 0));
    }

    [Fact]
    public void WSAJoinLeaf_LeafInitiatedRootLeavesRightAfterAdmitting_ReturnsSocketThenFdClose()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var fakeRoot = Run(() => { using var peer = listener.AcceptTcpClient(); AdmitAndLeave(peer); });
            var leaf = NewLeaf();
            var addr = Loopback(((IPEndPoint)listener.LocalEndpoint).Port);
            Assert.Equal(leaf, WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH));
            ReturnedSocketThenFdClose(leaf);
            closesocket(leaf);
            Assert.True(fakeRoot.Join(10_000));
        }
        finally { listener.Stop(); }
    }

    [Fact]
    public void WSAJoinLeaf_RootInitiatedLeafLeavesRightAfterAdmitting_ReturnsSocketThenFdClose()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var fakeLeaf = Run(() => { using var peer = listener.AcceptTcpClient(); AdmitAndLeave(peer); });
            var root = NewRoot();
            var addr = Loopback(((IPEndPoint)listener.LocalEndpoint).Port);
            var handle = WSAJoinLeaf(root, addr, addr.Length, null, null, null, null, JL_BOTH);
            Assert.True(handle.IsValid, $"join failed with {WSAGetLastError()}");
            Track(handle);
            ReturnedSocketThenFdClose(handle);
            closesocket(handle);
            Assert.True(fakeLeaf.Join(10_000));
        }
        finally { listener.Stop(); }
    }

    [Fact]
    public void SO_ERROR_FailedNonblockingJoin_ReportedUntilRead()
    {
        var (root, addr) = ListeningRoot();
        var leaf = NewLeaf();
        var ev = NewEvent();
        Ok(WSAEventSelect(leaf, ev, FD_CONNECT)); // nonblocking
        Assert.Equal(0, getsockopt(leaf, SOL_SOCKET, SO_ERROR, out int before));
        Assert.Equal(0, before);
        Assert.Equal(leaf, WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH));
        Fails(WSAECONNREFUSED, WSAAccept(root, Cond((_, _, _, _) => CF_REJECT), 0));
        Assert.Equal(WSAECONNREFUSED, WaitEvents(leaf, ev, FD_CONNECT).iErrorCode[FD_CONNECT_BIT]);
        Assert.Equal(0, getsockopt(leaf, SOL_SOCKET, SO_ERROR, out int error));
        Assert.Equal(WSAECONNREFUSED, error);
        Assert.Equal(0, getsockopt(leaf, SOL_SOCKET, SO_ERROR, out int after));
        Assert.Equal(0, after); // reading it cleared it
    }
}
