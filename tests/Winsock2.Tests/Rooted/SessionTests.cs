using System.Diagnostics;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>The session's life: per-leaf sockets, departures, the root ending the session, side chats, data-plane rules.</summary>
public class SessionTests : RootedTest
{
    [Fact]
    public void LeafHandle_InheritsRootSelection_FdCloseWhenLeafLeavesGracefully()
    {
        var (root, addr) = ListeningRoot();
        var ev = NewEvent();
        Ok(WSAEventSelect(root, ev, FD_ACCEPT | FD_CLOSE | FD_READ));
        var leaf = NewLeaf();
        var joiner = Run(() => WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH));
        WaitEvents(root, ev, FD_ACCEPT);
        var handle = Track(accept(root));
        Assert.True(joiner.Join(10_000));
        Ok(closesocket(leaf)); // the leaf leaves gracefully
        var rec = WaitEvents(handle, ev, FD_CLOSE); // the handle inherited the c_root's selection, event included
        Assert.Equal(0, rec.iErrorCode[FD_CLOSE_BIT]);
        Fails(WSAEDISCON, recv(handle, new byte[8], 8, 0)); // message-oriented graceful close
    }

    [Fact]
    public void LeafHandle_LeafVanishesWithoutLeave_FdCloseWSAECONNRESET()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, handle) = JoinAccepted(root, addr);
        var ev = NewEvent();
        Ok(WSAEventSelect(handle, ev, FD_CLOSE));
        // Cut the leaf's TCP connection underneath it, as a killed process would.
        var conn = ContextOf<Providers.Rooted.LeafSocket>(leaf).Conn!;
        conn.OsSocket.Dispose();
        var rec = WaitEvents(handle, ev, FD_CLOSE);
        Assert.Contains(rec.iErrorCode[FD_CLOSE_BIT], new[] { WSAECONNRESET, WSAECONNABORTED });
    }

    [Fact]
    public void closesocket_OnLeafHandle_GivesRemoteLeafFdClose()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, handle) = JoinAccepted(root, addr);
        var ev = NewEvent();
        Ok(WSAEventSelect(leaf, ev, FD_CLOSE | FD_READ));
        SendText(root, "before");
        Ok(closesocket(handle));
        WaitEvents(leaf, ev, FD_READ);
        Assert.Equal("before", RecvText(leaf)); // data queued before the close arrives first
        var rec = WaitEvents(leaf, ev, FD_CLOSE);
        Assert.Equal(0, rec.iErrorCode[FD_CLOSE_BIT]);
        Fails(WSAEDISCON, recv(leaf, new byte[8], 8, 0));
    }

    [Fact]
    public void closesocket_OnRoot_EndsSession_EveryLeafGetsFdClose()
    {
        var (root, addr) = ListeningRoot();
        var joined = Enumerable.Range(0, 3).Select(_ => JoinAccepted(root, addr)).ToArray();
        var events = joined.Select(j =>
        {
            var e = NewEvent();
            Ok(WSAEventSelect(j.Leaf, e, FD_CLOSE));
            return e;
        }).ToArray();
        var handleEv = NewEvent();
        Ok(WSAEventSelect(joined[0].Handle, handleEv, FD_CLOSE));
        Ok(closesocket(root));
        for (int i = 0; i < joined.Length; i++)
            Assert.Equal(0, WaitEvents(joined[i].Leaf, events[i], FD_CLOSE).iErrorCode[FD_CLOSE_BIT]);
        WaitEvents(joined[0].Handle, handleEv, FD_CLOSE); // local c_leaf sockets too
    }

    [Fact]
    public void shutdown_OnRoot_EndsSession()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        var ev = NewEvent();
        Ok(WSAEventSelect(leaf, ev, FD_CLOSE));
        Ok(shutdown(root, SD_SEND));
        WaitEvents(leaf, ev, FD_CLOSE);
        Fails(WSAESHUTDOWN, send(root, Bytes("x"), 1, 0));
    }

    [Fact]
    public void LeafHandle_SideChat_ReachesThatLeafOnlyAndBack()
    {
        var (root, addr) = ListeningRoot();
        var (leafA, handleA) = JoinAccepted(root, addr);
        var (leafB, _) = JoinAccepted(root, addr);
        SendText(handleA, "just you");
        Assert.Equal("just you", RecvText(leafA));
        SendText(leafA, "just me");
        Assert.Equal("just me", RecvText(handleA));
        SendText(root, "everyone");
        Assert.Equal("everyone", RecvText(leafB)); // leaf b never saw the side chat
    }

    [Fact]
    public void WSARecv_MessageLargerThanBuffers_ArrivesInMsgPartialPieces()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        SendText(root, "0123456789");
        var buf = new byte[4];
        var pieces = new List<(string Text, uint Flags)>();
        uint flags;
        do
        {
            flags = 0;
            Ok(WSARecv(leaf, [new WSABUF(buf)], 1, out uint n, ref flags, null, null));
            pieces.Add((Text(buf, (int)n), flags));
        } while ((flags & MSG_PARTIAL) != 0);
        Assert.Equal([("0123", (uint)MSG_PARTIAL), ("4567", (uint)MSG_PARTIAL), ("89", 0u)], pieces);
    }

    [Fact]
    public void WSASend_MsgPartial_SenderPiecesKeepTheMessageOpen()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        Ok(WSASend(root, [new WSABUF(Bytes("head-"))], 1, out _, MSG_PARTIAL, null, null));
        Ok(WSASend(root, [new WSABUF(Bytes("tail"))], 1, out _, 0, null, null));
        var buf = new byte[64];
        uint flags = 0;
        Ok(WSARecv(leaf, [new WSABUF(buf)], 1, out uint n, ref flags, null, null));
        Assert.Equal(("head-", (uint)MSG_PARTIAL), (Text(buf, (int)n), flags));
        flags = 0;
        Ok(WSARecv(leaf, [new WSABUF(buf)], 1, out n, ref flags, null, null));
        Assert.Equal(("tail", 0u), (Text(buf, (int)n), flags));
    }

    [Fact]
    public void WSASend_LargerThanMaxMessage_WSAEMSGSIZE()
    {
        var (root, _) = ListeningRoot();
        Assert.Equal(0, getsockopt(root, SOL_SOCKET, SO_MAX_MSG_SIZE, out int max));
        var big = new byte[max + 1];
        Fails(WSAEMSGSIZE, send(root, big, big.Length, 0));
    }

    [Fact]
    public void JoinFlags_SenderOnly_ReceiveWSAEOPNOTSUPP_AndGetsNoRootData()
    {
        var (root, addr) = ListeningRoot();
        var (sender, _) = JoinAccepted(root, addr, JL_SENDER_ONLY);
        var (both, _) = JoinAccepted(root, addr, JL_BOTH);
        SendText(root, "to receivers");
        Assert.Equal("to receivers", RecvText(both));
        Fails(WSAEOPNOTSUPP, recv(sender, new byte[8], 8, 0));
        SendText(sender, "up");
        Assert.Equal("up", RecvText(root));
    }

    [Fact]
    public void JoinFlags_ReceiverOnly_SendWSAEOPNOTSUPP()
    {
        var (root, addr) = ListeningRoot();
        var (receiver, _) = JoinAccepted(root, addr, JL_RECEIVER_ONLY);
        Fails(WSAEOPNOTSUPP, send(receiver, Bytes("x"), 1, 0));
        SendText(root, "down");
        Assert.Equal("down", RecvText(receiver));
    }

    [Fact]
    public void WSARecv_OverlappedOnLeaf_CompletionRoutineGetsRootMessage()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        var buf = new byte[32];
        uint got = 0, outFlags = 99;
        uint flags = 0;
        Fails(WSA_IO_PENDING, WSARecv(leaf, [new WSABUF(buf)], 1, out _, ref flags, new WSAOVERLAPPED(), (e, n, o, f) => { got = n; outFlags = f; }));
        SendText(root, "async");
        Assert.Equal(WSA_WAIT_IO_COMPLETION, SleepEx(10_000, true));
        Assert.Equal("async", Text(buf, (int)got));
        Assert.Equal(0u, outFlags);
    }

    [Fact]
    public void WSARecv_PendingWhenLeafClosed_WSA_OPERATION_ABORTED()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        var ev = NewEvent();
        var ov = new WSAOVERLAPPED { hEvent = ev };
        uint flags = 0;
        Fails(WSA_IO_PENDING, WSARecv(leaf, [new WSABUF(new byte[8])], 1, out _, ref flags, ov, null));
        Ok(closesocket(leaf));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 5000, false));
        Assert.Equal((uint)WSA_OPERATION_ABORTED, ov.OffsetHigh);
    }

    [Fact]
    public void FanOut_ManyMessages_EveryLeafInOrderNothingLostOrDuplicated()
    {
        var (root, addr) = ListeningRoot();
        var leaves = Enumerable.Range(0, 4).Select(_ => JoinAccepted(root, addr).Leaf).ToArray();
        const int count = 5000;
        var payload = new byte[200];
        var readers = leaves.Select(leaf => Run(() =>
        {
            var buf = new byte[256];
            for (int i = 0; i < count; i++)
            {
                int n = recv(leaf, buf, buf.Length, 0);
                Assert.Equal(200, n);
                Assert.Equal(i, BitConverter.ToInt32(buf, 0));
            }
        })).ToArray();
                for (int i = 0; i < count; i++)
        {
            BitConverter.GetBytes(i).CopyTo(payload, 0);
            Assert.Equal(200, send(root, payload, payload.Length, 0));
        }
        foreach (var r in readers) Assert.True(r.Join(30_000), "a leaf did not receive everything");
    }
}

/// <summary>Regression: ending the session (or dropping a leaf) with data still queued delivers it all before LEAVE.</summary>
public class SessionEndBacklogTests : RootedTest
{
    [Fact]
    public void shutdown_OnRoot_WithBacklog_EveryLeafGetsAllQueuedDataThenWSAEDISCON()
    {
        var (root, addr) = ListeningRoot();
        var leaves = Enumerable.Range(0, 3).Select(_ => JoinAccepted(root, addr).Leaf).ToArray();
        const int count = 3000;
        var msg = new byte[1024];
        for (int i = 0; i < count; i++)
        {
            BitConverter.GetBytes(i).CopyTo(msg, 0);
            Assert.Equal(msg.Length, send(root, msg, msg.Length, 0));
        }
        Ok(shutdown(root, SD_SEND)); // readers have not started: nearly everything is still queued
        var workers = leaves.Select(leaf => Run(() =>
        {
            var buf = new byte[2048];
            for (int i = 0; i < count; i++)
            {
                Assert.Equal(1024, recv(leaf, buf, buf.Length, 0));
                Assert.Equal(i, BitConverter.ToInt32(buf, 0));
            }
            Fails(WSAEDISCON, recv(leaf, buf, buf.Length, 0));
        })).ToArray();
        foreach (var w in workers) Assert.True(w.Join(30_000), "a leaf did not get everything");
    }

    [Fact]
    public void closesocket_OnLeafHandle_WithBacklog_ThatLeafGetsQueuedDataAndNothingAfter()
    {
        var (root, addr) = ListeningRoot();
        var (dropped, handle) = JoinAccepted(root, addr);
        var (kept, _) = JoinAccepted(root, addr);
        var msg = new byte[1024];
        for (int i = 0; i < 500; i++) Assert.Equal(msg.Length, send(root, msg, msg.Length, 0));
        Ok(closesocket(handle));
        SendText(root, "after");
        var buf = new byte[2048];
        for (int i = 0; i < 500; i++) Assert.Equal(1024, recv(dropped, buf, buf.Length, 0));
        Fails(WSAEDISCON, recv(dropped, buf, buf.Length, 0)); // nothing after LEAVE
        for (int i = 0; i < 500; i++) Assert.Equal(1024, recv(kept, buf, buf.Length, 0));
        Assert.Equal("after", RecvText(kept));
    }
}
