using static Winsock2.Ws2_32;

namespace Winsock2.Examples;

/// <summary>
/// The WSAEventSelect model: an event object per socket, kept in an array beside the sockets;
/// WSAWaitForMultipleEvents names the lowest signalled one, WSAEnumNetworkEvents says what happened (and resets
/// the event). After each wait the sockets after the named one are polled too, so none of them waits behind it.
/// Arguments: [port (0 = ephemeral)] [clients (3)] [messages per client (3)].
/// </summary>
public static class EventSelectServer
{
    private const string Name = "event-select-server";

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

        var sockets = new SOCKET[WSA_MAXIMUM_WAIT_EVENTS];
        var events = new WSAEVENT[WSA_MAXIMUM_WAIT_EVENTS];
        var connections = new EchoConnection?[WSA_MAXIMUM_WAIT_EVENTS];
        int total = 0;
        sockets[total] = listener;
        events[total] = WSACreateEvent();
        if (WSAEventSelect(listener, events[total], FD_ACCEPT | FD_CLOSE) == SOCKET_ERROR)
        {
            stdout.WriteLine($"WSAEventSelect failed with error {WSAGetLastError()}");
            return Cleanup(1);
        }
        total++;

        var driver = EchoClient.Start(port, clients, messages, stdout);

        int served = 0;
        long echoed = 0;
        bool failed = false;
        var ne = new WSANETWORKEVENTS();
        while (served < clients && !failed)
        {
            uint rc = WSAWaitForMultipleEvents((uint)total, events, false, 30_000, false);
            if (rc == WSA_WAIT_FAILED || rc == WSA_WAIT_TIMEOUT)
            {
                stdout.WriteLine(rc == WSA_WAIT_TIMEOUT ? "no event for 30 s" : $"WSAWaitForMultipleEvents failed with error {WSAGetLastError()}");
                failed = true;
                break;
            }
            int first = (int)(rc - WSA_WAIT_EVENT_0);
            for (int i = first; i < total; i++)
            {
                if (i > first && WSAWaitForMultipleEvents(1, [events[i]], false, 0, false) != WSA_WAIT_EVENT_0) continue;
                if (WSAEnumNetworkEvents(sockets[i], events[i], ne) == SOCKET_ERROR)
                {
                    stdout.WriteLine($"WSAEnumNetworkEvents failed with error {WSAGetLastError()}");
                    failed = true;
                    break;
                }

                if ((ne.lNetworkEvents & FD_ACCEPT) != 0)
                {
                    if (ne.iErrorCode[FD_ACCEPT_BIT] != 0)
                    {
                        stdout.WriteLine($"FD_ACCEPT failed with error {ne.iErrorCode[FD_ACCEPT_BIT]}");
                        continue;
                    }
                    SOCKET accepted = accept(listener);
                    if (accepted == INVALID_SOCKET)
                    {
                        if (WSAGetLastError() != WSAEWOULDBLOCK) stdout.WriteLine($"accept failed with error {WSAGetLastError()}");
                        continue;
                    }
                    if (total == WSA_MAXIMUM_WAIT_EVENTS)
                    {
                        stdout.WriteLine("too many connections");
                        closesocket(accepted);
                        continue;
                    }
                    // The accepted socket shares the listener's event and events; it gets its own.
                    sockets[total] = accepted;
                    events[total] = WSACreateEvent();
                    connections[total] = new EchoConnection(accepted);
                    WSAEventSelect(accepted, events[total], FD_READ | FD_WRITE | FD_CLOSE);
                    total++;
                    stdout.WriteLine($"{Name}: accepted connection {total - 1 + served}");
                    continue;
                }

                var c = connections[i];
                if (c is null) continue;
                int error = 0;
                if ((ne.lNetworkEvents & FD_READ) != 0 && ne.iErrorCode[FD_READ_BIT] != 0) error = ne.iErrorCode[FD_READ_BIT];
                if ((ne.lNetworkEvents & FD_CLOSE) != 0 && ne.iErrorCode[FD_CLOSE_BIT] != 0) error = ne.iErrorCode[FD_CLOSE_BIT];
                if (error == 0 && (ne.lNetworkEvents & (FD_READ | FD_WRITE | FD_CLOSE)) != 0) error = c.Pump();
                if (error == 0 && (ne.lNetworkEvents & FD_CLOSE) == 0) continue;

                if (error != 0)
                {
                    stdout.WriteLine($"connection failed with error {error}");
                    failed = true;
                }
                closesocket(c.Socket);
                WSACloseEvent(events[i]);
                served++;
                echoed += c.BytesEchoed;
                stdout.WriteLine($"{Name}: connection closed after {c.BytesEchoed} bytes");
                // Compact the arrays: the last entry takes this place and is looked at next.
                total--;
                sockets[i] = sockets[total];
                events[i] = events[total];
                connections[i] = connections[total];
                connections[total] = null;
                i--;
            }
        }

        bool clientsOk = driver.Join(60_000);
        stdout.WriteLine($"{Name}: served {served} clients, echoed {echoed} bytes");
        return Cleanup(!failed && clientsOk ? 0 : 1);

        int Cleanup(int exitCode)
        {
            for (int i = 0; i < total; i++)
            {
                closesocket(sockets[i]);
                WSACloseEvent(events[i]);
            }
            if (total == 0)
            {
                closesocket(listener);
                WSACloseEvent(events[0]);
            }
            WSACleanup();
            return exitCode;
        }
    }
}
