using static Winsock2.Ws2_32;

namespace Winsock2.Examples;

/// <summary>The opening lines every echo server shares: socket, bind to 127.0.0.1, listen, and the port it got.</summary>
internal static unsafe class Listener
{
    /// <summary>A listening TCP socket on 127.0.0.1:<paramref name="port"/> (0 = ephemeral), or INVALID_SOCKET; prints why.</summary>
    public static SOCKET Open(string program, int port, TextWriter stdout, out int boundPort)
    {
        boundPort = 0;
        SOCKET listener = WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, WSA_FLAG_OVERLAPPED);
        if (listener == INVALID_SOCKET)
        {
            stdout.WriteLine($"{program}: WSASocket failed with error {WSAGetLastError()}");
            return INVALID_SOCKET;
        }
        SOCKADDR_IN local = default;
        local.sin_family = AF_INET;
        local.sin_port = htons((ushort)port);
        local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(listener, ref local, sizeof(SOCKADDR_IN)) == SOCKET_ERROR || listen(listener, SOMAXCONN) == SOCKET_ERROR)
        {
            stdout.WriteLine($"{program}: bind/listen failed with error {WSAGetLastError()}");
            closesocket(listener);
            return INVALID_SOCKET;
        }
        SOCKADDR_IN name = default;
        int namelen = sizeof(SOCKADDR_IN);
        getsockname(listener, ref name, ref namelen);
        boundPort = ntohs(name.sin_port);
        stdout.WriteLine($"{program}: listening on 127.0.0.1:{boundPort}");
        return listener;
    }
}
