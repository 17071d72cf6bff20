using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Peers;

/// <summary>shutdown as Wine's test_shutdown (dlls/ws2_32/tests/sock.c) records it for Windows.</summary>
public sealed class ShutdownPeerTests : WinsockTest
{
    // Mirrors Wine test_shutdown (first block): unconnected WSAENOTCONN; SD_SEND twice succeeds; send after it
    // WSAESHUTDOWN; the peer reads 0 (twice); SD_RECEIVE then recv WSAESHUTDOWN while sending still works; names
    // stay; connect again WSAEISCONN; a bad how WSAEINVAL.
    [Fact]
    public void shutdown_EachDirection_RecordedErrors()
    {
        var (l, addr) = Listen();
        var client = Check(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        SOCKET server = SOCKET.Invalid;
        var buf = new byte[5];
        try
        {
            Fails(WSAENOTCONN, shutdown(client, SD_SEND));
            Fails(WSAENOTCONN, shutdown(client, SD_RECEIVE));
            Ok(connect(client, addr, addr.Length));
            server = Check(accept(l));
            uint nb = 1;
            Ok(ioctlsocket(client, FIONBIO, ref nb));

            Ok(shutdown(client, SD_SEND));
            Ok(shutdown(client, SD_SEND));
            Fails(WSAESHUTDOWN, send(client, Bytes("test\0"), 5, 0));
            Assert.Equal(0, recv(server, buf, buf.Length, 0));
            Assert.Equal(0, recv(server, buf, buf.Length, 0));

            Ok(shutdown(server, SD_RECEIVE));
            Fails(WSAESHUTDOWN, recv(server, buf, buf.Length, 0));
            Assert.Equal(5, send(server, Bytes("test\0"), 5, 0));
            Eventually(() => { uint n = 0; ioctlsocket(client, FIONREAD, ref n); return n == 5; }, "the 5 bytes reach the client");
            Assert.Equal(5, recv(client, buf, buf.Length, 0));
            Assert.Equal("test\0", Text(buf, 5));

            Ok(shutdown(client, SD_RECEIVE));
            Fails(WSAESHUTDOWN, recv(client, buf, buf.Length, 0));
            Fails(WSAESHUTDOWN, recv(client, buf, buf.Length, 0));
            Ok(shutdown(server, SD_SEND));
            Fails(WSAESHUTDOWN, send(server, Bytes("test\0"), 5, 0));

            var name = new byte[16];
            int len = name.Length;
            Ok(getpeername(client, name, ref len));
            Assert.Equal(SockAddr.ToEndPoint(addr), SockAddr.ToEndPoint(name));
            Fails(WSAEISCONN, connect(client, addr, addr.Length));
            Fails(WSAEINVAL, shutdown(client, unchecked((int)0xdeadbeef)));
        }
        finally
        {
            closesocket(client);
            if (server.IsValid) closesocket(server);
            closesocket(l);
        }
    }

    // Mirrors Wine test_shutdown ("Test SD_BOTH"): both directions WSAESHUTDOWN; the peer reads 0; names stay.
    [Fact]
    public void shutdown_Both_RecvAndSendWSAESHUTDOWN_PeerReadsZero()
    {
        var (client, server) = TcpPair();
        var buf = new byte[5];
        try
        {
            Ok(shutdown(client, SD_BOTH));
            Fails(WSAESHUTDOWN, recv(client, buf, buf.Length, 0));
            Fails(WSAESHUTDOWN, send(client, Bytes("test\0"), 5, 0));
            Assert.Equal(0, recv(server, buf, buf.Length, 0));
            Ok(shutdown(server, SD_BOTH));
            Fails(WSAESHUTDOWN, recv(server, buf, buf.Length, 0));
            Fails(WSAESHUTDOWN, send(server, Bytes("test\0"), 5, 0));
            var name = new byte[16];
            int len = name.Length;
            Ok(getpeername(client, name, ref len));
            len = name.Length;
            Ok(getpeername(server, name, ref len));
        }
        finally { closesocket(client); closesocket(server); }
    }
}
