using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>Nonblocking joins: a descriptor at once (never WSAEWOULDBLOCK), FD_CONNECT on the original socket, cancellation.</summary>
public class NonblockingJoinTests : RootedTest
{
    [Fact]
    public void WSAJoinLeaf_NonblockingLeafInitiated_ReturnsAtOnce_FdConnectAfterAccept()
    {
        var (root, addr) = ListeningRoot();
        var rootEv = NewEvent();
        Ok(WSAEventSelect(root, rootEv, FD_ACCEPT | FD_READ));
        var leaf = NewLeaf();
        var ev = NewEvent();
        Ok(WSAEventSelect(leaf, ev, FD_CONNECT | FD_READ | FD_CLOSE));
        var callee = new WSABUF(new byte[16]);
        var r = WSAJoinLeaf(leaf, addr, addr.Length, new WSABUF(Bytes("hi")), callee, null, null, JL_BOTH);
        Assert.Equal(leaf, r); // a valid descriptor at once, never WSAEWOULDBLOCK
        WaitEvents(root, rootEv, FD_ACCEPT);
        var handle = Track(WSAAccept(root, Cond((_, data, _, calleeData) =>
        {
            Bytes("ok").CopyTo(calleeData!.buf!, 0);
            calleeData.len = 2;
            return CF_ACCEPT;
        }), 0));
        var rec = WaitEvents(leaf, ev, FD_CONNECT);
        Assert.Equal(0, rec.iErrorCode[FD_CONNECT_BIT]);
        Assert.Equal("ok", Text(callee.buf!, (int)callee.len)); // callee data is valid once FD_CONNECT arrived
        SendText(root, "data");
        WaitEvents(leaf, ev, FD_READ);
        Assert.Equal("data", RecvText(leaf));
        Assert.True(handle.IsValid);
    }

    [Fact]
    public void WSAJoinLeaf_NonblockingRefused_FdConnectCarriesWSAECONNREFUSED()
    {
        var (root, addr) = ListeningRoot();
        var rootEv = NewEvent();
        Ok(WSAEventSelect(root, rootEv, FD_ACCEPT));
        var leaf = NewLeaf();
        var ev = NewEvent();
        Ok(WSAEventSelect(leaf, ev, FD_CONNECT));
        Assert.Equal(leaf, WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH));
        WaitEvents(root, rootEv, FD_ACCEPT);
        Fails(WSAECONNREFUSED, WSAAccept(root, Cond((_, _, _, _) => CF_REJECT), 0));
        var rec = WaitEvents(leaf, ev, FD_CONNECT);
        Assert.Equal(WSAECONNREFUSED, rec.iErrorCode[FD_CONNECT_BIT]);
    }

    [Fact]
    public void WSAJoinLeaf_WhileJoinPending_WSAEALREADY()
    {
        var (_, addr) = ListeningRoot(); // nobody accepts: the join stays pending
        var leaf = NewLeaf();
        var ev = NewEvent();
        Ok(WSAEventSelect(leaf, ev, FD_CONNECT));
        Assert.Equal(leaf, WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH));
        Fails(WSAEALREADY, WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH));
    }

    [Fact]
    public void WSAJoinLeaf_RootInitiatedNonblocking_FdConnectOnTheCRoot()
    {
        var root = NewRoot();
        var rootEv = NewEvent();
        Ok(WSAEventSelect(root, rootEv, FD_CONNECT));
        var (leafListener, leafAddr) = ListeningLeaf();
        var leafEv = NewEvent();
        Ok(WSAEventSelect(leafListener, leafEv, FD_ACCEPT | FD_READ));
        var handle = Track(WSAJoinLeaf(root, leafAddr, leafAddr.Length, null, null, null, null, JL_BOTH));
        Assert.NotEqual(root, handle);
        WaitEvents(leafListener, leafEv, FD_ACCEPT); // the leaf gets FD_ACCEPT
        var member = Track(accept(leafListener));
        var rec = WaitEvents(root, rootEv, FD_CONNECT); // the root gets FD_CONNECT on the c_root
        Assert.Equal(0, rec.iErrorCode[FD_CONNECT_BIT]);
        SendText(root, "hello member");
        WaitEvents(member, leafEv, FD_READ); // the member inherited the listener's selection: it is nonblocking
        Assert.Equal("hello member", RecvText(member));
    }

    [Fact]
    public void WSAJoinLeaf_RootInitiatedOutstanding_WSAEALREADY()
    {
        var root = NewRoot();
        uint on = 1;
        Ok(ioctlsocket(root, FIONBIO, ref on));
        var (_, leafAddr) = ListeningLeaf(); // never accepts
        Track(WSAJoinLeaf(root, leafAddr, leafAddr.Length, null, null, null, null, JL_BOTH));
        Fails(WSAEALREADY, WSAJoinLeaf(root, leafAddr, leafAddr.Length, null, null, null, null, JL_BOTH));
    }

    [Fact]
    public void closesocket_OnPendingRootInitiatedJoin_WithdrawsItAtTheLeaf()
    {
        var root = NewRoot();
        uint on = 1;
        Ok(ioctlsocket(root, FIONBIO, ref on));
        var (leafListener, leafAddr) = ListeningLeaf();
        var leafEv = NewEvent();
        Ok(WSAEventSelect(leafListener, leafEv, FD_ACCEPT));
        var handle = WSAJoinLeaf(root, leafAddr, leafAddr.Length, null, null, null, null, JL_BOTH);
        Assert.True(handle.IsValid);
        WaitEvents(leafListener, leafEv, FD_ACCEPT);
        Ok(closesocket(handle)); // cancels the pending join
        Eventually(() =>
        {
            int rc = accept(leafListener).IsValid ? 1 : 0;
            return rc == 0 && WSAGetLastError() == WSAEWOULDBLOCK;
        }, "the invitation to be withdrawn");
        // and the root may invite again at once
        Track(WSAJoinLeaf(root, leafAddr, leafAddr.Length, null, null, null, null, JL_BOTH));
    }

    [Fact]
    public void closesocket_OnPendingLeafInitiatedJoin_WithdrawsItAtTheRoot()
    {
        var (root, addr) = ListeningRoot();
        var rootEv = NewEvent();
        Ok(WSAEventSelect(root, rootEv, FD_ACCEPT));
        var leaf = WSASocket(AF_INET, SOCK_SEQPACKET, 0, null, 0, LeafFlags);
        var ev = NewEvent();
        Ok(WSAEventSelect(leaf, ev, FD_CONNECT));
        Assert.Equal(leaf, WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH));
        WaitEvents(root, rootEv, FD_ACCEPT);
        Ok(closesocket(leaf));
        Eventually(() => !accept(root).IsValid && WSAGetLastError() == WSAEWOULDBLOCK, "the join request to be withdrawn");
    }

    [Fact]
    public void WSAAccept_CfDefer_WSATRY_AGAIN_JoinerKeepsWaiting()
    {
        var (root, addr) = ListeningRoot();
        var rootEv = NewEvent();
        Ok(WSAEventSelect(root, rootEv, FD_ACCEPT));
        var leaf = NewLeaf();
        var ev = NewEvent();
        Ok(WSAEventSelect(leaf, ev, FD_CONNECT));
        Assert.Equal(leaf, WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH));
        WaitEvents(root, rootEv, FD_ACCEPT);
        Fails(WSATRY_AGAIN, WSAAccept(root, Cond((_, _, _, _) => CF_DEFER), 0));
        Assert.Equal(WSA_WAIT_TIMEOUT, WSAWaitForMultipleEvents(1, [ev], false, 100, false)); // still waiting
        Track(WSAAccept(root, Cond((_, _, _, _) => CF_ACCEPT), 0));
        Assert.Equal(0, WaitEvents(leaf, ev, FD_CONNECT).iErrorCode[FD_CONNECT_BIT]);
    }

    [Fact]
    public void WSAJoinLeaf_WSAAsyncSelect_PostsFdConnect()
    {
        var (root, addr) = ListeningRoot();
        var leaf = NewLeaf();
        var hwnd = CreateMessageWindow();
        Ok(WSAAsyncSelect(leaf, hwnd, 0x400, FD_CONNECT));
        Assert.Equal(leaf, WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH));
        var acceptor = Run(() => Track(accept(root)));
        Assert.True(GetMessage(out var msg, hwnd, 10_000));
        Assert.True(acceptor.Join(10_000));
        Assert.Equal(0x400u, msg.message);
        Assert.Equal(leaf.Value, msg.wParam);
        Assert.Equal(FD_CONNECT, WSAGETSELECTEVENT(msg.lParam));
        Assert.Equal(0, WSAGETSELECTERROR(msg.lParam));
        DestroyWindow(hwnd);
    }

    [Fact]
    public void select_JoinedLeaf_WritableThenReadableByState()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        var writes = fd_set.Of(leaf);
        var reads = fd_set.Of(leaf);
        Assert.Equal(1, select(0, reads, writes, null, new timeval { tv_usec = 1000 }));
        Assert.True(FD_ISSET(leaf, writes)); // room to send
        Assert.False(FD_ISSET(leaf, reads)); // nothing to read yet
        SendText(root, "now readable");
        reads = fd_set.Of(leaf);
        Assert.Equal(1, select(0, reads, null, null, new timeval { tv_sec = 5 }));
        Assert.True(FD_ISSET(leaf, reads));
    }

    [Fact]
    public void WSAJoinLeaf_PeerNeverAnswers_WSAETIMEDOUT_AfterSettableTimeout()
    {
        // A plain TCP listener accepts the connection but never speaks the join protocol.
        var (silent, silentAddr) = Listen();
        Track(silent);
        var leaf = NewLeaf();
        Ok(setsockopt(leaf, SOL_MULTIPOINT, MP_JOIN_TIMEOUT, 300));
        Assert.Equal(0, getsockopt(leaf, SOL_MULTIPOINT, MP_JOIN_TIMEOUT, out int timeout));
        Assert.Equal(300, timeout);
        Fails(WSAETIMEDOUT, WSAJoinLeaf(leaf, silentAddr, silentAddr.Length, null, null, null, null, JL_BOTH));
    }
}
