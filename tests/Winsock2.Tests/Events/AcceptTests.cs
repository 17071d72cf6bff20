using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Events;

/// <summary>WSAAccept and its condition function (SPEC §7).</summary>
public class AcceptTests : EventTest
{
    private static System.Net.IPEndPoint EndPointOf(WSABUF? b)
    {
        Assert.NotNull(b);
        Assert.NotNull(b.buf);
        return SockAddr.ToEndPoint(b.buf.AsSpan(0, (int)b.len).ToArray());
    }

    [Fact]
    public void WSAAccept_CfAccept_ReturnsSocket_CallerIdHoldsPeerAddress()
    {
        var (l, addr) = Own(Listen());
        var c = ConnectTo(addr);
        System.Net.IPEndPoint? caller = null, callee = null;
        var peer = new byte[16];
        int peerLen = peer.Length;

        var s = Own(Check(WSAAccept(l, peer, ref peerLen, Condition((callerId, calleeId, _) =>
        {
            caller = EndPointOf(callerId);
            callee = EndPointOf(calleeId);
            return CF_ACCEPT;
        }), 0)));

        Assert.Equal(LocalEndPoint(c), caller);
        Assert.Equal(PeerEndPoint(c), callee);
        Assert.Equal(16, peerLen);
        Assert.Equal(LocalEndPoint(c), SockAddr.ToEndPoint(peer));
        Assert.Equal(LocalEndPoint(c), PeerEndPoint(s));

        Assert.Equal(2, send(c, Bytes("hi"), 2, 0));
        var buf = new byte[4];
        Assert.Equal(2, recv(s, buf, buf.Length, 0));
    }

    [Fact]
    public void WSAAccept_CfAccept_Ipv6_CallerIdIsSockaddrIn6()
    {
        var (l, addr) = Own(Listen(AF_INET6));
        var c = ConnectTo(addr, AF_INET6);
        WSABUF? seen = null;
        Own(Check(WSAAccept(l, Condition((callerId, _, _) =>
        {
            seen = new WSABUF(callerId!.buf![..(int)callerId.len]);
            return CF_ACCEPT;
        }), 0)));
        Assert.NotNull(seen);
        Assert.Equal(28u, seen.len);
        Assert.Equal(AF_INET6, SockAddr.Family(seen.buf));
        Assert.Equal(LocalEndPoint(c), EndPointOf(seen));
    }

    [Fact]
    public void WSAAccept_ConditionFunction_RunsOnCallingThreadWithCallbackData()
    {
        var (l, addr) = Own(Listen());
        ConnectTo(addr);
        int thread = -1, calls = 0;
        nuint data = 0;
        Own(Check(WSAAccept(l, Condition((_, _, d) =>
        {
            calls++;
            thread = Environment.CurrentManagedThreadId;
            data = d;
            return CF_ACCEPT;
        }), 0xC0FFEE)));
        Assert.Equal(1, calls);
        Assert.Equal(Environment.CurrentManagedThreadId, thread);
        Assert.Equal((nuint)0xC0FFEE, data);
    }

    [Fact]
    public void WSAAccept_CfReject_FailsWithWSAECONNREFUSED_PeerConnectionIsReset()
    {
        var (l, addr) = Own(Listen());
        var c = ConnectTo(addr);
        Fails(WSAECONNREFUSED, WSAAccept(l, Condition((_, _, _) => CF_REJECT), 0));

        // Without SO_CONDITIONAL_ACCEPT the peer's connect had already completed: the rejection resets it.
        var buf = new byte[4];
        Fails(WSAECONNRESET, recv(c, buf, buf.Length, 0));

        // The rejected request is gone from the queue.
        SetNonBlocking(l);
        Fails(WSAEWOULDBLOCK, accept(l));
    }

    [Fact]
    public void WSAAccept_CfDefer_FailsWithWSATRY_AGAIN_SameConnectionAcceptedLater()
    {
        var (l, addr) = Own(Listen());
        var first = ConnectTo(addr);
        System.Net.IPEndPoint? deferred = null;
        Fails(WSATRY_AGAIN, WSAAccept(l, Condition((callerId, _, _) =>
        {
            deferred = EndPointOf(callerId);
            return CF_DEFER;
        }), 0));
        Assert.Equal(LocalEndPoint(first), deferred);

        // A newer connection arrives; the deferred one stays at the head of the queue.
        var second = ConnectTo(addr);
        WaitReadable(l);
        System.Net.IPEndPoint? offered = null;
        var a = Own(Check(WSAAccept(l, Condition((callerId, _, _) =>
        {
            offered = EndPointOf(callerId);
            return CF_ACCEPT;
        }), 0)));
        Assert.Equal(LocalEndPoint(first), offered);
        Assert.Equal(LocalEndPoint(first), PeerEndPoint(a));
        Assert.Equal(2, send(first, Bytes("hi"), 2, 0));
        var buf = new byte[4];
        Assert.Equal(2, recv(a, buf, buf.Length, 0));

        var b = Own(Check(accept(l)));
        Assert.Equal(LocalEndPoint(second), PeerEndPoint(b));
    }

    [Fact]
    public void WSAAccept_CfDefer_RepeatedDefersKeepTheRequestQueued()
    {
        var (l, addr) = Own(Listen());
        var c = ConnectTo(addr);
        for (int i = 0; i < 3; i++)
            Fails(WSATRY_AGAIN, WSAAccept(l, Condition((_, _, _) => CF_DEFER), 0));
        var s = Own(Check(accept(l)));
        Assert.Equal(LocalEndPoint(c), PeerEndPoint(s));
    }

    [Fact]
    public void WSAAccept_ConditionReturnsOtherValue_FailsWithWSAEINVAL()
    {
        var (l, addr) = Own(Listen());
        ConnectTo(addr);
        Fails(WSAEINVAL, WSAAccept(l, Condition((_, _, _) => 3), 0));
        Fails(WSAEINVAL, WSAAccept(l, Condition((_, _, _) => -1), 0));
    }

    [Fact]
    public void WSAAccept_NonblockingListenerWithNothingPending_FailsWithWSAEWOULDBLOCK_ConditionNotCalled()
    {
        var (l, _) = Own(Listen());
        SetNonBlocking(l);
        int calls = 0;
        Fails(WSAEWOULDBLOCK, WSAAccept(l, Condition((_, _, _) => { calls++; return CF_ACCEPT; }), 0));
        Assert.Equal(0, calls);
    }

    [Fact]
    public void WSAAccept_NotListening_FailsWithWSAEINVAL()
    {
        var s = NewTcp();
        Fails(WSAEINVAL, WSAAccept(s, Condition((_, _, _) => CF_ACCEPT), 0));
    }

    /// <summary>
    /// Windows holds a conditional connect open until the condition function answers. Linux completes the TCP
    /// handshake before accept() sees the connection (TCP_DEFER_ACCEPT only waits for data), so here the peer's
    /// connect completes at once and CF_REJECT resets it afterwards: the documented difference (docs/conformance.md).
    /// </summary>
    [Fact]
    public void WSAAccept_SoConditionalAccept_OnLinuxConnectCompletesFirst_CfRejectThenResetsThePeer()
    {
        var l = NewTcp();
        var any = Loopback();
        Ok(bind(l, any, any.Length));
        Ok(setsockopt(l, SOL_SOCKET, SO_CONDITIONAL_ACCEPT, 1));
        Ok(listen(l, 4));
        var addr = Loopback(PortOf(l));
        var c = NewTcp();
        SetNonBlocking(c);
        Fails(WSAEWOULDBLOCK, connect(c, addr, addr.Length));
        WaitReadable(l);
        Assert.Equal(1, select(0, null, fd_set.Of(c), null, new timeval { tv_sec = 30 })); // connected before any answer
        Fails(WSAECONNREFUSED, WSAAccept(l, Condition((_, _, _) => CF_REJECT), 0));
        var buf = new byte[4];
        SetNonBlocking(c, false);
        Fails(WSAECONNRESET, recv(c, buf, buf.Length, 0));
    }
}
