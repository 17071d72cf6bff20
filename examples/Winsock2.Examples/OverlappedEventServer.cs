using static Winsock2.Ws2_32;

namespace Winsock2.Examples;

/// <summary>
/// Overlapped I/O with event notification: each connection has one operation in flight, whose WSAOVERLAPPED
/// (the connection's record) names an event; one thread waits on all the events (the listener's FD_ACCEPT event first) and collects each
/// result with WSAGetOverlappedResult.
/// Arguments: [port (0 = ephemeral)] [clients (3)] [messages per client (3)].
/// </summary>
public static class OverlappedEventServer
{
    private const string Name = "overlapped-event-server";

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

        // events[0] is the listener's; events[i] is the hEvent of connections[i]'s WSAOVERLAPPED.
        var events = new WSAEVENT[WSA_MAXIMUM_WAIT_EVENTS];
        var connections = new PerIoData?[WSA_MAXIMUM_WAIT_EVENTS];
        int total = 1;
        events[0] = WSACreateEvent();
        WSAEventSelect(listener, events[0], FD_ACCEPT);

        var driver = EchoClient.Start(port, clients, messages, stdout);

        int accepted = 0, served = 0;
        long echoed = 0;
        bool failed = false;
        var ne = new WSANETWORKEVENTS();
        while (served < clients && !failed)
        {
            uint rc = WSAWaitForMultipleEvents((uint)total, events, false, 30_000, false);
            if (rc == WSA_WAIT_FAILED || rc == WSA_WAIT_TIMEOUT)
            {
                stdout.WriteLine(rc == WSA_WAIT_TIMEOUT ? "no completion for 30 s" : $"WSAWaitForMultipleEvents failed with error {WSAGetLastError()}");
                failed = true;
                break;
            }
            for (int i = (int)(rc - WSA_WAIT_EVENT_0); i < total; i++)
            {
                if (WSAWaitForMultipleEvents(1, [events[i]], false, 0, false) != WSA_WAIT_EVENT_0) continue;

                if (i == 0)
                {
                    WSAEnumNetworkEvents(listener, events[0], ne);
                    SOCKET s = accept(listener);
                    if (s == INVALID_SOCKET) continue;   // WSAEWOULDBLOCK: another pass took it
                    // The accepted socket inherits the listener's WSAEventSelect; overlapped I/O wants none.
                    WSAEventSelect(s, WSA_INVALID_EVENT, 0);
                    var io = new PerIoData(s);
                    io.hEvent = WSACreateEvent();
                    events[total] = io.hEvent;
                    connections[total] = io;
                    total++;
                    accepted++;
                    stdout.WriteLine($"{Name}: accepted connection {accepted}");
                    int err = io.PostRecv(null);
                    if (err != 0) stdout.WriteLine($"WSARecv failed with error {err}");
                    continue;
                }

                var c = connections[i]!;
                WSAResetEvent(events[i]);
                int error = 0;
                bool open = WSAGetOverlappedResult(c.Socket, c, out uint bytes, false, out _)
                    ? c.Continue(bytes, null, out error)
                    : (error = WSAGetLastError()) == 0;
                if (open) continue;

                if (error != 0)
                {
                    stdout.WriteLine($"overlapped operation failed with error {error}");
                    failed = true;
                }
                closesocket(c.Socket);
                WSACloseEvent(events[i]);
                served++;
                echoed += c.BytesEchoed;
                stdout.WriteLine($"{Name}: connection closed after {c.BytesEchoed} bytes");
                total--;
                events[i] = events[total];
                connections[i] = connections[total];
                connections[total] = null;
                i--;
            }
        }

        for (int i = 1; i < total; i++)
        {
            closesocket(connections[i]!.Socket);
            WSACloseEvent(events[i]);
        }
        closesocket(listener);
        WSACloseEvent(events[0]);
        bool clientsOk = driver.Join(60_000);
        stdout.WriteLine($"{Name}: served {served} clients, echoed {echoed} bytes");
        WSACleanup();
        return !failed && clientsOk ? 0 : 1;
    }
}
