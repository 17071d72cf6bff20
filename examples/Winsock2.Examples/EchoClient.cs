using System.Text;
using static Winsock2.Ws2_32;

namespace Winsock2.Examples;

/// <summary>
/// The client that drives every echo server: a blocking TCP socket that sends each message, reads until the whole
/// echo is back, and compares it byte for byte. Its last message is large, so servers see partial reads and
/// (on nonblocking sockets) sends that would block.
/// </summary>
public static unsafe class EchoClient
{
    /// <summary>Size of each client's last message.</summary>
    public const int BigMessageSize = 32 * 1024;

    /// <summary>Message <paramref name="m"/> (1-based) of <paramref name="messages"/> that client <paramref name="id"/> sends.</summary>
    public static byte[] Message(int id, int m, int messages)
    {
        if (m < messages) return Encoding.ASCII.GetBytes($"client {id}, message {m} of {messages}");
        var big = new byte[BigMessageSize];
        for (int i = 0; i < big.Length; i++) big[i] = (byte)(i * 7 + id);
        return big;
    }

    /// <summary>
    /// Runs client <paramref name="id"/> against 127.0.0.1:<paramref name="port"/>; prints one line per message;
    /// true if every echo came back byte-exact.
    /// </summary>
    public static bool Run(int port, int id, int messages, TextWriter stdout)
    {
        if (WSAStartup(MAKEWORD(2, 2), out _) != 0)
        {
            stdout.WriteLine($"client {id}: WSAStartup failed with error {WSAGetLastError()}");
            return false;
        }
        bool ok = Talk(port, id, messages, stdout);
        WSACleanup();
        return ok;
    }

    private static bool Talk(int port, int id, int messages, TextWriter stdout)
    {
        SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        if (s == INVALID_SOCKET)
        {
            stdout.WriteLine($"client {id}: socket failed with error {WSAGetLastError()}");
            return false;
        }
        // A stuck server fails this client instead of hanging it.
        setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, 20_000);
        SOCKADDR_IN server = default;
        server.sin_family = AF_INET;
        server.sin_port = htons((ushort)port);
        server.sin_addr.s_addr = inet_addr("127.0.0.1");
        if (connect(s, ref server, sizeof(SOCKADDR_IN)) == SOCKET_ERROR)
        {
            stdout.WriteLine($"client {id}: connect failed with error {WSAGetLastError()}");
            closesocket(s);
            return false;
        }

        bool ok = true;
        for (int m = 1; m <= messages && ok; m++)
        {
            byte[] sent = Message(id, m, messages);
            if (send(s, sent, sent.Length, 0) != sent.Length)
            {
                stdout.WriteLine($"client {id}: send failed with error {WSAGetLastError()}");
                ok = false;
                break;
            }
            byte[] echo = new byte[sent.Length];
            int got = 0;
            while (got < echo.Length)
            {
                int n = recv(s, echo, got, echo.Length - got, 0);     // recv(s, echo + got, len - got, 0)
                if (n == SOCKET_ERROR || n == 0)
                {
                    stdout.WriteLine($"client {id}: recv returned {n} (error {WSAGetLastError()}) after {got} of {echo.Length} bytes");
                    ok = false;
                    break;
                }
                got += n;
            }
            if (!ok) break;
            if (!echo.AsSpan().SequenceEqual(sent))
            {
                stdout.WriteLine($"client {id}: message {m} came back different");
                ok = false;
            }
            else if (sent.Length < BigMessageSize)
                stdout.WriteLine($"client {id} got back \"{Encoding.ASCII.GetString(echo)}\"");
            else
                stdout.WriteLine($"client {id} got back {echo.Length} bytes, byte-exact");
        }
        closesocket(s);
        return ok;
    }

    /// <summary>Starts <paramref name="clients"/> clients, each on its own thread; <see cref="Clients.Join"/> waits for them.</summary>
    public static Clients Start(int port, int clients, int messages, TextWriter stdout)
    {
        var threads = new Thread[clients];
        var results = new bool[clients];
        for (int i = 0; i < clients; i++)
        {
            int id = i + 1;
            threads[i] = new Thread(() => results[id - 1] = Run(port, id, messages, stdout)) { IsBackground = true };
            threads[i].Start();
        }
        return new Clients(threads, results);
    }

    /// <summary>The running clients.</summary>
    public sealed class Clients(Thread[] threads, bool[] results)
    {
        /// <summary>Waits for every client; true if all of them finished and every echo was byte-exact.</summary>
        public bool Join(int timeoutMs)
        {
            long deadline = Environment.TickCount64 + timeoutMs;
            foreach (var t in threads)
                if (!t.Join((int)Math.Max(0, deadline - Environment.TickCount64))) return false;
            return results.All(r => r);
        }
    }
}
