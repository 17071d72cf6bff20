using static Winsock2.Kernel32;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Iocp;

/// <summary>GetQueuedCompletionStatusEx: many packets per call, its parameter checks, timeouts and alertable waits.</summary>
public class GetQueuedCompletionStatusExTests : IocpTest
{
    [Fact]
    public void GetQueuedCompletionStatusEx_FivePosted_RemovesUpToCountInOrder()
    {
        var port = NewPort();
        var ovs = Enumerable.Range(0, 5).Select(_ => new WSAOVERLAPPED()).ToArray();
        for (int i = 0; i < 5; i++) Assert.True(PostQueuedCompletionStatus(port, (uint)(100 + i), (nuint)i, ovs[i]));
        var entries = new OVERLAPPED_ENTRY[8];
        Assert.True(GetQueuedCompletionStatusEx(port, entries, 3, out uint removed, 0, false));
        Assert.Equal(3u, removed);
        for (int i = 0; i < 3; i++)
        {
            Assert.Same(ovs[i], entries[i].lpOverlapped);
            Assert.Equal((nuint)i, entries[i].lpCompletionKey);
            Assert.Equal((uint)(100 + i), entries[i].dwNumberOfBytesTransferred);
            Assert.Equal((nuint)0, entries[i].Internal);
        }
        Assert.True(GetQueuedCompletionStatusEx(port, entries, 8, out removed, 0, false));
        Assert.Equal(2u, removed);
        Assert.Same(ovs[3], entries[0].lpOverlapped);
        Assert.Same(ovs[4], entries[1].lpOverlapped);
    }

    [Fact]
    public void GetQueuedCompletionStatusEx_NothingQueued_FalseWaitTimeoutNoneRemoved()
    {
        var port = NewPort();
        Assert.False(GetQueuedCompletionStatusEx(port, new OVERLAPPED_ENTRY[4], 4, out uint removed, 0, false));
        Assert.Equal(WAIT_TIMEOUT, GetLastError());
        Assert.Equal(0u, removed);
        Assert.False(GetQueuedCompletionStatusEx(port, new OVERLAPPED_ENTRY[4], 4, out removed, 20, true));
        Assert.Equal(WAIT_TIMEOUT, GetLastError());
        Assert.Equal(0u, removed);
    }

    [Fact]
    public void GetQueuedCompletionStatusEx_BadArrayOrCount_FalseInvalidParameter()
    {
        var port = NewPort();
        Assert.True(PostQueuedCompletionStatus(port, 0, 0, null));
        Assert.False(GetQueuedCompletionStatusEx(port, new OVERLAPPED_ENTRY[4], 0, out _, 0, false));
        Assert.Equal((uint)ERROR_INVALID_PARAMETER, GetLastError());
        Assert.False(GetQueuedCompletionStatusEx(port, new OVERLAPPED_ENTRY[4], 5, out _, 0, false));
        Assert.Equal((uint)ERROR_INVALID_PARAMETER, GetLastError());
        Assert.False(GetQueuedCompletionStatusEx(port, null!, 1, out _, 0, false));
        Assert.Equal((uint)ERROR_INVALID_PARAMETER, GetLastError());
        // The packet is still there.
        Assert.True(GetQueuedCompletionStatusEx(port, new OVERLAPPED_ENTRY[1], 1, out uint removed, 0, false));
        Assert.Equal(1u, removed);
    }

    [Fact]
    public void GetQueuedCompletionStatusEx_ClosedPort_FalseInvalidHandle()
    {
        var port = NewPort();
        Assert.True(CloseHandle(port));
        Assert.False(GetQueuedCompletionStatusEx(port, new OVERLAPPED_ENTRY[1], 1, out _, 0, false));
        Assert.Equal((uint)ERROR_INVALID_HANDLE, GetLastError());
    }

    [Fact]
    public void GetQueuedCompletionStatusEx_AlertableWithRoutineQueued_FalseWaitIoCompletionAfterRoutineRan()
    {
        var port = NewPort();
        var (a, _, b, addrB) = UdpPair();
        Track(a); Track(b);
        Assert.Equal(3, sendto(a, [1, 2, 3], 3, 0, addrB, addrB.Length));
        int ran = 0;
        uint flags = 0;
        // The datagram may not have arrived yet: the receive completes at once or later; either way its routine is
        // an APC for this thread, run only by an alertable wait.
        int rc = WSARecv(b, [new WSABUF(new byte[8])], 1, out _, ref flags, new WSAOVERLAPPED(), (e, n, o, f) => ran++);
        Assert.True(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
        Assert.Equal(0, ran);
        Assert.False(GetQueuedCompletionStatusEx(port, new OVERLAPPED_ENTRY[4], 4, out uint removed, 10_000, true));
        Assert.Equal(WAIT_IO_COMPLETION, GetLastError());
        Assert.Equal(0u, removed);
        Assert.Equal(1, ran);
    }

    [Fact]
    public void GetQueuedCompletionStatusEx_NotAlertableWithRoutineQueued_RoutineWaitsAndTimeoutIsReported()
    {
        var port = NewPort();
        var (a, _, b, addrB) = UdpPair();
        Track(a); Track(b);
        Assert.Equal(1, sendto(a, [1], 1, 0, addrB, addrB.Length));
        int ran = 0;
        uint flags = 0;
        int rc = WSARecv(b, [new WSABUF(new byte[8])], 1, out _, ref flags, new WSAOVERLAPPED(), (e, n, o, f) => ran++);
        Assert.True(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
        Assert.False(GetQueuedCompletionStatusEx(port, new OVERLAPPED_ENTRY[4], 4, out uint removed, 20, false));
        Assert.Equal(WAIT_TIMEOUT, GetLastError());
        Assert.Equal(0u, removed);
        Assert.Equal(0, ran); // only an alertable wait runs it
        var deadline = Environment.TickCount64 + 10_000;
        while (ran == 0 && Environment.TickCount64 < deadline) SleepEx(100, true);
        Assert.Equal(1, ran);
    }

    [Fact]
    public void GetQueuedCompletionStatusEx_FailedOperation_EntryInternalIsItsError()
    {
        var port = NewPort();
        var (c, s) = TcpPair();
        Track(c);
        Associate(s, port, 4);
        var ov = new WSAOVERLAPPED();
        Fails(WSA_IO_PENDING, PostRecv(s, new byte[8], ov));
        Ok(closesocket(s));
        var entries = new OVERLAPPED_ENTRY[2];
        Assert.True(GetQueuedCompletionStatusEx(port, entries, 2, out uint removed, 10_000, false));
        Assert.Equal(1u, removed);
        Assert.Same(ov, entries[0].lpOverlapped);
        Assert.Equal((nuint)ERROR_OPERATION_ABORTED, entries[0].Internal);
        Assert.Equal((nuint)4, entries[0].lpCompletionKey);
    }

    [Fact]
    public void GetQueuedCompletionStatusEx_ManyReceivesCompleted_OneCallRemovesThemAll()
    {
        const int Sockets = 40;
        var port = NewPort();
        var receivers = new List<SOCKET>();
        for (int i = 0; i < Sockets; i++)
        {
            var (a, _, b, addrB) = UdpPair();
            Track(a); Track(b);
            Associate(b, port, (nuint)i);
            Assert.Equal(4, sendto(a, [9, 8, 7, 6], 4, 0, addrB, addrB.Length));
            receivers.Add(b);
        }
        // Each datagram is readable before its receive is posted, so the receive completes inside its call and its
        // packet is queued before the call returns. (A receive completed later signals its event before it queues its
        // packet, as Windows does: an event seen set does not promise the packet is queued yet.)
        foreach (var b in receivers)
        {
            var ready = fd_set.Of(b);
            Assert.Equal(1, select(0, ready, null, null, new timeval { tv_sec = 10 }));
            Assert.Equal(0, PostRecv(b, new byte[16], new WSAOVERLAPPED()));
        }
        var entries = new OVERLAPPED_ENTRY[64];
        Assert.True(GetQueuedCompletionStatusEx(port, entries, 64, out uint removed, 0, false));
        Assert.Equal((uint)Sockets, removed);
        Assert.Equal(Enumerable.Range(0, Sockets).Select(i => (nuint)i).ToHashSet(),
            entries.Take(Sockets).Select(e => e.lpCompletionKey).ToHashSet());
        Assert.All(entries.Take(Sockets), e => Assert.Equal(4u, e.dwNumberOfBytesTransferred));
    }
}
