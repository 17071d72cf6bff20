using static Winsock2.Kernel32;
using static Winsock2.Ws2_32;

namespace Winsock2.Examples;

/// <summary>
/// An I/O completion port server: the listening socket and every accepted one are associated with one port;
/// connections arrive through AcceptEx (reached through WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER)), which also
/// reads each client's first data; worker threads take completions with GetQueuedCompletionStatus and post the next
/// operation. Each connection has one operation in flight, so its completions never run on two workers at once.
/// Arguments: [port (0 = ephemeral)] [clients (8)] [messages per client (3)] [worker threads (4)].
/// </summary>
public static class IocpServer
{
    private const string Name = "iocp-server";
    private const nuint KEY_LISTENER = 1;
    private const nuint KEY_CONNECTION = 2;
    private const nuint KEY_QUIT = 0;
    private static readonly uint AddressLength = (uint)SockAddr.SizeIn + 16;   // sizeof(SOCKADDR_IN) + 16, as AcceptEx asks

    /// <summary>Serves the clients it starts with the worker threads, then exits: 0 if every echo was byte-exact.</summary>
    public static int Main(string[] args, TextWriter stdout)
    {
        int port = Args.Int(args, 0, 0), clients = Args.Int(args, 1, 8), messages = Args.Int(args, 2, 3), workers = Args.Int(args, 3, 4);

        if (WSAStartup(MAKEWORD(2, 2), out _) != 0)
        {
            stdout.WriteLine($"WSAStartup failed with error {WSAGetLastError()}");
            return 1;
        }
        var server = new Server(stdout, clients);
        int rc = server.Run(port, messages, workers);
        WSACleanup();
        return rc;
    }

    /// <summary>The port, the listener, the extension functions, and what the workers count.</summary>
    private sealed class Server(TextWriter stdout, int clients)
    {
        private HANDLE? _port;
        private SOCKET _listener = INVALID_SOCKET;
        private LPFN_ACCEPTEX? _lpfnAcceptEx;
        private LPFN_GETACCEPTEXSOCKADDRS? _lpfnGetAcceptExSockaddrs;
        private readonly WSAEVENT _allServed = WSACreateEvent();
        private int _posted, _accepted, _served, _failed;
        private long _echoed;

        public int Run(int port, int messages, int workers)
        {
            _listener = Listener.Open(Name, port, stdout, out port);
            if (_listener == INVALID_SOCKET) return 1;

            _port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, null, 0, 0);
            if (_port is null || CreateIoCompletionPort(_listener, _port, KEY_LISTENER, 0) is null)
            {
                stdout.WriteLine($"CreateIoCompletionPort failed with error {GetLastError()}");
                return Finish(1, []);
            }
            if (WSAIoctl(_listener, SIO_GET_EXTENSION_FUNCTION_POINTER, WSAID_ACCEPTEX, out _lpfnAcceptEx, out _, null, null) == SOCKET_ERROR
                || WSAIoctl(_listener, SIO_GET_EXTENSION_FUNCTION_POINTER, WSAID_GETACCEPTEXSOCKADDRS, out _lpfnGetAcceptExSockaddrs, out _, null, null) == SOCKET_ERROR)
            {
                stdout.WriteLine($"WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) failed with error {WSAGetLastError()}");
                return Finish(1, []);
            }

            var threads = new Thread[workers];
            for (int i = 0; i < workers; i++)
            {
                threads[i] = new Thread(WorkerThread) { IsBackground = true };
                threads[i].Start();
            }
            // A few accepts in flight; each completed one posts the next until every client has come.
            for (int i = 0; i < Math.Min(clients, 4); i++) PostAccept();

            var driver = EchoClient.Start(port, clients, messages, stdout);
            if (WSAWaitForMultipleEvents(1, [_allServed], false, 60_000, false) != WSA_WAIT_EVENT_0)
            {
                stdout.WriteLine("the clients were not served within 60 s");
                Interlocked.Exchange(ref _failed, 1);
            }
            bool clientsOk = driver.Join(60_000);
            int rc = Finish(_failed == 0 && clientsOk ? 0 : 1, threads);
            stdout.WriteLine($"{Name}: served {_served} clients, echoed {_echoed} bytes");
            return rc;
        }

        /// <summary>Stops the workers (one quit packet each), then closes the listener and the port.</summary>
        private int Finish(int rc, Thread[] threads)
        {
            foreach (var _ in threads) PostQueuedCompletionStatus(_port!, 0, KEY_QUIT, null);
            foreach (var t in threads) t.Join(30_000);
            closesocket(_listener);
            if (_port is not null) CloseHandle(_port);
            WSACloseEvent(_allServed);
            return rc;
        }

        /// <summary>AcceptEx into a new socket; its first data lands at the front of the record's buffer.</summary>
        private void PostAccept()
        {
            if (Interlocked.Increment(ref _posted) > clients) return;   // one accept per client the run expects
            SOCKET s = WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, WSA_FLAG_OVERLAPPED);
            if (s == INVALID_SOCKET)
            {
                stdout.WriteLine($"WSASocket failed with error {WSAGetLastError()}");
                return;
            }
            var io = new PerIoData(s) { Accepting = true };
            // The accept socket joins the port now: its completions, the accept's among them, carry its record.
            if (CreateIoCompletionPort(s, _port, KEY_CONNECTION, 0) is null)
            {
                stdout.WriteLine($"CreateIoCompletionPort failed with error {GetLastError()}");
                Close(io, (int)GetLastError());
                return;
            }
            uint dataLength = (uint)io.Buffer.Length - 2 * AddressLength;
            if (!_lpfnAcceptEx!(_listener, s, io.Buffer, dataLength, AddressLength, AddressLength, out _, io)
                && WSAGetLastError() != ERROR_IO_PENDING)
            {
                stdout.WriteLine($"AcceptEx failed with error {WSAGetLastError()}");
                Close(io, WSAGetLastError());
            }
        }

        private void WorkerThread()
        {
            while (true)
            {
                bool ok = GetQueuedCompletionStatus(_port!, out uint bytes, out _, out WSAOVERLAPPED? lpOverlapped, INFINITE);
                if (lpOverlapped is null)
                {
                    if (!ok) stdout.WriteLine($"GetQueuedCompletionStatus failed with error {GetLastError()}");
                    return;                                            // KEY_QUIT, or the port was closed
                }
                // The record, not the completion key, says which operation finished (CONTAINING_RECORD).
                var io = (PerIoData)lpOverlapped;
                bool open;
                int error;
                if (!ok)
                {
                    open = false;
                    error = (int)GetLastError();
                }
                else if (io.Accepting) open = Accepted(io, bytes, out error);
                else open = io.Continue(bytes, null, out error);   // a receive of 0 bytes: the client is done
                if (!open) Close(io, error);
            }
        }

        /// <summary>
        /// An AcceptEx finished: the next one is posted, the socket takes the listener's context and joins the port,
        /// and the first data, which came with the accept, is echoed as if a WSARecv had read it.
        /// </summary>
        private bool Accepted(PerIoData io, uint bytes, out int error)
        {
            io.Accepting = false;
            int n = Interlocked.Increment(ref _accepted);
            PostAccept();
            byte[] listener = BitConverter.GetBytes((ulong)_listener.Value);
            if (setsockopt(io.Socket, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, listener, listener.Length) == SOCKET_ERROR)
            {
                error = WSAGetLastError();
                return false;
            }
            uint dataLength = (uint)io.Buffer.Length - 2 * AddressLength;
            _lpfnGetAcceptExSockaddrs!(io.Buffer, dataLength, AddressLength, AddressLength, out _, out _, out byte[] remote, out _);
            ref SOCKADDR_IN peer = ref SockAddr.As<SOCKADDR_IN>(remote);
            stdout.WriteLine($"{Name}: accepted connection {n} from {inet_ntoa(peer.sin_addr)}");
            return io.Continue(bytes, null, out error);
        }

        private void Close(PerIoData io, int error)
        {
            if (error != 0)
            {
                stdout.WriteLine($"connection failed with error {error}");
                Interlocked.Exchange(ref _failed, 1);
            }
            closesocket(io.Socket);
            Interlocked.Add(ref _echoed, io.BytesEchoed);
            stdout.WriteLine($"{Name}: connection closed after {io.BytesEchoed} bytes");
            if (Interlocked.Increment(ref _served) == clients) WSASetEvent(_allServed);
        }
    }
}
