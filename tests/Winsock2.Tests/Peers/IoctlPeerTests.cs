using Winsock2.Tests.Events;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Peers;

/// <summary>
/// ioctlsocket / WSAIoctl as Wine's sock.c records them on Windows: test_fionbio, test_fionread_siocatmark and
/// test_unsupported_ioctls.
/// </summary>
public sealed class IoctlPeerTests : EventTest
{
    private static (uint Fionread, uint AtMark) FionreadAtMark(SOCKET s)
    {
        var value = new byte[4];
        Ok(WSAIoctl(s, FIONREAD, null, 0, value, 4, out uint size, null, null));
        Assert.Equal(4u, size);
        uint fionread = BitConverter.ToUInt32(value);
        Ok(WSAIoctl(s, SIOCATMARK, null, 0, value, 4, out size, null, null));
        Assert.Equal(4u, size);
        return (fionread, BitConverter.ToUInt32(value));
    }

    private static void WaitUrgent(SOCKET s) =>
        Eventually(() => select(0, null, null, fd_set.Of(s), new timeval()) == 1, "urgent data arrived");

    // Mirrors Wine test_fionbio: FIONBIO on while an event selection is active succeeds; FIONBIO off fails
    // WSAEINVAL. Microsoft's ioctlsocket page: clearing the selection (mask 0) first lets it through.
    [Fact]
    public void ioctlsocket_FionbioOffWhileEventSelected_WSAEINVAL()
    {
        var s = NewTcp();
        var ev = NewEvent();
        Ok(WSAEventSelect(s, ev, FD_READ));
        uint one = 1, zero = 0;
        Ok(ioctlsocket(s, FIONBIO, ref one));
        Fails(WSAEINVAL, ioctlsocket(s, FIONBIO, ref zero));
        Ok(WSAEventSelect(s, ev, 0));
        Ok(ioctlsocket(s, FIONBIO, ref zero));
    }

    // The WSAAsyncSelect half of the same rule (Microsoft's ioctlsocket and WSAAsyncSelect pages).
    [Fact]
    public void ioctlsocket_FionbioOffWhileAsyncSelected_WSAEINVAL()
    {
        var s = NewTcp();
        var hwnd = NewWindow();
        Ok(WSAAsyncSelect(s, hwnd, WM_SOCKET, FD_READ));
        uint zero = 0;
        Fails(WSAEINVAL, ioctlsocket(s, FIONBIO, ref zero));
        Ok(WSAAsyncSelect(s, hwnd, 0, 0));
        Ok(ioctlsocket(s, FIONBIO, ref zero));
    }

    // Mirrors Wine test_unsupported_ioctls: codes no provider knows (0xdeadbeef, FIOASYNC, 0x667e, SIO_FLUSH) fail
    // WSAEOPNOTSUPP and report 0 bytes.
    [Theory]
    [InlineData(0xdeadbeefu)]
    [InlineData(0x8004667Du)] // FIOASYNC
    [InlineData(0x667eu)]
    [InlineData(SIO_FLUSH)]
    public void WSAIoctl_UnsupportedCode_WSAEOPNOTSUPP(uint code)
    {
        var s = NewTcp();
        Fails(WSAEOPNOTSUPP, WSAIoctl(s, code, null, 0, null, 0, out uint size, null, null));
        Assert.Equal(0u, size);
    }

    // Mirrors Wine test_fionread_siocatmark: an output buffer shorter than a u_long is WSAEFAULT for FIONREAD and
    // SIOCATMARK.
    [Fact]
    public void WSAIoctl_FionreadSiocatmarkShortOutput_WSAEFAULT()
    {
        var (c, s) = Own(TcpPair());
        Fails(WSAEFAULT, WSAIoctl(c, FIONREAD, null, 0, new byte[4], 3, out _, null, null));
        Fails(WSAEFAULT, WSAIoctl(c, SIOCATMARK, null, 0, new byte[4], 3, out _, null, null));
    }

    // Mirrors Wine test_fionread_siocatmark (last block): a fresh socket, and a bound one, have 0 bytes and are at
    // the mark.
    [Fact]
    public void WSAIoctl_FreshAndBoundSocket_NothingToReadAtMark()
    {
        var s = NewTcp();
        Assert.Equal((0u, 1u), FionreadAtMark(s));
        Ok(bind(s, Loopback(), 16));
        Assert.Equal((0u, 1u), FionreadAtMark(s));
    }

    // Mirrors Wine test_fionread_siocatmark: normal data counts in FIONREAD at the mark; an urgent byte is not
    // counted and SIOCATMARK turns FALSE until it is read with MSG_OOB, even once the normal data is read.
    [Fact]
    public void WSAIoctl_Siocatmark_FalseWhileUrgentPendingUntilReadWithMsgOob()
    {
        var (c, s) = Own(TcpPair());
        Assert.Equal((0u, 1u), FionreadAtMark(s));
        Assert.Equal(5, send(c, Bytes("data\0"), 5, 0));
        Eventually(() => FionreadAtMark(s).Fionread == 5, "normal data arrived");
        Assert.Equal((5u, 1u), FionreadAtMark(s));
        Assert.Equal(1, send(c, Bytes("a"), 1, MSG_OOB));
        WaitUrgent(s);
        Assert.Equal((5u, 0u), FionreadAtMark(s));
        Assert.Equal(5, recv(s, new byte[5], 5, 0));
        Assert.Equal((0u, 0u), FionreadAtMark(s));
        var oob = new byte[1];
        Assert.Equal(1, recv(s, oob, 1, MSG_OOB));
        Assert.Equal((byte)'a', oob[0]);
        Assert.Equal((0u, 1u), FionreadAtMark(s));
    }

    // Mirrors Wine test_fionread_siocatmark (SO_OOBINLINE blocks): turning SO_OOBINLINE on with an urgent byte
    // pending counts it in FIONREAD and reads it in line; an urgent byte that arrives with SO_OOBINLINE on leaves
    // SIOCATMARK TRUE.
    [Fact]
    public void WSAIoctl_OobInline_UrgentByteCountedAndReadInLine()
    {
        var (c, s) = Own(TcpPair());
        Assert.Equal(1, send(c, Bytes("a"), 1, MSG_OOB));
        WaitUrgent(s);
        Ok(setsockopt(s, SOL_SOCKET, SO_OOBINLINE, 1));
        Assert.Equal(1u, FionreadAtMark(s).Fionread);
        var buf = new byte[1];
        Assert.Equal(1, recv(s, buf, 1, 0));
        Assert.Equal((byte)'a', buf[0]);
        Assert.Equal((0u, 1u), FionreadAtMark(s));
        Assert.Equal(1, send(c, Bytes("b"), 1, MSG_OOB));
        Eventually(() => FionreadAtMark(s).Fionread == 1, "inline urgent byte arrived");
        Assert.Equal((1u, 1u), FionreadAtMark(s));
    }
}
