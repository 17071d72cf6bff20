using static Winsock2.Ws2_32;

namespace Winsock2.Examples;

/// <summary>
/// The select() model: one thread, every socket nonblocking, each pass builds the fd_sets afresh — a connection
/// with echo bytes still to send waits to be writable, the others to be readable — and the listener is in the
/// read set until every client has connected.
/// Arguments: [port (0 = ephemeral)] [clients (3)] [messages per client (3)].
/// </summary>
public static class SelectServer
{
    private const string Name = "select-server";

    /// <summary>What the server keeps per connection (the C program's SOCKET_INFORMATION).</summary>
    private sealed class SOCKET_INFORMATION
    {
        public SOCKET Socket;
        public byte[] Buffer = new byte[8192];
        public int BytesToSend;   // bytes of Buffer to echo
        public int BytesSent;     // of those, already sent
        public long BytesEchoed;
    }

    /// <summary>Serves the clients it starts, then exits: 0 if every echo was byte-exact.</summary>
    public static int Main(string[] args, TextWriter stdout)
    {
        int port = Args.Int(args, 0, 0), clients = Args.Int(args, 1, 3), messages = Args.Int(args, 2, 3);

        if (WSAStartup(MAKEWORD(2, 2), out WSADATA wsaData) != 0)
        {
            stdout.WriteLine($"WSAStartup failed with error {WSAGetLastError()}");
            return 1;
        }
        SOCKET listener = Listener.Open(Name, port, stdout, out port);
        if (listener == INVALID_SOCKET)
        {
            WSACleanup();
            return 1;
        }
        uint nonBlocking = 1;
        ioctlsocket(listener, FIONBIO, ref nonBlocking);

        var driver = EchoClient.Start(port, clients, messages, stdout);

        var sockets = new List<SOCKET_INFORMATION>();
        fd_set readfds = new(), writefds = new();
        int accepted = 0, served = 0;
        long total = 0;
        bool failed = false;
        while (served < clients && !failed)
        {
            FD_ZERO(readfds);
            FD_ZERO(writefds);
            if (accepted < clients) FD_SET(listener, readfds);
            foreach (var si in sockets)
            {
                if (si.BytesToSend > 0) FD_SET(si.Socket, writefds);
                else FD_SET(si.Socket, readfds);
            }

            int ready = select(0, readfds, writefds, null, new timeval { tv_sec = 30 });
            if (ready == SOCKET_ERROR)
            {
                stdout.WriteLine($"select failed with error {WSAGetLastError()}");
                failed = true;
                break;
            }
            if (ready == 0)
            {
                stdout.WriteLine("select timed out: no client made progress for 30 s");
                failed = true;
                break;
            }

            if (FD_ISSET(listener, readfds))
            {
                SOCKET s = accept(listener);
                if (s != INVALID_SOCKET)
                {
                    // The accepted socket is nonblocking like the listener (it inherits the mode).
                    sockets.Add(new SOCKET_INFORMATION { Socket = s });
                    accepted++;
                    stdout.WriteLine($"{Name}: accepted connection {accepted}");
                }
                else if (WSAGetLastError() != WSAEWOULDBLOCK)
                {
                    stdout.WriteLine($"accept failed with error {WSAGetLastError()}");
                    failed = true;
                }
            }

            for (int i = sockets.Count - 1; i >= 0; i--)
            {
                var si = sockets[i];
                bool close = false;
                if (FD_ISSET(si.Socket, readfds))
                {
                    int n = recv(si.Socket, si.Buffer, si.Buffer.Length, 0);
                    if (n == 0) close = true;                                   // the client closed: graceful
                    else if (n == SOCKET_ERROR)
                    {
                        if (WSAGetLastError() != WSAEWOULDBLOCK)
                        {
                            stdout.WriteLine($"recv failed with error {WSAGetLastError()}");
                            close = failed = true;
                        }
                    }
                    else si.BytesToSend = n;
                }
                if (!close && si.BytesToSend > 0 && (FD_ISSET(si.Socket, writefds) || FD_ISSET(si.Socket, readfds)))
                {
                    int n = send(si.Socket, si.Buffer, si.BytesSent, si.BytesToSend - si.BytesSent, 0);
                    if (n == SOCKET_ERROR)
                    {
                        if (WSAGetLastError() != WSAEWOULDBLOCK)
                        {
                            stdout.WriteLine($"send failed with error {WSAGetLastError()}");
                            close = failed = true;
                        }
                    }
                    else
                    {
                        si.BytesSent += n;
                        si.BytesEchoed += n;
                        if (si.BytesSent == si.BytesToSend) si.BytesToSend = si.BytesSent = 0;
                    }
                }
                if (close)
                {
                    closesocket(si.Socket);
                    sockets.RemoveAt(i);
                    served++;
                    total += si.BytesEchoed;
                    stdout.WriteLine($"{Name}: connection closed after {si.BytesEchoed} bytes");
                }
            }
        }

        foreach (var si in sockets) closesocket(si.Socket);
        closesocket(listener);
        bool clientsOk = driver.Join(60_000);
        stdout.WriteLine($"{Name}: served {served} clients, echoed {total} bytes");
        WSACleanup();
        return !failed && clientsOk ? 0 : 1;
    }

}
