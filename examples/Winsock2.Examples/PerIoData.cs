using static Winsock2.Ws2_32;

namespace Winsock2.Examples;

/// <summary>
/// The per-connection, per-I/O record of the overlapped echo servers (the C programs' PER_IO_OPERATION_DATA, which
/// begins with its WSAOVERLAPPED): it is the WSAOVERLAPPED of the one operation in flight, so a completion hands it
/// back and a cast recovers it (C's CONTAINING_RECORD). It also holds the WSABUF, the buffer, and what the echo has
/// still to send.
/// </summary>
internal sealed class PerIoData(SOCKET socket) : WSAOVERLAPPED
{
    public readonly SOCKET Socket = socket;
    public readonly WSABUF DataBuf = new();
    public readonly byte[] Buffer = new byte[8192];
    public bool Accepting;     // the operation in flight: an AcceptEx (the completion-port server)
    public bool Sending;       // the operation in flight: a send (else a receive)
    public int BytesToSend;    // bytes of Buffer to echo
    public int BytesSent;      // of those, already sent
    public long BytesEchoed;
    public bool Closed;

    /// <summary>Posts an overlapped WSARecv into the whole buffer; 0, or the error that ends the connection.</summary>
    public int PostRecv(LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine)
    {
        Sending = false;
        DataBuf.buf = Buffer;
        DataBuf.offset = 0;
        DataBuf.len = (uint)Buffer.Length;
        uint flags = 0;
        if (WSARecv(Socket, [DataBuf], 1, out _, ref flags, this, routine) == SOCKET_ERROR
            && WSAGetLastError() != WSA_IO_PENDING)
            return WSAGetLastError();
        return 0;   // done at once or pending: either way the completion is reported (event, routine or port)
    }

    /// <summary>Posts an overlapped WSASend of the bytes still to echo; 0, or the error that ends the connection.</summary>
    public int PostSend(LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine)
    {
        Sending = true;
        DataBuf.buf = Buffer;
        DataBuf.offset = BytesSent;                       // wsabuf.buf = buffer + sent
        DataBuf.len = (uint)(BytesToSend - BytesSent);
        if (WSASend(Socket, [DataBuf], 1, out _, 0, this, routine) == SOCKET_ERROR
            && WSAGetLastError() != WSA_IO_PENDING)
            return WSAGetLastError();
        return 0;
    }

    /// <summary>
    /// The next step after an operation finished with <paramref name="bytes"/>: a receive of 0 bytes means the
    /// client is done (returns false); a receive is echoed; a send that left bytes sends the rest, else receives.
    /// <paramref name="error"/> is set when posting the next operation failed.
    /// </summary>
    public bool Continue(uint bytes, LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, out int error)
    {
        error = 0;
        if (!Sending)
        {
            if (bytes == 0) return false;
            BytesToSend = (int)bytes;
            BytesSent = 0;
            error = PostSend(routine);
            return error == 0;
        }
        BytesSent += (int)bytes;
        BytesEchoed += bytes;
        error = BytesSent < BytesToSend ? PostSend(routine) : PostRecv(routine);
        return error == 0;
    }
}
