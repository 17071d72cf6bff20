using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rio;

/// <summary>WSAIoctl(SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, WSAID_MULTIPLE_RIO): the Registered I/O function table.</summary>
public class RioTableTests : RioTest
{
    [Fact]
    public void WSAIoctl_Constants_AreTheHeaders()
    {
        Assert.Equal(new Guid("8509e081-96dd-4005-b165-9e2ee8c79e3f"), WSAID_MULTIPLE_RIO);
        Assert.Equal(0xC8000024u, SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER);
        Assert.Equal(0x100u, WSA_FLAG_REGISTERED_IO);
        Assert.Equal(112, RIO_EXTENSION_FUNCTION_TABLE.Size);
    }

    [Theory]
    [InlineData(SOCK_STREAM)]
    [InlineData(SOCK_DGRAM)]
    public void WSAIoctl_MultipleRio_FillsEveryFunction(int type)
    {
        var s = RioSocket(type);
        var t = Table(s);
        Assert.Equal(112u, t.cbSize);
        Assert.NotNull(t.RIOReceive);
        Assert.NotNull(t.RIOReceiveEx);
        Assert.NotNull(t.RIOSend);
        Assert.NotNull(t.RIOSendEx);
        Assert.NotNull(t.RIOCloseCompletionQueue);
        Assert.NotNull(t.RIOCreateCompletionQueue);
        Assert.NotNull(t.RIOCreateRequestQueue);
        Assert.NotNull(t.RIODequeueCompletion);
        Assert.NotNull(t.RIODeregisterBuffer);
        Assert.NotNull(t.RIONotify);
        Assert.NotNull(t.RIORegisterBuffer);
        Assert.NotNull(t.RIOResizeCompletionQueue);
        Assert.NotNull(t.RIOResizeRequestQueue);
        closesocket(s);
    }

    [Fact]
    public void WSAIoctl_MultipleRio_SameFunctionsForEverySocket()
    {
        var a = RioSocket(SOCK_STREAM);
        var b = Check(WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, WSA_FLAG_OVERLAPPED)); // the table does not need the flag
        Assert.Same(Table(a).RIOReceive, Table(b).RIOReceive);
        closesocket(a);
        closesocket(b);
    }

    [Fact]
    public void WSAIoctl_OtherGuid_WSAEINVAL()
    {
        var s = RioSocket(SOCK_STREAM);
        var t = new RIO_EXTENSION_FUNCTION_TABLE();
        Fails(WSAEINVAL, WSAIoctl(s, SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, WSAID_ACCEPTEX, t, out uint bytes, null, null));
        Assert.Equal(0u, bytes);
        Assert.Null(t.RIOReceive);
        closesocket(s);
    }

    [Fact]
    public void WSAIoctl_OutputShorterThanTable_WSAEFAULT()
    {
        var s = RioSocket(SOCK_STREAM);
        var guid = WSAID_MULTIPLE_RIO.ToByteArray();
        Fails(WSAEFAULT, WSAIoctl(s, SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, guid, 16, new byte[112], 111, out _, null, null));
        Fails(WSAEFAULT, WSAIoctl(s, SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, guid, 16, null, 0, out _, null, null));
        Fails(WSAEFAULT, WSAIoctl(s, SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, guid, 15, new byte[112], 112, out _, null, null));
        var output = new byte[112];
        Assert.Equal(0, WSAIoctl(s, SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, guid, 16, output, 112, out uint n, null, null));
        Assert.Equal(112u, n);
        Assert.Equal(112u, BitConverter.ToUInt32(output, 0));
        closesocket(s);
    }

    [Fact]
    public void WSAIoctl_NotASocket_WSAENOTSOCK()
    {
        Fails(WSAENOTSOCK, WSAIoctl(new SOCKET(0x7FFF_FFF0), SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, WSAID_MULTIPLE_RIO,
            new RIO_EXTENSION_FUNCTION_TABLE(), out _, null, null));
    }
}
