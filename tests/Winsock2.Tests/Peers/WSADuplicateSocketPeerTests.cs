using System.Diagnostics;
using System.Text;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Peers;

/// <summary>
/// WSADuplicateSocket on the Inet provider, in this process and across processes (Wine's test_WSADuplicateSocket
/// records the parameter errors and the same-process copy; the cross-process copy is Windows' contract: the
/// structure made for a process id is used by WSASocket(FROM_PROTOCOL_INFO ×3) in that process).
/// </summary>
public sealed class WSADuplicateSocketPeerTests : WinsockTest
{
    private static readonly TimeSpan ChildWait = TimeSpan.FromSeconds(60);

    private static uint Self => (uint)Environment.ProcessId;

    // Mirrors Wine test_WSADuplicateSocket ("test invalid parameters"): the socket first, then the process id,
    // then the structure.
    [Fact]
    public void WSADuplicateSocket_BadArguments_ErrorsInWindowsOrder()
    {
        var s = Check(WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, 0));
        try
        {
            Fails(WSAENOTSOCK, WSADuplicateSocket(SOCKET.Invalid, 0, null!));
            Fails(WSAEINVAL, WSADuplicateSocket(s, 0, null!));
            Fails(WSAEINVAL, WSADuplicateSocket(s, ~0u, new WSAPROTOCOL_INFOW()));
            Fails(WSAENOTSOCK, WSADuplicateSocket(SOCKET.Invalid, Self, new WSAPROTOCOL_INFOW()));
            Fails(WSAEFAULT, WSADuplicateSocket(s, Self, null!));
        }
        finally { closesocket(s); }
    }

    // Mirrors Wine test_WSADuplicateSocket ("test returned structure"): the structure describes the socket, and
    // WSASocket(0, 0, 0, &info) makes the copy.
    [Fact]
    public void WSADuplicateSocket_SameProcess_StructureDescribesSocketAndMakesCopy()
    {
        var s = Check(WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, 0));
        var info = new WSAPROTOCOL_INFOW();
        Ok(WSADuplicateSocket(s, Self, info));
        Assert.Equal((AF_INET, SOCK_STREAM, IPPROTO_TCP), (info.iAddressFamily, info.iSocketType, info.iProtocol));
        var copy = Check(WSASocket(0, 0, 0, info, 0, 0));
        Assert.NotEqual(s, copy);
        Ok(closesocket(copy));
        Ok(closesocket(s));
    }

    // Mirrors Wine test_WSADuplicateSocket (UDP: bind, duplicate, send from the source to its own address, receive
    // on the copy).
    [Fact]
    public void WSADuplicateSocket_BoundUdp_CopyReceivesWhatSourceWasSent()
    {
        var src = Check(WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, 0));
        try
        {
            var addr = Loopback();
            Ok(bind(src, addr, addr.Length));
            var info = new WSAPROTOCOL_INFOW();
            Ok(WSADuplicateSocket(src, Self, info));
            var dup = Check(WSASocket(0, 0, 0, info, 0, 0));
            try
            {
                Ok(getsockopt(dup, SOL_SOCKET, SO_TYPE, out int type));
                Assert.Equal(SOCK_DGRAM, type);
                var self = Loopback(PortOf(src));
                Assert.Equal(5, sendto(src, Bytes("TEST\0"), 5, 0, self, self.Length));
                var buf = new byte[16];
                Assert.Equal(5, recv(dup, buf, buf.Length, 0));
                Assert.Equal("TEST\0", Text(buf, 5));
                Assert.Equal(PortOf(src), PortOf(dup)); // the same kernel socket
            }
            finally { closesocket(dup); }
        }
        finally { closesocket(src); }
    }

    // The structure is one-shot: a second WSASocket on it fails WSAEINVAL.
    [Fact]
    public void WSASocket_DuplicateStructureUsedTwice_SecondWSAEINVAL()
    {
        var s = Check(WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, 0));
        var info = new WSAPROTOCOL_INFOW();
        Ok(WSADuplicateSocket(s, Self, info));
        var first = Check(WSASocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, info, 0, 0));
        Fails(WSAEINVAL, WSASocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, info, 0, 0));
        closesocket(first);
        closesocket(s);
    }

    // The copy outlives the source: closing the source after WSADuplicateSocket keeps the connection for the copy.
    [Fact]
    public void WSADuplicateSocket_SourceClosedFirst_CopyStillConnected()
    {
        var (c, s) = TcpPair();
        var info = new WSAPROTOCOL_INFOW();
        Ok(WSADuplicateSocket(s, Self, info));
        Ok(closesocket(s));
        var copy = Check(WSASocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, info, 0, WSA_FLAG_OVERLAPPED));
        try
        {
            Assert.Equal(5, send(c, Bytes("hello"), 5, 0));
            var buf = new byte[8];
            Assert.Equal(5, recv(copy, buf, buf.Length, 0));
            Assert.Equal("hello", Text(buf, 5));
            var name = new byte[28];
            int len = name.Length;
            Ok(getpeername(copy, name, ref len)); // its state came back from the kernel: connected
        }
        finally
        {
            closesocket(copy);
            closesocket(c);
        }
    }

    // Mirrors Wine test_iocp ("duplicated handle, closing original handle"): a request pending on the copy survives
    // closing the source and completes when data comes.
    [Fact]
    public void WSADuplicateSocket_SourceClosedWhileCopyReceives_CopyRequestCompletes()
    {
        var (c, s) = TcpPair();
        var info = new WSAPROTOCOL_INFOW();
        Ok(WSADuplicateSocket(s, Self, info));
        var copy = Check(WSASocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, info, 0, WSA_FLAG_OVERLAPPED));
        var ev = WSACreateEvent();
        try
        {
            var ov = new WSAOVERLAPPED { hEvent = ev };
            var buf = new byte[8];
            uint flags = 0;
            Assert.Equal(SOCKET_ERROR, WSARecv(copy, [new WSABUF(buf)], 1, out _, ref flags, ov, null));
            Assert.Equal(WSA_IO_PENDING, WSAGetLastError());
            Ok(closesocket(s));
            Assert.Equal(5, send(c, Bytes("later"), 5, 0));
            Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 10_000, false));
            Assert.True(WSAGetOverlappedResult(copy, ov, out uint got, false, out _));
            Assert.Equal(5u, got);
            Assert.Equal("later", Text(buf, 5));
        }
        finally
        {
            closesocket(copy);
            closesocket(c);
            WSACloseEvent(ev);
        }
    }

    // Windows' contract across processes: a connected TCP socket duplicated for a child process, made there with
    // WSASocket(FROM_PROTOCOL_INFO ×3), receives what the peer sends. The structure is refused to any other process
    // (this one), and still serves the child afterwards.
    [Fact]
    public void WSADuplicateSocket_ConnectedTcpToChildProcess_ChildReceivesTheBytes()
    {
        var (c, s) = TcpPair();
        using var child = StartChild();
        try
        {
            Assert.Equal("ready", ReadLine(child));
            var info = new WSAPROTOCOL_INFOW();
            Ok(WSADuplicateSocket(s, (uint)child.Id, info));
            Fails(WSAEINVAL, WSASocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, info, 0, 0)); // not for us

            var bytes = new byte[WSAPROTOCOL_INFOW.Size];
            ProtocolInfoCodec.Write(info, bytes);
            child.StandardInput.WriteLine(Convert.ToBase64String(bytes));
            child.StandardInput.Flush();
            Ok(closesocket(s)); // the child's copy keeps the connection

            var payload = Encoding.UTF8.GetBytes("bytes for the child process");
            Assert.Equal(payload.Length, send(c, payload, payload.Length, 0));
            Ok(shutdown(c, SD_SEND));
            Assert.Equal("received " + Convert.ToBase64String(payload), ReadLine(child));
            Assert.True(child.WaitForExit(ChildWait), "the child did not exit");
            Assert.Equal(0, child.ExitCode);
        }
        finally
        {
            if (!child.HasExited) child.Kill();
            closesocket(c);
        }
    }

    private static Process StartChild()
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add(typeof(DuplicateChild).Assembly.Location);
        psi.ArgumentList.Add(DuplicateChild.Role);
        return Process.Start(psi) ?? throw new InvalidOperationException("the child did not start");
    }

    /// <summary>The child's next line (bounded wait), read by a thread of its own (<see cref="ChildLines"/>).</summary>
    private static string ReadLine(Process child)
    {
        Assert.True(ChildLines.TryReadLine(child.StandardOutput, ChildWait, out var line), "the child said nothing");
        return line ?? "(end of output) " + child.StandardError.ReadToEnd();
    }
}
