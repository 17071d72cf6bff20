using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Events;

/// <summary>FD_READ and FD_OOB under WSAEventSelect: recording, re-enabling, level triggering (SPEC §5).</summary>
public class EventSelectReadTests : EventTest
{
    /// <summary>
    /// FD_READ is recorded, the record is cleared, a partial receive through <paramref name="receive"/> re-enables it,
    /// and because data remains it is recorded again; a receive that takes the rest leaves nothing recorded.
    /// </summary>
    private void ReadReenabledBy(bool datagram, Func<SOCKET, byte[], int> receive)
    {
        SOCKET sender, receiver;
        byte[] receiverAddr;
        if (datagram)
        {
            var (a, _, b, bAddr) = Own(UdpPair());
            (sender, receiver, receiverAddr) = (a, b, bAddr);
        }
        else
        {
            var (c, s) = Own(TcpPair());
            (sender, receiver, receiverAddr) = (c, s, []);
        }
        var ev = NewEvent();
        Ok(WSAEventSelect(receiver, ev, FD_READ));
        Assert.Equal(0, Enum(receiver, ev).lNetworkEvents);

        if (datagram)
        {
            Assert.Equal(4, sendto(sender, Bytes("one!"), 4, 0, receiverAddr, receiverAddr.Length));
            Assert.Equal(4, sendto(sender, Bytes("two!"), 4, 0, receiverAddr, receiverAddr.Length));
        }
        else
        {
            Assert.Equal(8, send(sender, Bytes("one!two!"), 8, 0));
        }

        var first = WaitForEvents(receiver, ev, FD_READ);
        Assert.Equal(0, first.iErrorCode[FD_READ_BIT]);
        Assert.False(IsSignalled(ev), "WSAEnumNetworkEvents must reset the event");

        // Takes "one!" (one datagram, or the first 4 bytes of the stream): data remains, so FD_READ comes back.
        var buf = new byte[4];
        Assert.Equal(4, receive(receiver, buf));
        Assert.Equal("one!", Text(buf, 4));
        var again = WaitForEvents(receiver, ev, FD_READ);
        Assert.Equal(0, again.iErrorCode[FD_READ_BIT]);

        // Takes the rest: nothing remains, nothing is recorded.
        Assert.Equal(4, receive(receiver, buf));
        Assert.Equal("two!", Text(buf, 4));
        Assert.Equal(0, Enum(receiver, ev).lNetworkEvents & FD_READ);
        Fails(WSAEWOULDBLOCK, receive(receiver, buf));
    }

    [Fact]
    public void WSAEventSelect_FdRead_ReenabledByRecv_RecordedAgainWhileDataRemains() =>
        ReadReenabledBy(datagram: false, (s, buf) => recv(s, buf, buf.Length, 0));

    [Fact]
    public void WSAEventSelect_FdRead_ReenabledByRecvfrom_RecordedAgainWhileDatagramsRemain() =>
        ReadReenabledBy(datagram: true, (s, buf) =>
        {
            var from = new byte[16];
            int fromlen = from.Length;
            return recvfrom(s, buf, buf.Length, 0, from, ref fromlen);
        });

    [Fact]
    public void WSAEventSelect_FdRead_ReenabledByWSARecv_RecordedAgainWhileDataRemains() =>
        ReadReenabledBy(datagram: false, (s, buf) =>
        {
            uint flags = 0;
            int rc = WSARecv(s, [new WSABUF(buf)], 1, out uint got, ref flags, null, null);
            return rc == 0 ? (int)got : rc;
        });

    [Fact]
    public void WSAEventSelect_FdRead_ReenabledByWSARecvFrom_RecordedAgainWhileDatagramsRemain() =>
        ReadReenabledBy(datagram: true, (s, buf) =>
        {
            uint flags = 0;
            var from = new byte[16];
            int fromlen = from.Length;
            int rc = WSARecvFrom(s, [new WSABUF(buf)], 1, out uint got, ref flags, from, ref fromlen, null, null);
            return rc == 0 ? (int)got : rc;
        });

    [Fact]
    public void WSAEventSelect_FdRead_ReenabledByFailingRecv_RecordedAgainWhileDataRemains()
    {
        // "Any call to the re-enabling routine, even one that fails, results in re-enabling."
        var (c, s) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, FD_READ));
        Assert.Equal(3, send(c, Bytes("abc"), 3, 0));
        WaitForEvents(s, ev, FD_READ);

        var buf = new byte[8];
        Fails(WSAEOPNOTSUPP, recv(s, buf, buf.Length, MSG_WAITALL)); // MSG_WAITALL on a nonblocking socket
        var again = WaitForEvents(s, ev, FD_READ);
        Assert.Equal(0, again.iErrorCode[FD_READ_BIT]);
        Assert.Equal(3, recv(s, buf, buf.Length, 0));
    }

    [Fact]
    public void WSAEventSelect_FdRead_NotRecordedAgainBeforeRecv_EvenWhenMoreDataArrives()
    {
        var (c, s) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, FD_READ | FD_OOB));
        Assert.Equal(1, send(c, Bytes("a"), 1, 0));
        WaitForEvents(s, ev, FD_READ);

        // More data, then an urgent byte behind it. FD_OOB is still enabled, so once it is recorded the arrival
        // of "bcd" has certainly been seen too: FD_READ must not be among the records, as no receive was called.
        Assert.Equal(3, send(c, Bytes("bcd"), 3, 0));
        Assert.Equal(1, send(c, Bytes("!"), 1, MSG_OOB));
        var later = WaitForEvents(s, ev, FD_OOB);
        Assert.Equal(0, later.lNetworkEvents & FD_READ);

        // The receive re-enables it and the data is still there: recorded again.
        var buf = new byte[1];
        Assert.Equal(1, recv(s, buf, 1, 0));
        WaitForEvents(s, ev, FD_READ);
    }

    [Fact]
    public void WSAEventSelect_FdRead_DataAlreadyWaiting_RecordedAtOnce()
    {
        var (c, s) = Own(TcpPair());
        Assert.Equal(3, send(c, Bytes("abc"), 3, 0));
        WaitReadable(s);
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, FD_READ));
        Assert.True(IsSignalled(ev), "a condition already true must be recorded when the selection is made");
        var ne = Enum(s, ev);
        Assert.Equal(FD_READ, ne.lNetworkEvents);
        Assert.Equal(0, ne.iErrorCode[FD_READ_BIT]);
    }

    [Fact]
    public void WSAEventSelect_FdRead_DatagramAlreadyWaiting_RecordedAtOnce()
    {
        var (a, _, b, bAddr) = Own(UdpPair());
        Assert.Equal(2, sendto(a, Bytes("hi"), 2, 0, bAddr, bAddr.Length));
        WaitReadable(b);
        var ev = NewEvent();
        Ok(WSAEventSelect(b, ev, FD_READ));
        Assert.True(IsSignalled(ev));
        Assert.Equal(FD_READ, Enum(b, ev).lNetworkEvents);
    }

    [Fact]
    public void WSAEventSelect_FdOob_RecordedForUrgentData_ReenabledByRecvOob()
    {
        var (c, s) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, FD_OOB));
        Assert.Equal(1, send(c, Bytes("!"), 1, MSG_OOB));
        var ne = WaitForEvents(s, ev, FD_OOB);
        Assert.Equal(0, ne.iErrorCode[FD_OOB_BIT]);

        var buf = new byte[1];
        Assert.Equal(1, recv(s, buf, 1, MSG_OOB));
        Assert.Equal("!", Text(buf, 1));
        Assert.Equal(0, Enum(s, ev).lNetworkEvents & FD_OOB); // the urgent byte was taken: nothing to record

        // Re-enabled by the MSG_OOB receive: the next urgent byte is recorded.
        Assert.Equal(1, send(c, Bytes("?"), 1, MSG_OOB));
        WaitForEvents(s, ev, FD_OOB);
        Assert.Equal(1, recv(s, buf, 1, MSG_OOB));
        Assert.Equal("?", Text(buf, 1));
    }

    [Fact]
    public void WSAEventSelect_FdOob_StillPending_RecordedAgainAfterRecv()
    {
        // FD_OOB is level-triggered and re-enabled as FD_READ is: a receive that leaves the urgent byte unread
        // records it again.
        var (c, s) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, FD_OOB));
        Assert.Equal(1, send(c, Bytes("!"), 1, MSG_OOB));
        WaitForEvents(s, ev, FD_OOB);

        var buf = new byte[4];
        Fails(WSAEWOULDBLOCK, recv(s, buf, buf.Length, 0)); // no normal data: the urgent byte is out of band
        var again = WaitForEvents(s, ev, FD_OOB);
        Assert.Equal(0, again.iErrorCode[FD_OOB_BIT]);
    }

    [Fact]
    public void WSAEventSelect_FdOob_UrgentByteAlone_IsNotRecordedAsFdRead()
    {
        // With SO_OOBINLINE off the urgent byte is not part of the normal stream: FD_READ would announce data
        // that recv cannot return.
        var (c, s) = Own(TcpPair());
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, FD_READ | FD_OOB));
        Assert.Equal(1, send(c, Bytes("!"), 1, MSG_OOB));
        var ne = WaitForEvents(s, ev, FD_OOB);
        Assert.Equal(0, ne.lNetworkEvents & FD_READ);
        AssertNotRecorded(s, ev, FD_READ);
        var buf = new byte[4];
        Fails(WSAEWOULDBLOCK, recv(s, buf, buf.Length, 0));
        // The normal receive passed the urgent mark; the urgent byte is still there for MSG_OOB.
        Assert.Equal(1, recv(s, buf, 1, MSG_OOB));
        Assert.Equal("!", Text(buf, 1));
    }

    [Fact]
    public void WSAEventSelect_FdOob_NotRecordedWithOobInline_UrgentDataShowsAsFdRead()
    {
        var (c, s) = Own(TcpPair());
        Ok(setsockopt(s, SOL_SOCKET, SO_OOBINLINE, 1));
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, FD_READ | FD_OOB));
        Assert.Equal(1, send(c, Bytes("!"), 1, MSG_OOB));
        var ne = WaitForEvents(s, ev, FD_READ);
        Assert.Equal(0, ne.lNetworkEvents & FD_OOB);
        var buf = new byte[4];
        Assert.Equal(1, recv(s, buf, buf.Length, 0));
        Assert.Equal("!", Text(buf, 1));
        AssertNotRecorded(s, ev, FD_OOB);
    }
}
