using static Winsock2.Ws2_32;

namespace Winsock2.Examples;

/// <summary>
/// Overlapped I/O with completion routines: each WSARecv/WSASend names a routine, which runs on this thread when
/// it waits alertably — WSAWaitForMultipleEvents(..., fAlertable TRUE) on the listener's event while clients
/// connect, then SleepEx(..., TRUE) until the last one is done. The routine gets the connection's record back by
/// casting the WSAOVERLAPPED it is handed (the record derives from it, as the C record begins with it).
/// Arguments: [port (0 = ephemeral)] [clients (3)] [messages per client (3)].
/// </summary>
public static class CompletionRoutineServer
{
    private const string Name = "completion-routine-server";

    /// <summary>Serves the clients it starts, then exits: 0 if every echo was byte-exact.</summary>
    public static int Main(string[] args, TextWriter stdout)
    {
        int port = Args.Int(args, 0, 0), clients = Args.Int(args, 1, 3), messages = Args.Int(args, 2, 3);

        if (WSAStartup(MAKEWORD(2, 2), out _) != 0)
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
        WSAEVENT acceptEvent = WSACreateEvent();
        WSAEventSelect(listener, acceptEvent, FD_ACCEPT);

        var driver = EchoClient.Start(port, clients, messages, stdout);

        var server = new Routines(stdout);
        var ne = new WSANETWORKEVENTS();
        bool failed = false;
        while (server.Connections.Count < clients && !failed)
        {
            uint rc = WSAWaitForMultipleEvents(1, [acceptEvent], false, 30_000, true);
            if (rc == WSA_WAIT_IO_COMPLETION) continue;          // completion routines ran; wait again
            if (rc != WSA_WAIT_EVENT_0)
            {
                stdout.WriteLine(rc == WSA_WAIT_TIMEOUT ? "no client for 30 s" : $"WSAWaitForMultipleEvents failed with error {WSAGetLastError()}");
                failed = true;
                break;
            }
            WSAEnumNetworkEvents(listener, acceptEvent, ne);
            SOCKET s = accept(listener);
            if (s == INVALID_SOCKET) continue;
            WSAEventSelect(s, WSA_INVALID_EVENT, 0);             // inherited from the listener; not wanted here
            var io = new PerIoData(s);
            server.Connections.Add(io);
            stdout.WriteLine($"{Name}: accepted connection {server.Connections.Count}");
            int err = io.PostRecv(server.WorkerRoutine);
            if (err != 0) server.Close(io, err);
        }
        closesocket(listener);
        WSACloseEvent(acceptEvent);

        // Every client is connected: only completion routines are left to run.
        while (server.Served < server.Connections.Count && !failed)
        {
            if (SleepEx(30_000, true) != WAIT_IO_COMPLETION)
            {
                stdout.WriteLine("no completion for 30 s");
                failed = true;
            }
        }

        foreach (var io in server.Connections)
            if (!io.Closed) closesocket(io.Socket);
        bool clientsOk = driver.Join(60_000);
        stdout.WriteLine($"{Name}: served {server.Served} clients, echoed {server.Total} bytes");
        WSACleanup();
        return !failed && !server.Failed && clientsOk ? 0 : 1;
    }

    /// <summary>The routine and what it counts.</summary>
    private sealed class Routines(TextWriter stdout)
    {
        public readonly List<PerIoData> Connections = new();
        public int Served;
        public long Total;
        public bool Failed;

        /// <summary>The LPWSAOVERLAPPED_COMPLETION_ROUTINE of every receive and send.</summary>
        public void WorkerRoutine(uint dwError, uint cbTransferred, WSAOVERLAPPED lpOverlapped, uint dwFlags)
        {
            var io = (PerIoData)lpOverlapped;                    // CONTAINING_RECORD(lpOverlapped, PER_IO_DATA, Overlapped)
            int error = (int)dwError;
            if (error == 0 && io.Continue(cbTransferred, WorkerRoutine, out error)) return;
            Close(io, error);
        }

        public void Close(PerIoData io, int error)
        {
            if (error != 0)
            {
                stdout.WriteLine($"overlapped operation failed with error {error}");
                Failed = true;
            }
            closesocket(io.Socket);
            io.Closed = true;
            Served++;
            Total += io.BytesEchoed;
            stdout.WriteLine($"{Name}: connection closed after {io.BytesEchoed} bytes");
        }
    }
}
