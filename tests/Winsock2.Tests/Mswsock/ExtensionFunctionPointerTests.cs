using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Mswsock;

/// <summary>WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER): each function by its GUID, answered by the socket's provider.</summary>
public class ExtensionFunctionPointerTests : MswsockTest
{
    [Fact]
    public void WSAIoctl_EachExtensionGuid_ReturnsItsFunction()
    {
        var s = Tcp();
        Assert.NotNull(Load<LPFN_ACCEPTEX>(s, WSAID_ACCEPTEX));
        Assert.NotNull(Load<LPFN_GETACCEPTEXSOCKADDRS>(s, WSAID_GETACCEPTEXSOCKADDRS));
        Assert.NotNull(Load<LPFN_CONNECTEX>(s, WSAID_CONNECTEX));
        Assert.NotNull(Load<LPFN_DISCONNECTEX>(s, WSAID_DISCONNECTEX));
        Assert.NotNull(Load<LPFN_TRANSMITFILE>(s, WSAID_TRANSMITFILE));
        Assert.NotNull(Load<LPFN_WSARECVMSG>(s, WSAID_WSARECVMSG));
        Assert.NotNull(Load<LPFN_WSASENDMSG>(s, WSAID_WSASENDMSG));
        closesocket(s);
    }

    [Fact]
    public void WSAIoctl_GuidValues_AreTheHeaders()
    {
        Assert.Equal(new Guid("b5367df1-cbac-11cf-95ca-00805f48a192"), WSAID_ACCEPTEX);
        Assert.Equal(new Guid("b5367df2-cbac-11cf-95ca-00805f48a192"), WSAID_GETACCEPTEXSOCKADDRS);
        Assert.Equal(new Guid("b5367df0-cbac-11cf-95ca-00805f48a192"), WSAID_TRANSMITFILE);
        Assert.Equal(new Guid("25a207b9-ddf3-4660-8ee9-76e58c74063e"), WSAID_CONNECTEX);
        Assert.Equal(new Guid("7fda2e11-8630-436f-a031-f536a6eec157"), WSAID_DISCONNECTEX);
        Assert.Equal(new Guid("f689d7c8-6f1f-436b-8a53-e54fe351c322"), WSAID_WSARECVMSG);
        Assert.Equal(new Guid("a441e712-754f-43ca-84a7-0dee44cf606d"), WSAID_WSASENDMSG);
        Assert.Equal(0xC8000006u, SIO_GET_EXTENSION_FUNCTION_POINTER);
    }

    [Fact]
    public void WSAIoctl_UnknownGuid_WSAEINVAL()
    {
        var s = Tcp();
        Fails(WSAEINVAL, WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, Guid.NewGuid(), out LPFN_ACCEPTEX? fn, out _, null, null));
        Assert.Null(fn);
        closesocket(s);
    }

    [Fact]
    public void WSAIoctl_KnownFunctionNotOffered_WSAEOPNOTSUPP()
    {
        var s = Tcp();
        Fails(WSAEOPNOTSUPP, WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, WSAID_TRANSMITPACKETS, out LPFN_ACCEPTEX? fn, out _, null, null));
        Assert.Null(fn);
        closesocket(s);
    }

    [Fact]
    public void WSAIoctl_DelegateTypeNotTheGuids_WSAEINVAL()
    {
        var s = Tcp();
        Fails(WSAEINVAL, WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, WSAID_CONNECTEX, out LPFN_ACCEPTEX? fn, out _, null, null));
        Assert.Null(fn);
        closesocket(s);
    }

    [Fact]
    public void WSAIoctl_ShortBuffers_WSAEFAULT()
    {
        var s = Tcp();
        var guid = WSAID_ACCEPTEX.ToByteArray();
        Fails(WSAEFAULT, WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, guid, 16, new byte[8], 4, out _, null, null));
        Fails(WSAEFAULT, WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, guid, 8, new byte[8], 8, out _, null, null));
        Assert.Equal(0, WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, guid, 16, new byte[8], 8, out uint n, null, null));
        Assert.Equal(8u, n);
        closesocket(s);
    }

    [Fact]
    public void WSAIoctl_NotASocket_WSAENOTSOCK()
    {
        Fails(WSAENOTSOCK, WSAIoctl(new SOCKET(0x7FFF_FFF0), SIO_GET_EXTENSION_FUNCTION_POINTER, WSAID_ACCEPTEX, out LPFN_ACCEPTEX? _, out _, null, null));
    }

    [Fact]
    public void WSAIoctl_SameFunctionTwice_SamePointer()
    {
        var s = Tcp();
        var guid = WSAID_CONNECTEX.ToByteArray();
        var a = new byte[8];
        var b = new byte[8];
        Ok(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, guid, 16, a, 8, out _, null, null));
        Ok(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, guid, 16, b, 8, out _, null, null));
        Assert.Equal(a, b);
        Assert.NotEqual(new byte[8], a);
        closesocket(s);
    }
}
