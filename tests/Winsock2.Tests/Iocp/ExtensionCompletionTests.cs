using Microsoft.Win32.SafeHandles;
using static Winsock2.Kernel32;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Iocp;

/// <summary>
/// The extension functions other than AcceptEx, and an overlapped WSAIoctl, complete to the port of the socket they
/// were called on, under its key: ConnectEx, DisconnectEx, TransmitFile, WSARecvMsg and WSASendMsg.
/// </summary>
public class ExtensionCompletionTests : IocpTest
{
    private const nuint Key = 77;

    private static T Load<T>(SOCKET s, Guid id) where T : Delegate
    {
        Ok(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, id, out T? fn, out _, null, null));
        return fn!;
    }

    /// <summary>A packet on <paramref name="port"/> for <paramref name="ov"/>, successful, with <paramref name="bytes"/>.</summary>
    private static void Completed(HANDLE port, WSAOVERLAPPED ov, uint bytes)
    {
        var got = Take(port);
        Assert.True(got.Ok, $"error {got.Error}");
        Assert.Same(ov, got.Ov);
        Assert.Equal((bytes, Key), (got.Bytes, got.Key));
    }

    [Fact]
    public void ConnectEx_Associated_CompletesToItsPortWithSentBytes()
    {
        var port = NewPort();
        var (l, addr) = Listen();
        Track(l);
        var c = Track(WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, WSA_FLAG_OVERLAPPED));
        var any = Loopback();
        Ok(bind(c, any, any.Length));
        Associate(c, port, Key);
        var ov = new WSAOVERLAPPED();
        Assert.False(Load<LPFN_CONNECTEX>(c, WSAID_CONNECTEX)(c, addr, addr.Length, Bytes("hey"), 3, out _, ov));
        Assert.Equal(ERROR_IO_PENDING, WSAGetLastError());
        Completed(port, ov, 3);
    }

    [Fact]
    public void ConnectEx_Refused_CompletesToItsPortWithConnectionRefused()
    {
        var port = NewPort();
        var (l, addr) = Listen();
        Ok(closesocket(l)); // nobody listens there any more
        var c = Track(WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, WSA_FLAG_OVERLAPPED));
        var any = Loopback();
        Ok(bind(c, any, any.Length));
        Associate(c, port, Key);
        var ov = new WSAOVERLAPPED();
        Assert.False(Load<LPFN_CONNECTEX>(c, WSAID_CONNECTEX)(c, addr, addr.Length, null, 0, out _, ov));
        Assert.Equal(ERROR_IO_PENDING, WSAGetLastError());
        var got = Take(port);
        Assert.False(got.Ok);
        Assert.Same(ov, got.Ov);
        Assert.Equal(((uint)ERROR_CONNECTION_REFUSED, Key), (got.Error, got.Key));
    }

    [Fact]
    public void DisconnectEx_Overlapped_CompletesToItsPort()
    {
        var port = NewPort();
        var (c, s) = TcpPair();
        Track(c); Track(s);
        Associate(c, port, Key);
        var ov = new WSAOVERLAPPED();
        Assert.True(Load<LPFN_DISCONNECTEX>(c, WSAID_DISCONNECTEX)(c, ov, TF_REUSE_SOCKET, 0), $"DisconnectEx: {WSAGetLastError()}");
        Completed(port, ov, 0);
    }

    [Fact]
    public void TransmitFile_Overlapped_CompletesToItsPortWithAllBytes()
    {
        var port = NewPort();
        var (c, s) = TcpPair();
        Track(c); Track(s);
        Associate(c, port, Key);
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, Bytes("file-body"));
            using SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            var ov = new WSAOVERLAPPED();
            var buffers = new TRANSMIT_FILE_BUFFERS { Head = Bytes("H:"), HeadLength = 2 };
            bool done = Load<LPFN_TRANSMITFILE>(c, WSAID_TRANSMITFILE)(c, file, 0, 0, ov, buffers, 0);
            Assert.True(done || WSAGetLastError() == ERROR_IO_PENDING, $"TransmitFile: {WSAGetLastError()}");
            Completed(port, ov, 11);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void WSARecvMsg_Overlapped_CompletesToItsPort()
    {
        var port = NewPort();
        var (a, _, b, addrB) = UdpPair();
        Track(a); Track(b);
        Associate(b, port, Key);
        var data = new byte[16];
        var msg = new WSAMSG { name = new byte[16], namelen = 16, lpBuffers = [new WSABUF(data)], dwBufferCount = 1 };
        var ov = new WSAOVERLAPPED();
        Assert.Equal(SOCKET_ERROR, Load<LPFN_WSARECVMSG>(b, WSAID_WSARECVMSG)(b, msg, out _, ov, null));
        Assert.Equal(WSA_IO_PENDING, WSAGetLastError());
        Assert.Equal(4, sendto(a, Bytes("msg!"), 4, 0, addrB, addrB.Length));
        Completed(port, ov, 4);
        Assert.Equal("msg!", Text(data, 4));
    }

    [Fact]
    public void WSASendMsg_Overlapped_CompletesToItsPort()
    {
        var port = NewPort();
        var (a, _, b, addrB) = UdpPair();
        Track(a); Track(b);
        Associate(a, port, Key);
        var msg = new WSAMSG { name = addrB, namelen = addrB.Length, lpBuffers = [new WSABUF(Bytes("sent"))], dwBufferCount = 1 };
        var ov = new WSAOVERLAPPED();
        int rc = Load<LPFN_WSASENDMSG>(a, WSAID_WSASENDMSG)(a, msg, 0, out _, ov, null);
        Assert.True(rc == 0 || WSAGetLastError() == WSA_IO_PENDING, $"WSASendMsg: {WSAGetLastError()}");
        Completed(port, ov, 4);
    }

    [Fact]
    public void WSAIoctl_OverlappedCompletesAtOnce_QueuesPacketToItsPort()
    {
        var port = NewPort();
        var (c, s) = TcpPair();
        Track(c); Track(s);
        Associate(s, port, Key);
        var ev = NewEvent();
        var ov = new WSAOVERLAPPED { hEvent = ev };
        var output = new byte[4];
        Ok(WSAIoctl(s, FIONREAD, null, 0, output, 4, out uint returned, ov, null), "WSAIoctl(FIONREAD)");
        Assert.Equal(4u, returned);
        Completed(port, ov, 4);
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 0, false));
    }

    [Fact]
    public void WSAIoctl_OverlappedCompletesAtOnceSkipOnSuccess_NoPacket()
    {
        var port = NewPort();
        var (c, s) = TcpPair();
        Track(c); Track(s);
        Associate(s, port, Key);
        Assert.True(SetFileCompletionNotificationModes((HANDLE)s, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
        var ov = new WSAOVERLAPPED();
        Ok(WSAIoctl(s, FIONREAD, null, 0, new byte[4], 4, out _, ov, null), "WSAIoctl(FIONREAD)");
        Assert.False(ov.IsPending);
        Assert.Equal(WAIT_TIMEOUT, Take(port, 0).Error);
    }
}
