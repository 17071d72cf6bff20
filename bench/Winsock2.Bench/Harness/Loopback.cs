using System.Net;
using System.Net.Sockets;

namespace Winsock2.Bench.Harness;

/// <summary>Loopback-only socket helpers for baselines and feeders (127.0.0.1, never another interface).</summary>
public static class Loopback
{
    public static Socket Listen(int backlog = 1024)
    {
        var l = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        l.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        l.Listen(backlog);
        return l;
    }

    public static IPEndPoint EndPoint(Socket s) => (IPEndPoint)s.LocalEndPoint!;

    public static Socket Tcp()
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        return s;
    }

    /// <summary>Closes with linger 0 (RST) so thousands of short connections leave no TIME_WAIT behind.</summary>
    public static void Abort(Socket s)
    {
        try { s.LingerState = new LingerOption(true, 0); } catch (SocketException) { }
        s.Dispose();
    }

    /// <summary>Receives exactly buffer.Length bytes; false on end of stream.</summary>
    public static bool ReceiveExactly(Socket s, Span<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            int n = s.Receive(buffer);
            if (n == 0) return false;
            buffer = buffer[n..];
        }
        return true;
    }
}
