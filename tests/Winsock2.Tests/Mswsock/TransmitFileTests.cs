using Microsoft.Win32.SafeHandles;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Mswsock;

/// <summary>TransmitFile: head, file range, tail; TF_DISCONNECT and TF_REUSE_SOCKET.</summary>
public sealed class TransmitFileTests : MswsockTest
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"ws2-transmit-{Guid.NewGuid():N}.bin");

    public override void Dispose()
    {
        File.Delete(_path);
        base.Dispose();
    }

    private SafeFileHandle FileOf(string text)
    {
        File.WriteAllBytes(_path, Bytes(text));
        return File.OpenHandle(_path, FileMode.Open, FileAccess.Read);
    }

    private static string ReadAll(SOCKET s, int count)
    {
        var all = new List<byte>();
        var buf = new byte[256];
        while (all.Count < count)
        {
            int n = recv(s, buf, buf.Length, 0);
            Assert.True(n > 0, $"recv gave {n}, error {WSAGetLastError()}");
            all.AddRange(buf.AsSpan(0, n).ToArray());
        }
        return Text([.. all], all.Count);
    }

    [Fact]
    public void TransmitFile_HeadFileTail_ArriveInOrder()
    {
        var (c, s) = TcpPair();
        var transmitFile = Load<LPFN_TRANSMITFILE>(c, WSAID_TRANSMITFILE);
        using var file = FileOf("-file body-");
        var buffers = new TRANSMIT_FILE_BUFFERS { Head = Bytes("HEAD"), HeadLength = 4, Tail = Bytes("TAIL!"), TailLength = 4 };
        Assert.True(transmitFile(c, file, 0, 0, null, buffers, 0), $"TransmitFile failed with {WSAGetLastError()}");
        Assert.Equal("HEAD-file body-TAIL", ReadAll(s, 19));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void TransmitFile_Overlapped_OffsetAndCountFromArguments()
    {
        var (c, s) = TcpPair();
        var transmitFile = Load<LPFN_TRANSMITFILE>(c, WSAID_TRANSMITFILE);
        using var file = FileOf("0123456789");
        var ov = Overlapped();
        ov.Offset = 3;
        bool done = transmitFile(c, file, 4, 0, ov, null, 0);
        Assert.True(done || WSAGetLastError() == ERROR_IO_PENDING, $"TransmitFile failed with {WSAGetLastError()}");
        Assert.True(Finish(c, ov, out uint bytes));
        Assert.Equal(4u, bytes);
        Assert.Equal("3456", ReadAll(s, 4));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void TransmitFile_NoOverlapped_FilePositionMoves()
    {
        var (c, s) = TcpPair();
        var transmitFile = Load<LPFN_TRANSMITFILE>(c, WSAID_TRANSMITFILE);
        using var file = FileOf("abcdef");
        Assert.True(transmitFile(c, file, 2, 0, null, null, 0));
        Assert.True(transmitFile(c, file, 2, 0, null, null, 0));
        Assert.Equal("abcd", ReadAll(s, 4));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void TransmitFile_DisconnectReuse_PeerSeesEndAndSocketIsNew()
    {
        var (c, s) = TcpPair();
        var transmitFile = Load<LPFN_TRANSMITFILE>(c, WSAID_TRANSMITFILE);
        using var file = FileOf("bye");
        var ov = Overlapped();
        bool done = transmitFile(c, file, 0, 0, ov, null, TF_DISCONNECT | TF_REUSE_SOCKET);
        Assert.True(done || WSAGetLastError() == ERROR_IO_PENDING, $"TransmitFile failed with {WSAGetLastError()}");
        Assert.True(Finish(c, ov, out _));
        Assert.Equal("bye", ReadAll(s, 3));
        Assert.Equal(0, recv(s, new byte[1], 1, 0));
        var any = Loopback();
        Ok(bind(c, any, any.Length), "bind after TF_REUSE_SOCKET");
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void TransmitFile_DocumentedErrors()
    {
        var (c, s) = TcpPair();
        var transmitFile = Load<LPFN_TRANSMITFILE>(c, WSAID_TRANSMITFILE);
        FailsWith(WSAEINVAL, transmitFile(c, null, 0, 0, null, null, TF_REUSE_SOCKET));
        FailsWith(WSAEINVAL, transmitFile(c, null, 0, 0, null, null, 0x1000));
        FailsWith(WSAEFAULT, transmitFile(c, null, 0, 0, null, new TRANSMIT_FILE_BUFFERS { Head = new byte[2], HeadLength = 3 }, 0));
        var closed = FileOf("x");
        closed.Dispose();
        FailsWith(WSA_INVALID_HANDLE, transmitFile(c, closed, 0, 0, null, null, 0));
        var unconnected = Tcp();
        FailsWith(WSAENOTCONN, transmitFile(unconnected, null, 0, 0, null, null, 0));
        FailsWith(WSAENOTSOCK, transmitFile(SOCKET.Invalid, null, 0, 0, null, null, 0));
        closesocket(unconnected); closesocket(c); closesocket(s);
    }
    [Fact]
    public void TransmitFile_RangeAboveBound_WSAENOBUFS()
    {
        var (c, s) = TcpPair();
        var transmitFile = Load<LPFN_TRANSMITFILE>(c, WSAID_TRANSMITFILE);
        using (var f = File.Create(_path)) f.SetLength(64L * 1024 * 1024 + 1); // sparse: no data written
        using var file = File.OpenHandle(_path, FileMode.Open, FileAccess.Read);
        FailsWith(WSAENOBUFS, transmitFile(c, file, 0, 0, null, null, 0));
        closesocket(c); closesocket(s);
    }
}
