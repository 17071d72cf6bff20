using System.Globalization;
using System.Net;
using System.Net.Sockets;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Multicast;

/// <summary>
/// Helpers for the multicast tests. Network safety: every socket made here sends multicast through 127.0.0.1
/// (IP_MULTICAST_IF) and joins on 127.0.0.1, so nothing leaves through the machine's real interfaces; IPv6 tests
/// run in a private network namespace (<see cref="PrivateNetwork"/>).
/// </summary>
public abstract class MulticastTest : WinsockTest
{
    protected const uint LeafFlags = WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF;
    private static int _nextGroup = Environment.ProcessId % 200 * 256;

    /// <summary>A fresh administratively scoped group (239.255.0.0/16), distinct per test and per process.</summary>
    protected static IPAddress NewGroup()
    {
        int n = Interlocked.Increment(ref _nextGroup);
        return new IPAddress([239, 255, (byte)(n >> 8 & 0xFF), (byte)(1 + n % 250)]);
    }

    /// <summary>A UDP port free right now (the kernel's choice).</summary>
    protected static int FreePort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    protected static byte[] Addr(IPAddress a, int port) => SockAddr.From(new IPEndPoint(a, port));

    /// <summary>A UDP socket (multipoint leaf flags unless <paramref name="leaf"/> is false) pinned to 127.0.0.1 for multicast.</summary>
    protected static SOCKET Pinned(bool leaf = true)
    {
        var s = Check(WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, leaf ? LeafFlags : WSA_FLAG_OVERLAPPED));
        Ok(setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, [127, 0, 0, 1], 4), "IP_MULTICAST_IF");
        Ok(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, 5000), "SO_RCVTIMEO"); // a broken test fails instead of hanging
        return s;
    }

    /// <summary>A pinned leaf joined to group:port (JL_BOTH unless told).</summary>
    protected static SOCKET Member(IPAddress group, int port, uint flags = JL_BOTH)
    {
        var s = Pinned();
        var name = Addr(group, port);
        var r = WSAJoinLeaf(s, name, name.Length, null, null, null, null, flags);
        Assert.True(r.IsValid, $"WSAJoinLeaf failed with {WSAGetLastError()}");
        Assert.Equal(s, r);
        return s;
    }

    /// <summary>A plain UDP sender pinned to 127.0.0.1, bound to <paramref name="local"/> (any port) if given.</summary>
    protected static SOCKET Sender(IPAddress? local = null)
    {
        var s = Pinned(leaf: false);
        if (local is not null)
        {
            var a = Addr(local, 0);
            Ok(bind(s, a, a.Length), "bind");
        }
        return s;
    }

    protected static void SendTo(SOCKET s, string text, IPAddress group, int port)
    {
        var to = Addr(group, port);
        var data = Bytes(text);
        Assert.Equal(data.Length, sendto(s, data, data.Length, 0, to, to.Length));
    }

    /// <summary>Receives one datagram (bounded by SO_RCVTIMEO) and returns its text and sender.</summary>
    protected static (string Text, IPEndPoint From) Receive(SOCKET s)
    {
        var buf = new byte[2048];
        var from = new byte[28];
        int fromlen = from.Length;
        int n = recvfrom(s, buf, buf.Length, 0, from, ref fromlen);
        Assert.True(n >= 0, $"recvfrom failed with {WSAGetLastError()}");
        return (Text(buf, n), SockAddr.ToEndPoint(from));
    }

    /// <summary>The IPv4 groups joined on the loopback interface, from /proc/net/igmp.</summary>
    protected static HashSet<IPAddress> LoopbackGroups()
    {
        var set = new HashSet<IPAddress>();
        bool inLo = false;
        foreach (var line in File.ReadLines("/proc/net/igmp"))
        {
            if (line.Length > 0 && char.IsDigit(line[0])) { inLo = line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[1] == "lo"; continue; }
            if (!inLo) continue;
            var hex = line.Trim().Split(['\t', ' '])[0];
            if (hex.Length == 8 && uint.TryParse(hex, NumberStyles.HexNumber, null, out uint v))
                set.Add(new IPAddress(BitConverter.IsLittleEndian ? v : System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v)));
        }
        return set;
    }
}
