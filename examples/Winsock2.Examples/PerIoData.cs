using static Winsock2.Ws2_32;

namespace Winsock2.Examples;

/// <summary>
/// The per-connection, per-I/O record of the overlapped echo servers (the C programs' PER_IO_OPERATION_DATA): the
/// WSAOVERLAPPED of the one operation in flight, its WSABUF, the buffer, and what the echo has still to send.
/// </summary>
internal sealed class PerIoData(SOCKET socket)
{
    public readonly SOCKET Socket = socket;
    public readonly WSAOVERLAPPED Overlapped = new();
    public readonly WSABUF DataBuf = new();
    public readonly byte[] Buffer = new byte[8192];
    public bool Sending;       // the operation in flight: a send (else a receive)
    public int BytesToSend;    // echo bytes at the front of Buffer not yet sent
    public long BytesEchoed;

    /// <summary>Posts an overlapped WSARecv into the whole buffer; 0, or the error that ends the connection.</summary>
    public int PostRecv(LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine)
    {
        Sending = false;
        DataBuf.buf = Buffer;
        DataBuf.len = (uint)Buffer.Length;
        uint flags = 0;
        if (WSARecv(Socket, [DataBuf], 1, out _, ref flags, Overlapped, routine) == SOCKET_ERROR
            && WSAGetLastError() != WSA_IO_PENDING)
            return WSAGetLastError();
        return 0;   // done at once or pending: either way the completion is reported (event or routine)
    }

    /// <summary>Posts an overlapped WSASend of the bytes still to echo; 0, or the error that ends the connection.</summary>
    public int PostSend(LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine)
    {
        Sending = true;
        DataBuf.buf = Buffer;
        DataBuf.len = (uint)BytesToSend;
        if (WSASend(Socket, [DataBuf], 1, out _, 0, Overlapped, routine) == SOCKET_ERROR
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
            error = PostSend(routine);
            return error == 0;
        }
        // WSABUF has no offset: what the send left is moved to the front of the buffer.
        System.Buffer.BlockCopy(Buffer, (int)bytes, Buffer, 0, BytesToSend - (int)bytes);
        BytesToSend -= (int)bytes;
        BytesEchoed += bytes;
        error = BytesToSend > 0 ? PostSend(routine) : PostRecv(routine);
        return error == 0;
    }
}
