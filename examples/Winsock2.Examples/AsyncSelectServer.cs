using static Winsock2.Ws2_32;

namespace Winsock2.Examples;

/// <summary>
/// The WSAAsyncSelect model: network events arrive as window messages — wParam the socket, lParam the event in
/// the low word and its error in the high word — and a message loop hands them to the window procedure.
/// Arguments: [port (0 = ephemeral)] [clients (3)] [messages per client (3)].
/// </summary>
public static class AsyncSelectServer
{
    private const string Name = "async-select-server";
    private const uint WM_USER = 0x0400;
    private const uint WM_SOCKET = WM_USER + 1;

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
        HWND hwnd = CreateMessageWindow();
        if (WSAAsyncSelect(listener, hwnd, WM_SOCKET, FD_ACCEPT | FD_CLOSE) == SOCKET_ERROR)
        {
            stdout.WriteLine($"WSAAsyncSelect failed with error {WSAGetLastError()}");
            closesocket(listener);
            DestroyWindow(hwnd);
            WSACleanup();
            return 1;
        }

        var driver = EchoClient.Start(port, clients, messages, stdout);

        var server = new Window(stdout);
        while (server.Served < clients && !server.Failed)
        {
            if (!GetMessage(out MSG msg, hwnd, 30_000))
            {
                stdout.WriteLine("no message for 30 s");
                server.Failed = true;
                break;
            }
            server.WindowProc(msg.hwnd, msg.message, msg.wParam, msg.lParam);
        }

        foreach (var c in server.Connections.Values) closesocket(c.Socket);
        closesocket(listener);
        DestroyWindow(hwnd);
        bool clientsOk = driver.Join(60_000);
        stdout.WriteLine($"{Name}: served {server.Served} clients, echoed {server.Total} bytes");
        WSACleanup();
        return !server.Failed && clientsOk ? 0 : 1;
    }

    /// <summary>The window and what its procedure keeps between messages.</summary>
    private sealed class Window(TextWriter stdout)
    {
        public readonly Dictionary<SOCKET, EchoConnection> Connections = new();
        public int Served;
        public long Total;
        public bool Failed;

        public nint WindowProc(HWND hwnd, uint uMsg, nuint wParam, nint lParam)
        {
            if (uMsg != WM_SOCKET) return 0;
            SOCKET s = new(wParam);
            int error = WSAGETSELECTERROR(lParam);
            switch (WSAGETSELECTEVENT(lParam))
            {
                case FD_ACCEPT:
                    if (error != 0)
                    {
                        stdout.WriteLine($"FD_ACCEPT failed with error {error}");
                        break;
                    }
                    SOCKET accepted = accept(s);
                    if (accepted == INVALID_SOCKET)
                    {
                        if (WSAGetLastError() != WSAEWOULDBLOCK) stdout.WriteLine($"accept failed with error {WSAGetLastError()}");
                        break;
                    }
                    // The accepted socket would post the listener's events; it posts its own instead.
                    WSAAsyncSelect(accepted, hwnd, WM_SOCKET, FD_READ | FD_WRITE | FD_CLOSE);
                    Connections[accepted] = new EchoConnection(accepted);
                    stdout.WriteLine($"{Name}: accepted connection {Connections.Count + Served}");
                    break;

                case FD_READ:
                case FD_WRITE:
                    if (!Connections.TryGetValue(s, out var c)) break;     // a message queued before the close
                    if (error == 0) error = c.Pump();
                    if (error != 0) Close(c, error);
                    break;

                case FD_CLOSE:
                    if (!Connections.TryGetValue(s, out c)) break;
                    if (error == 0) error = c.Pump();   // whatever arrived before the FIN is still echoed
                    Close(c, error);
                    break;
            }
            return 0;
        }

        private void Close(EchoConnection c, int error)
        {
            if (error != 0)
            {
                stdout.WriteLine($"connection failed with error {error}");
                Failed = true;
            }
            closesocket(c.Socket);
            Connections.Remove(c.Socket);
            Served++;
            Total += c.BytesEchoed;
            stdout.WriteLine($"{Name}: connection closed after {c.BytesEchoed} bytes");
        }
    }
}
