using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Recv;

/// <summary>WSPRecv seed: overlapped receives, completion routines through APCs, events, results.</summary>
public class WSARecvOverlappedTests : WinsockTest
{
    [Fact]
    public void WSARecv_OverlappedImmediate_ReturnsZeroWithRoutineAlreadyQueued()
    {
        var (c, s) = TcpPair();
        Assert.Equal(3, send(c, Bytes("now"), 3, 0));
        Eventually(() => { uint n = 0; ioctlsocket(s, FIONREAD, ref n); return n == 3; }, "data buffered");
        uint routineBytes = 0;
        int calls = 0;
        uint flags = 0;
        var ov = new WSAOVERLAPPED();
        Assert.Equal(0, WSARecv(s, [new WSABUF(new byte[8])], 1, out uint got, ref flags, ov, (_, n, _, _) => { routineBytes = n; calls++; }));
        Assert.Equal(3u, got); // updated on immediate completion
        Assert.Equal(0, calls); // queued, not yet run: routines run only in an alertable wait
        Assert.Equal(WSA_WAIT_IO_COMPLETION, SleepEx(0, true));
        Assert.Equal(1, calls);
        Assert.Equal(3u, routineBytes);
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_OverlappedPending_WSA_IO_PENDING_ThenEventSignalled()
    {
        var (c, s) = TcpPair();
        var ev = WSACreateEvent();
        WSASetEvent(ev);
        var ov = new WSAOVERLAPPED { hEvent = ev };
        uint flags = MSG_PARTIAL; // a valid input flag on a stream; must not be touched while pending
        var buf = new byte[8];
        Fails(WSA_IO_PENDING, WSARecv(s, [new WSABUF(buf)], 1, out uint got, ref flags, ov, null));
        Assert.Equal((uint)MSG_PARTIAL, flags);
        Assert.Equal(0u, got);
        Assert.Equal(WSS_OPERATION_IN_PROGRESS, (uint)ov.Internal);
        Assert.Equal(WSA_WAIT_TIMEOUT, WSAWaitForMultipleEvents(1, [ev], false, 0, false)); // reset when it went pending
        Assert.False(WSAGetOverlappedResult(s, ov, out _, false, out _));
        Assert.Equal(WSA_IO_INCOMPLETE, WSAGetLastError());
        Assert.Equal(5, send(c, Bytes("later"), 5, 0));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 5000, false));
        Assert.True(WSAGetOverlappedResult(s, ov, out uint bytes, false, out uint outFlags));
        Assert.Equal(5u, bytes);
        Assert.Equal(0u, outFlags);
        Assert.Equal("later", Text(buf, 5));
        Assert.Equal(5u, (uint)ov.InternalHigh);
        WSACloseEvent(ev);
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSAGetOverlappedResult_WaitTrue_WaitsForCompletion()
    {
        var (c, s) = TcpPair();
        var ev = WSACreateEvent();
        var ov = new WSAOVERLAPPED { hEvent = ev };
        uint flags = 0;
        Fails(WSA_IO_PENDING, WSARecv(s, [new WSABUF(new byte[8])], 1, out _, ref flags, ov, null));
        var sender = Run(() => { Thread.Sleep(50); send(c, Bytes("abc"), 3, 0); });
        Assert.True(WSAGetOverlappedResult(s, ov, out uint bytes, true, out _));
        Assert.Equal(3u, bytes);
        sender.Join();
        WSACloseEvent(ev);
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSAGetOverlappedResult_WaitOnInvalidEvent_WSA_INVALID_HANDLE()
    {
        var (c, s) = TcpPair();
        var ov = new WSAOVERLAPPED();
        uint flags = 0;
        Fails(WSA_IO_PENDING, WSARecv(s, [new WSABUF(new byte[8])], 1, out _, ref flags, ov, null));
        Assert.False(WSAGetOverlappedResult(s, ov, out _, true, out _));
        Assert.Equal(WSA_INVALID_HANDLE, WSAGetLastError());
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_OverlappedNoEventNoRoutine_CompletesWithoutNotification()
    {
        var (c, s) = TcpPair();
        var ov = new WSAOVERLAPPED();
        uint flags = 0;
        Fails(WSA_IO_PENDING, WSARecv(s, [new WSABUF(new byte[8])], 1, out _, ref flags, ov, null));
        Assert.Equal(2, send(c, Bytes("ok"), 2, 0));
        Eventually(() => (uint)ov.Internal == 0, "the overlapped structure to show completion");
        Assert.True(WSAGetOverlappedResult(s, ov, out uint bytes, false, out _));
        Assert.Equal(2u, bytes);
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_CompletionRoutine_RunsOnInitiatingThreadOnlyInAlertableWait()
    {
        var (c, s) = TcpPair();
        int initiator = Environment.CurrentManagedThreadId, ranOn = 0;
        uint flags = 0;
        var ov = new WSAOVERLAPPED();
        Fails(WSA_IO_PENDING, WSARecv(s, [new WSABUF(new byte[8])], 1, out _, ref flags, ov, (_, _, _, _) => ranOn = Environment.CurrentManagedThreadId));
        Assert.Equal(2, send(c, Bytes("go"), 2, 0));
        Eventually(() => (uint)ov.Internal == 0, "completion");
        Assert.Equal(0u, SleepEx(20, false)); // not alertable: nothing runs
        var ev = WSACreateEvent();
        Assert.Equal(WSA_WAIT_TIMEOUT, WSAWaitForMultipleEvents(1, [ev], false, 20, false));
        Assert.Equal(0, ranOn);
        Assert.Equal(WSA_WAIT_IO_COMPLETION, WSAWaitForMultipleEvents(1, [ev], false, 5000, true));
        Assert.Equal(initiator, ranOn);
        WSACloseEvent(ev);
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_CompletionRoutine_IgnoresAndDoesNotSignalHEvent()
    {
        var (c, s) = TcpPair();
        var ev = WSACreateEvent();
        var ov = new WSAOVERLAPPED { hEvent = ev };
        bool ran = false;
        uint flags = 0;
        Fails(WSA_IO_PENDING, WSARecv(s, [new WSABUF(new byte[8])], 1, out _, ref flags, ov, (_, _, o, _) => ran = o == ov));
        Assert.Equal(1, send(c, Bytes("x"), 1, 0));
        Assert.Equal(WSA_WAIT_IO_COMPLETION, SleepEx(5000, true));
        Assert.True(ran);
        Assert.Equal(WSA_WAIT_TIMEOUT, WSAWaitForMultipleEvents(1, [ev], false, 0, false));
        WSACloseEvent(ev);
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_CompletionRoutine_ReceivesBytesFlagsAndError()
    {
        var (a, _, b, addrB) = UdpPair();
        uint err = 99, bytes = 0, outFlags = 99;
        uint flags = 0;
        Fails(WSA_IO_PENDING, WSARecv(b, [new WSABUF(new byte[3])], 1, out _, ref flags, new WSAOVERLAPPED(), (e, n, _, f) => { err = e; bytes = n; outFlags = f; }));
        Assert.Equal(4, sendto(a, Bytes("four"), 4, 0, addrB, addrB.Length));
        Assert.Equal(WSA_WAIT_IO_COMPLETION, SleepEx(5000, true));
        Assert.Equal((uint)WSAEMSGSIZE, err); // datagram larger than the posted buffer
        Assert.Equal(3u, bytes);
        Assert.Equal(0u, outFlags);
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void WSARecv_PostedBuffers_FilledInPostingOrder()
    {
        var (c, s) = TcpPair();
        var bufs = new[] { new byte[1], new byte[1], new byte[1] };
        var order = new List<int>();
        var ovs = new WSAOVERLAPPED[3];
        for (int i = 0; i < 3; i++)
        {
            int k = i;
            ovs[i] = new WSAOVERLAPPED();
            uint flags = 0;
            Fails(WSA_IO_PENDING, WSARecv(s, [new WSABUF(bufs[i])], 1, out _, ref flags, ovs[i], (_, _, _, _) => order.Add(k)));
        }
        Assert.Equal(3, send(c, Bytes("xyz"), 3, 0));
        Eventually(() => { SleepEx(0, true); return order.Count == 3; }, "three completions");
        Assert.Equal("x", Text(bufs[0], 1));
        Assert.Equal("y", Text(bufs[1], 1));
        Assert.Equal("z", Text(bufs[2], 1));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_WSABUFArray_CapturedBeforeReturn()
    {
        var (c, s) = TcpPair();
        var original = new byte[4];
        var array = new[] { new WSABUF(original) };
        var ov = new WSAOVERLAPPED();
        uint flags = 0;
        Fails(WSA_IO_PENDING, WSARecv(s, array, 1, out _, ref flags, ov, null));
        array[0] = new WSABUF(new byte[4]); // the caller reuses its transient array
        Assert.Equal(4, send(c, Bytes("mine"), 4, 0));
        Eventually(() => (uint)ov.Internal == 0, "completion");
        Assert.Equal("mine", Text(original, 4));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_StreamOverlapped_CompletesWithoutFillingAllBuffers()
    {
        var (c, s) = TcpPair();
        var ov = new WSAOVERLAPPED();
        uint flags = 0;
        Fails(WSA_IO_PENDING, WSARecv(s, [new WSABUF(new byte[100]), new WSABUF(new byte[100])], 2, out _, ref flags, ov, null));
        Assert.Equal(5, send(c, Bytes("short"), 5, 0));
        Eventually(() => (uint)ov.Internal == 0, "completion");
        Assert.True(WSAGetOverlappedResult(s, ov, out uint bytes, false, out _));
        Assert.Equal(5u, bytes);
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_FromInsideCompletionRoutine_IsAllowed()
    {
        var (c, s) = TcpPair();
        var got = new List<string>();
        var buf = new byte[1];
        LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine = null;
        routine = (e, n, ov, f) =>
        {
            got.Add(Text(buf, (int)n));
            if (got.Count < 3)
            {
                uint flags = 0;
                int rc = WSARecv(s, [new WSABUF(buf)], 1, out _, ref flags, new WSAOVERLAPPED(), routine);
                Assert.True(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
            }
        };
        uint flags0 = 0;
        Fails(WSA_IO_PENDING, WSARecv(s, [new WSABUF(buf)], 1, out _, ref flags0, new WSAOVERLAPPED(), routine));
        Assert.Equal(3, send(c, Bytes("abc"), 3, 0));
        Eventually(() => { SleepEx(10, true); return got.Count == 3; }, "three chained receives");
        Assert.Equal(["a", "b", "c"], got);
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_CompletionRoutines_NeverNestForOneSocket()
    {
        var (c, s) = TcpPair();
        int depth = 0, maxDepth = 0, calls = 0;
        LPWSAOVERLAPPED_COMPLETION_ROUTINE routine = (_, _, _, _) =>
        {
            depth++;
            maxDepth = Math.Max(maxDepth, depth);
            calls++;
            SleepEx(0, true); // an alertable wait inside a routine must not run this socket's next routine
            depth--;
        };
        for (int i = 0; i < 2; i++)
        {
            uint flags = 0;
            Fails(WSA_IO_PENDING, WSARecv(s, [new WSABUF(new byte[1])], 1, out _, ref flags, new WSAOVERLAPPED(), routine));
        }
        Assert.Equal(2, send(c, Bytes("ab"), 2, 0));
        Eventually(() => { SleepEx(10, true); return calls == 2; }, "both routines");
        Assert.Equal(1, maxDepth);
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_ThreadExit_CancelsItsPendingIo()
    {
        var (c, s) = TcpPair();
        var ev = WSACreateEvent();
        var ov = new WSAOVERLAPPED { hEvent = ev };
        var t = Run(() =>
        {
            uint flags = 0;
            WSARecv(s, [new WSABUF(new byte[4])], 1, out _, ref flags, ov, null);
        });
        t.Join();
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 5000, false));
        Assert.False(WSAGetOverlappedResult(s, ov, out _, false, out _));
        Assert.Equal(WSA_OPERATION_ABORTED, WSAGetLastError());
        Assert.Equal(1, send(c, Bytes("!"), 1, 0)); // the socket itself still works
        Assert.Equal(1, recv(s, new byte[4], 4, 0));
        WSACloseEvent(ev);
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_SimultaneousOperations_SeparateOverlappedStructures()
    {
        var (a, _, b, addrB) = UdpPair();
        var ev1 = WSACreateEvent(); var ev2 = WSACreateEvent();
        var ov1 = new WSAOVERLAPPED { hEvent = ev1 }; var ov2 = new WSAOVERLAPPED { hEvent = ev2 };
        var b1 = new byte[8]; var b2 = new byte[8];
        uint flags = 0;
        Fails(WSA_IO_PENDING, WSARecv(b, [new WSABUF(b1)], 1, out _, ref flags, ov1, null));
        Fails(WSA_IO_PENDING, WSARecv(b, [new WSABUF(b2)], 1, out _, ref flags, ov2, null));
        Assert.Equal(3, sendto(a, Bytes("one"), 3, 0, addrB, addrB.Length));
        Assert.Equal(5, sendto(a, Bytes("three"), 5, 0, addrB, addrB.Length));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(2, [ev1, ev2], true, 5000, false));
        Assert.True(WSAGetOverlappedResult(b, ov1, out uint n1, false, out _));
        Assert.True(WSAGetOverlappedResult(b, ov2, out uint n2, false, out _));
        Assert.Equal("one", Text(b1, (int)n1));
        Assert.Equal("three", Text(b2, (int)n2));
        WSACloseEvent(ev1); WSACloseEvent(ev2);
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void WSARecv_OverlappedGracefulClose_CompletesWithZeroBytes()
    {
        var (c, s) = TcpPair();
        var ov = new WSAOVERLAPPED();
        uint flags = 0;
        Fails(WSA_IO_PENDING, WSARecv(s, [new WSABUF(new byte[8])], 1, out _, ref flags, ov, null));
        Ok(shutdown(c, SD_SEND));
        Eventually(() => (uint)ov.Internal == 0, "completion");
        Assert.True(WSAGetOverlappedResult(s, ov, out uint bytes, false, out _));
        Assert.Equal(0u, bytes);
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSARecv_NonOverlappedWaitsBehindPostedBuffers()
    {
        var (c, s) = TcpPair();
        var ov = new WSAOVERLAPPED();
        var first = new byte[2];
        uint flags = 0;
        Fails(WSA_IO_PENDING, WSARecv(s, [new WSABUF(first)], 1, out _, ref flags, ov, null));
        Assert.Equal(4, send(c, Bytes("1234"), 4, 0));
        var second = new byte[8];
        int n = recv(s, second, second.Length, 0); // the posted buffer is filled first
        Assert.Equal("12", Text(first, 2));
        Assert.Equal("34", Text(second, n));
        closesocket(c); closesocket(s);
    }
}
