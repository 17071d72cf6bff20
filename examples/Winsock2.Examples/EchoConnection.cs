using static Winsock2.Ws2_32;

namespace Winsock2.Examples;

/// <summary>
/// One connection of a nonblocking echo server driven by network events (WSAAsyncSelect, WSAEventSelect): the
/// C program's per-socket structure and the routine that moves bytes until the socket would block.
/// </summary>
internal sealed class EchoConnection(SOCKET socket)
{
    public readonly SOCKET Socket = socket;
    public readonly byte[] Buffer = new byte[8192];
    public int BytesToSend;    // bytes of Buffer to echo
    public int BytesSent;      // of those, already sent
    public long BytesEchoed;

    /// <summary>
    /// Reads and echoes until the socket would block (FD_READ / FD_WRITE comes again then) or the peer has
    /// finished sending. Returns 0, or the error that ends the connection.
    /// </summary>
    public int Pump()
    {
        while (true)
        {
            if (BytesToSend > 0)
            {
                int sent = send(Socket, Buffer, BytesSent, BytesToSend - BytesSent, 0);
                if (sent == SOCKET_ERROR) return WSAGetLastError() == WSAEWOULDBLOCK ? 0 : WSAGetLastError();
                BytesSent += sent;
                BytesEchoed += sent;
                if (BytesSent == BytesToSend) BytesToSend = BytesSent = 0;
                continue;
            }
            int n = recv(Socket, Buffer, Buffer.Length, 0);
            if (n == 0) return 0;                       // the peer is done; FD_CLOSE follows
            if (n == SOCKET_ERROR) return WSAGetLastError() == WSAEWOULDBLOCK ? 0 : WSAGetLastError();
            BytesToSend = n;
        }
    }
}
