using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>WSAJoinLeaf / WSPJoinLeaf: both join directions, blocking and nonblocking, connect data, errors.</summary>
public class JoinLeafTests : RootedTest
{
    [Fact]
    public void WSASocket_SeqPacketProtocolZero_PicksRootedProvider()
    {
        var root = NewRoot();
        Assert.Equal(0, getsockopt(root, SOL_SOCKET, SO_PROTOCOL_INFOW, out WSAPROTOCOL_INFOW? info));
        Assert.Equal(IPPROTO_RM_TCP, info!.iProtocol);
        Assert.True(info.Has(XP1_SUPPORT_MULTIPOINT | XP1_MULTIPOINT_CONTROL_PLANE | XP1_MULTIPOINT_DATA_PLANE | XP1_CONNECT_DATA | XP1_QOS_SUPPORTED));
    }

    [Fact]
    public void WSASocket_RootedKindsOnly_WSAEINVAL()
    {
        Fails(WSAEINVAL, WSASocket(AF_INET, SOCK_SEQPACKET, 0, null, 0, WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_LEAF));
        Fails(WSAEINVAL, WSASocket(AF_INET, SOCK_SEQPACKET, 0, null, 0, WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_ROOT));
        Fails(WSAEINVAL, WSASocket(AF_INET, SOCK_SEQPACKET, 0, null, 0, WSA_FLAG_OVERLAPPED));
    }

    [Fact]
    public void WSAJoinLeaf_LeafInitiated_ReturnsOwnSocket_RootAcceptsWithCallerAndCalleeData()
    {
        var (root, addr) = ListeningRoot();
        var leaf = NewLeaf();
        string? seenCaller = null;
        SOCKET handle = SOCKET.Invalid;
        var acceptor = Run(() => handle = WSAAccept(root, Cond((id, callerData, sqos, calleeData) =>
        {
            seenCaller = Text(callerData!.buf!, (int)callerData.len);
            var reply = Bytes("welcome");
            reply.CopyTo(calleeData!.buf!, 0);
            calleeData.len = (uint)reply.Length;
            return CF_ACCEPT;
        }), 0));
        var callee = new WSABUF(new byte[64]);
        var r = WSAJoinLeaf(leaf, addr, addr.Length, new WSABUF(Bytes("hello root")), callee, null, null, JL_BOTH);
        Assert.Equal(leaf, r);
        Assert.True(acceptor.Join(10_000));
        Track(handle);
        Assert.Equal("hello root", seenCaller);
        Assert.Equal(7u, callee.len);
        Assert.Equal("welcome", Text(callee.buf!, 7));
    }

    [Fact]
    public void WSAJoinLeaf_NoCalleeReply_LenZero()
    {
        var (root, addr) = ListeningRoot();
        var leaf = NewLeaf();
        var acceptor = Run(() => Track(accept(root)));
        var callee = new WSABUF(new byte[64]);
        Assert.Equal(leaf, WSAJoinLeaf(leaf, addr, addr.Length, null, callee, null, null, JL_BOTH));
        Assert.True(acceptor.Join(10_000));
        Assert.Equal(0u, callee.len);
    }

    [Fact]
    public void WSAJoinLeaf_RootSendsFanOut_EveryLeafReceivesInOrder()
    {
        var (root, addr) = ListeningRoot();
        var leaves = Enumerable.Range(0, 3).Select(_ => JoinAccepted(root, addr).Leaf).ToArray();
        for (int i = 0; i < 20; i++) SendText(root, $"m{i}");
        foreach (var leaf in leaves)
            for (int i = 0; i < 20; i++) Assert.Equal($"m{i}", RecvText(leaf));
    }

    [Fact]
    public void WSARecvFrom_OnRoot_SaysWhichLeafSent()
    {
        var (root, addr) = ListeningRoot();
        var (leafA, handleA) = JoinAccepted(root, addr);
        var (leafB, _) = JoinAccepted(root, addr);
        SendText(leafB, "from b");
        var buf = new byte[64];
        var from = new byte[SockAddr.SizeIn];
        int fromlen = from.Length;
        int n = recvfrom(root, buf, buf.Length, 0, from, ref fromlen);
        Assert.Equal("from b", Text(buf, n));
        var nameB = new byte[SockAddr.SizeIn];
        int lenB = nameB.Length;
        Ok(getsockname(leafB, nameB, ref lenB));
        Assert.Equal(SockAddr.ToEndPoint(nameB), SockAddr.ToEndPoint(from));
        SendText(leafA, "from a");
        Assert.Equal("from a", RecvText(handleA)); // the per-leaf socket sees that leaf's messages
    }

    [Fact]
    public void WSAJoinLeaf_LeafSend_ReachesRootOnlyNeverOtherLeaves()
    {
        var (root, addr) = ListeningRoot();
        var (leafA, _) = JoinAccepted(root, addr);
        var (leafB, _) = JoinAccepted(root, addr);
        SendText(leafA, "secret");
        Assert.Equal("secret", RecvText(root));
        uint on = 1;
        Ok(ioctlsocket(leafB, FIONBIO, ref on));
        SendText(root, "marker");
        Eventually(() => { uint n = 0; ioctlsocket(leafB, FIONREAD, ref n); return n > 0; }, "marker at leaf b");
        Assert.Equal("marker", RecvText(leafB)); // the first thing leaf b sees is the root's, not leaf a's
    }

    [Fact]
    public void WSAJoinLeaf_RootInitiated_ReturnsNewSocket_LeafAccepts()
    {
        var root = NewRoot();
        var (leafListener, leafAddr) = ListeningLeaf();
        SOCKET member = SOCKET.Invalid;
        string? invitation = null;
        var acceptor = Run(() => member = WSAAccept(leafListener, Cond((id, callerData, sqos, calleeData) =>
        {
            invitation = Text(callerData!.buf!, (int)callerData.len);
            Bytes("glad to").CopyTo(calleeData!.buf!, 0);
            calleeData.len = 7;
            return CF_ACCEPT;
        }), 0));
        var callee = new WSABUF(new byte[32]);
        var handle = Track(WSAJoinLeaf(root, leafAddr, leafAddr.Length, new WSABUF(Bytes("join us")), callee, null, null, JL_BOTH));
        Assert.NotEqual(root, handle); // root-initiated: a new c_leaf socket for that leaf
        Assert.True(acceptor.Join(10_000));
        Track(member);
        Assert.Equal("join us", invitation);
        Assert.Equal("glad to", Text(callee.buf!, (int)callee.len));
        SendText(root, "to all");
        Assert.Equal("to all", RecvText(member));
        SendText(member, "back");
        Assert.Equal("back", RecvText(root));
    }

    [Fact]
    public void WSAJoinLeaf_ListeningRootCanAlsoInvite_NoWSAEISCONN()
    {
        var (root, rootAddr) = ListeningRoot();
        JoinAccepted(root, rootAddr);
        var (leafListener, leafAddr) = ListeningLeaf();
        var acceptor = Run(() => Track(accept(leafListener)));
        Track(WSAJoinLeaf(root, leafAddr, leafAddr.Length, null, null, null, null, JL_BOTH));
        Assert.True(acceptor.Join(10_000));
        var (leafListener2, leafAddr2) = ListeningLeaf();
        var acceptor2 = Run(() => Track(accept(leafListener2)));
        Track(WSAJoinLeaf(root, leafAddr2, leafAddr2.Length, null, null, null, null, JL_BOTH)); // again: no WSAEISCONN on a c_root
        Assert.True(acceptor2.Join(10_000));
    }

    [Fact]
    public void WSAJoinLeaf_JoinedLeafAgain_WSAEISCONN()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        Fails(WSAEISCONN, WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH));
    }

    [Fact]
    public void WSAJoinLeaf_Refused_WSAECONNREFUSED_ThenSameSocketMayRetry()
    {
        var (root, addr) = ListeningRoot();
        var leaf = NewLeaf();
        var refuser = Run(() => WSAAccept(root, Cond((_, _, _, _) => CF_REJECT), 0));
        Fails(WSAECONNREFUSED, WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH));
        Assert.True(refuser.Join(10_000));
        var acceptor = Run(() => Track(accept(root)));
        Assert.Equal(leaf, WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH));
        Assert.True(acceptor.Join(10_000));
    }

    [Fact]
    public void WSAJoinLeaf_NobodyListening_WSAECONNREFUSED()
    {
        var (root, addr) = ListeningRoot();
        closesocket(root);
        var leaf = NewLeaf();
        Fails(WSAECONNREFUSED, WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH));
    }

    [Fact]
    public void WSAJoinLeaf_CallerDataOverMaximum_WSAEFAULT()
    {
        var (_, addr) = ListeningRoot();
        var leaf = NewLeaf();
        var big = new WSABUF(new byte[MP_MAX_CONNECT_DATA + 1]);
        Fails(WSAEFAULT, WSAJoinLeaf(leaf, addr, addr.Length, big, null, null, null, JL_BOTH));
    }

    [Fact]
    public void WSAJoinLeaf_CalleeBufferTooSmall_WSAEFAULT()
    {
        var (root, addr) = ListeningRoot();
        var leaf = NewLeaf();
        var acceptor = Run(() => WSAAccept(root, Cond((_, _, _, calleeData) =>
        {
            Bytes("a long reply").CopyTo(calleeData!.buf!, 0);
            calleeData.len = 12;
            return CF_ACCEPT;
        }), 0));
        Fails(WSAEFAULT, WSAJoinLeaf(leaf, addr, addr.Length, null, new WSABUF(new byte[4]), null, null, JL_BOTH));
        Assert.True(acceptor.Join(10_000));
    }

    [Fact]
    public void WSAJoinLeaf_RemoteAddressAny_WSAEADDRNOTAVAIL()
    {
        var leaf = NewLeaf();
        var any = SockAddr.From("0.0.0.0", 5150);
        Fails(WSAEADDRNOTAVAIL, WSAJoinLeaf(leaf, any, any.Length, null, null, null, null, JL_BOTH));
    }

    [Fact]
    public void WSAJoinLeaf_FamilyMismatch_WSAEAFNOSUPPORT()
    {
        var leaf = NewLeaf(AF_INET);
        var v6 = Loopback6(5150);
        Fails(WSAEAFNOSUPPORT, WSAJoinLeaf(leaf, v6, v6.Length, null, null, null, null, JL_BOTH));
    }

    [Fact]
    public void WSAJoinLeaf_NonMultipointSocket_WSAEINVAL()
    {
        var tcp = Track(socket(AF_INET, SOCK_STREAM, 0));
        var addr = Loopback(5150);
        Fails(WSAEINVAL, WSAJoinLeaf(tcp, addr, addr.Length, null, null, null, null, JL_BOTH));
    }

    [Fact]
    public void WSAJoinLeaf_BadJoinFlags_WSAEINVAL()
    {
        var (_, addr) = ListeningRoot();
        var leaf = NewLeaf();
        Fails(WSAEINVAL, WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_SENDER_ONLY | JL_RECEIVER_ONLY));
        Fails(WSAEINVAL, WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, 0x100));
    }

    [Fact]
    public void WSAJoinLeaf_UnboundLeaf_BoundImplicitly()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        var name = new byte[SockAddr.SizeIn];
        int len = name.Length;
        Ok(getsockname(leaf, name, ref len));
        Assert.NotEqual(0, SockAddr.ToEndPoint(name).Port);
    }

    [Fact]
    public void WSAJoinLeaf_IPv6_JoinsAndFansOut()
    {
        var (root, addr) = ListeningRoot(AF_INET6);
        var leaf = Track(WSASocket(AF_INET6, SOCK_SEQPACKET, 0, null, 0, LeafFlags));
        var acceptor = Run(() => Track(accept(root)));
        Assert.Equal(leaf, WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH));
        Assert.True(acceptor.Join(10_000));
        SendText(root, "v6");
        Assert.Equal("v6", RecvText(leaf));
    }
}
