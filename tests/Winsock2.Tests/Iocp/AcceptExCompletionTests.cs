using static Winsock2.Kernel32;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Iocp;

/// <summary>
/// AcceptEx completes for the LISTENING socket, as Windows delivers it: the packet goes to the listener's port under
/// the listener's key, with and without first data, on success and on failure, never to the accept socket's port.
/// </summary>
public class AcceptExCompletionTests : IocpTest
{
    private const uint AddrBlock = 16 + 16;
    private const nuint ListenerKey = 100, AcceptKey = 200;

    private static LPFN_ACCEPTEX AcceptExOf(SOCKET l)
    {
        Ok(WSAIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, WSAID_ACCEPTEX, out LPFN_ACCEPTEX? fn, out _, null, null));
        return fn!;
    }

    private SOCKET OverlappedTcp() => Track(WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, WSA_FLAG_OVERLAPPED));

    /// <summary>A listener and an accept socket, each associated with its own port (so a packet's port tells whose it is).</summary>
    private (SOCKET L, byte[] Addr, HANDLE LPort, SOCKET A, HANDLE APort) Setup()
    {
        var (l, addr) = Listen();
        Track(l);
        var lport = NewPort();
        Associate(l, lport, ListenerKey);
        var a = OverlappedTcp();
        var aport = NewPort();
        Associate(a, aport, AcceptKey);
        return (l, addr, lport, a, aport);
    }

    [Fact]
    public void AcceptEx_NoFirstData_CompletesToListenersPortWithItsKey()
    {
        var (l, addr, lport, a, aport) = Setup();
        var ov = new WSAOVERLAPPED();
        Assert.False(AcceptExOf(l)(l, a, new byte[2 * AddrBlock], 0, AddrBlock, AddrBlock, out _, ov));
        Assert.Equal(ERROR_IO_PENDING, WSAGetLastError());
        var c = Track(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        Ok(connect(c, addr, addr.Length));
        var got = Take(lport);
        Assert.True(got.Ok, $"error {got.Error}");
        Assert.Same(ov, got.Ov);
        Assert.Equal((0u, ListenerKey), (got.Bytes, got.Key));
        Assert.Equal(WAIT_TIMEOUT, Take(aport, 0).Error);
    }

    [Fact]
    public void AcceptEx_FirstData_CompletesToListenersPortNotAcceptSockets()
    {
        var (l, addr, lport, a, aport) = Setup();
        var buffer = new byte[32 + 2 * AddrBlock];
        var ov = new WSAOVERLAPPED();
        Assert.False(AcceptExOf(l)(l, a, buffer, 32, AddrBlock, AddrBlock, out _, ov));
        Assert.Equal(ERROR_IO_PENDING, WSAGetLastError());
        var c = Track(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        Ok(connect(c, addr, addr.Length));
        Assert.Equal(5, send(c, Bytes("first"), 5, 0));
        var got = Take(lport);
        Assert.True(got.Ok, $"error {got.Error}");
        Assert.Same(ov, got.Ov);
        Assert.Equal((5u, ListenerKey), (got.Bytes, got.Key));
        Assert.Equal("first", Text(buffer, 5));
        Assert.Equal(WAIT_TIMEOUT, Take(aport, 0).Error);
        // The accepted socket's own operations complete to its own port.
        var recvOv = new WSAOVERLAPPED();
        Fails(WSA_IO_PENDING, PostRecv(a, new byte[8], recvOv));
        Assert.Equal(3, send(c, Bytes("two"), 3, 0));
        var own = Take(aport);
        Assert.True(own.Ok);
        Assert.Same(recvOv, own.Ov);
        Assert.Equal((3u, AcceptKey), (own.Bytes, own.Key));
    }

    [Fact]
    public void AcceptEx_FirstDataPeerClosesFirst_CompletesToListenersPortWithZeroBytes()
    {
        var (l, addr, lport, a, aport) = Setup();
        var ov = new WSAOVERLAPPED();
        Assert.False(AcceptExOf(l)(l, a, new byte[16 + 2 * AddrBlock], 16, AddrBlock, AddrBlock, out _, ov));
        var c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        Ok(connect(c, addr, addr.Length));
        Ok(closesocket(c));
        var got = Take(lport);
        Assert.True(got.Ok, $"error {got.Error}");
        Assert.Same(ov, got.Ov);
        Assert.Equal((0u, ListenerKey), (got.Bytes, got.Key));
        Assert.Equal(WAIT_TIMEOUT, Take(aport, 0).Error);
    }

    [Fact]
    public void AcceptEx_ListenerClosedWhileWaitingForConnection_AbortedToListenersPort()
    {
        var (l, _, lport, a, aport) = Setup();
        var ov = new WSAOVERLAPPED();
        Assert.False(AcceptExOf(l)(l, a, new byte[2 * AddrBlock], 0, AddrBlock, AddrBlock, out _, ov));
        Ok(closesocket(l));
        var got = Take(lport);
        Assert.False(got.Ok);
        Assert.Same(ov, got.Ov);
        Assert.Equal(((uint)ERROR_OPERATION_ABORTED, ListenerKey), (got.Error, got.Key));
        Assert.Equal(WAIT_TIMEOUT, Take(aport, 0).Error);
    }

    [Fact]
    public void AcceptEx_ListenerClosedWhileWaitingForFirstData_AbortedToListenersPort()
    {
        var (l, addr, lport, a, aport) = Setup();
        var ov = new WSAOVERLAPPED();
        Assert.False(AcceptExOf(l)(l, a, new byte[16 + 2 * AddrBlock], 16, AddrBlock, AddrBlock, out _, ov));
        var c = Track(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        Ok(connect(c, addr, addr.Length));
        // The connection is taken once the listener has none left to report.
        Eventually(() => WSAPoll([new WSAPOLLFD { fd = l, events = POLLRDNORM }], 1, 0) == 0, "AcceptEx to take the connection", 20_000);
        Assert.True(ov.IsPending);
        Ok(closesocket(l));
        var got = Take(lport);
        Assert.False(got.Ok);
        Assert.Same(ov, got.Ov);
        Assert.Equal(((uint)ERROR_OPERATION_ABORTED, ListenerKey), (got.Error, got.Key));
        Assert.Equal(WAIT_TIMEOUT, Take(aport, 0).Error);
    }

    [Fact]
    public void AcceptEx_AcceptSocketClosedWhileWaitingForFirstData_AbortedToListenersPort()
    {
        var (l, addr, lport, _, _) = Setup();
        var a = WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, WSA_FLAG_OVERLAPPED);
        var ov = new WSAOVERLAPPED();
        Assert.False(AcceptExOf(l)(l, a, new byte[16 + 2 * AddrBlock], 16, AddrBlock, AddrBlock, out _, ov));
        var c = Track(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        Ok(connect(c, addr, addr.Length));
        Eventually(() => WSAPoll([new WSAPOLLFD { fd = l, events = POLLRDNORM }], 1, 0) == 0, "AcceptEx to take the connection", 20_000);
        Ok(closesocket(a));
        var got = Take(lport);
        Assert.False(got.Ok);
        Assert.Same(ov, got.Ov);
        Assert.Equal(((uint)ERROR_OPERATION_ABORTED, ListenerKey), (got.Error, got.Key));
    }

    [Fact]
    public void AcceptEx_AcceptSocketClosedWhileWaitingForConnection_AbortedToListenersPort()
    {
        var (l, _, lport, _, _) = Setup();
        var a = WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, WSA_FLAG_OVERLAPPED);
        var ov = new WSAOVERLAPPED();
        Assert.False(AcceptExOf(l)(l, a, new byte[2 * AddrBlock], 0, AddrBlock, AddrBlock, out _, ov));
        Ok(closesocket(a));
        var got = Take(lport);
        Assert.False(got.Ok);
        Assert.Same(ov, got.Ov);
        Assert.Equal(((uint)ERROR_OPERATION_ABORTED, ListenerKey), (got.Error, got.Key));
    }
}
