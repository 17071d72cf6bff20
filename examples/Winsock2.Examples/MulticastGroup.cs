using System.Text;
using static Winsock2.Ws2_32;

namespace Winsock2.Examples;

/// <summary>
/// IP multicast through WSAJoinLeaf on the UDP provider (nonrooted control and data planes): receivers join the
/// group with JL_RECEIVER_ONLY, the sender with JL_SENDER_ONLY, and a plain send() goes to the group. Every
/// socket sends and joins through 127.0.0.1 (IP_MULTICAST_IF), so nothing leaves the machine; the group is an
/// administratively scoped one (239.255.0.0/16).
/// Arguments: [port (0 = a free one)] [messages (5)] [receivers (2)].
/// </summary>
public static unsafe class MulticastGroup
{
    private const string Name = "multicast";
    private const uint LeafFlags = WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF;

    /// <summary>Text of message <paramref name="m"/> of <paramref name="messages"/>.</summary>
    public static string Message(int m, int messages) => $"multicast message {m} of {messages}";

    /// <summary>Joins the receivers, sends the messages to the group, prints what each receiver got; 0 if all got all.</summary>
    public static int Main(string[] args, TextWriter stdout)
    {
        int port = Args.Int(args, 0, 0), messages = Args.Int(args, 1, 5), receivers = Args.Int(args, 2, 2);

        if (WSAStartup(MAKEWORD(2, 2), out _) != 0)
        {
            stdout.WriteLine($"WSAStartup failed with error {WSAGetLastError()}");
            return 1;
        }
        if (port == 0) port = FreeUdpPort();
        // A group of our own: 239.255.77.x, x from the process id (the port keeps runs apart too).
        string groupText = $"239.255.77.{1 + Environment.ProcessId % 250}";
        SOCKADDR_IN group = default;
        group.sin_family = AF_INET;
        group.sin_port = htons((ushort)port);
        group.sin_addr.s_addr = inet_addr(groupText);
        stdout.WriteLine($"{Name}: group {groupText}:{port}");

        var joined = new WSAEVENT[receivers];
        var threads = new Thread[receivers];
        var received = new int[receivers];
        for (int i = 0; i < receivers; i++)
        {
            int id = i + 1;
            joined[i] = WSACreateEvent();
            threads[i] = new Thread(() => received[id - 1] = Receiver(id, group, messages, joined[id - 1], stdout)) { IsBackground = true };
            threads[i].Start();
        }

        int rc = 1;
        // Send only once every receiver is a member: a datagram sent before a join is not delivered to it.
        if (WSAWaitForMultipleEvents((uint)receivers, joined, true, 10_000, false) != WSA_WAIT_EVENT_0)
            stdout.WriteLine("the receivers did not join within 10 s");
        else
            rc = Sender(group, messages, stdout);

        foreach (var t in threads) t.Join(30_000);
        foreach (var e in joined) WSACloseEvent(e);
        for (int i = 0; i < receivers; i++)
            stdout.WriteLine($"{Name}: receiver {i + 1} got {received[i]} of {messages} messages");
        WSACleanup();
        return rc == 0 && received.All(n => n == messages) ? 0 : 1;
    }

    /// <summary>A UDP socket pinned to the loopback interface for multicast, made as a multipoint leaf.</summary>
    private static SOCKET LoopbackLeaf(TextWriter stdout)
    {
        SOCKET s = WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, LeafFlags);
        if (s == INVALID_SOCKET)
        {
            stdout.WriteLine($"WSASocket failed with error {WSAGetLastError()}");
            return INVALID_SOCKET;
        }
        uint iface = inet_addr("127.0.0.1");
        if (setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, BitConverter.GetBytes(iface), sizeof(uint)) == SOCKET_ERROR)
        {
            stdout.WriteLine($"setsockopt(IP_MULTICAST_IF) failed with error {WSAGetLastError()}");
            closesocket(s);
            return INVALID_SOCKET;
        }
        return s;
    }

    private static int Sender(SOCKADDR_IN group, int messages, TextWriter stdout)
    {
        SOCKET s = LoopbackLeaf(stdout);
        if (s == INVALID_SOCKET) return 1;
        if (WSAJoinLeaf(s, ref group, sizeof(SOCKADDR_IN), null, null, null, null, JL_SENDER_ONLY) == INVALID_SOCKET)
        {
            stdout.WriteLine($"sender: WSAJoinLeaf failed with error {WSAGetLastError()}");
            closesocket(s);
            return 1;
        }
        for (int m = 1; m <= messages; m++)
        {
            byte[] data = Encoding.ASCII.GetBytes(Message(m, messages));
            // Joined: the group is the socket's destination, as after connect.
            if (send(s, data, data.Length, 0) == SOCKET_ERROR)
            {
                stdout.WriteLine($"send failed with error {WSAGetLastError()}");
                closesocket(s);
                return 1;
            }
        }
        stdout.WriteLine($"{Name}: sender sent {messages} messages to the group");
        closesocket(s);
        return 0;
    }

    private static int Receiver(int id, SOCKADDR_IN group, int messages, WSAEVENT joined, TextWriter stdout)
    {
        if (WSAStartup(MAKEWORD(2, 2), out _) != 0) return 0;
        int got = 0;
        SOCKET s = LoopbackLeaf(stdout);
        if (s != INVALID_SOCKET)
        {
            setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, 10_000);   // a lost datagram fails the run instead of hanging it
            // Unbound: the join binds the socket to the group's port (with SO_REUSEADDR, so members share it).
            if (WSAJoinLeaf(s, ref group, sizeof(SOCKADDR_IN), null, null, null, null, JL_RECEIVER_ONLY) == INVALID_SOCKET)
                stdout.WriteLine($"receiver {id}: WSAJoinLeaf failed with error {WSAGetLastError()}");
            else
            {
                WSASetEvent(joined);
                byte[] buf = new byte[1500];
                SOCKADDR_IN from = default;
                while (got < messages)
                {
                    int fromlen = sizeof(SOCKADDR_IN);
                    int n = recvfrom(s, buf, buf.Length, 0, ref from, ref fromlen);
                    if (n == SOCKET_ERROR)
                    {
                        stdout.WriteLine($"receiver {id}: recvfrom failed with error {WSAGetLastError()}");
                        break;
                    }
                    got++;
                    stdout.WriteLine($"receiver {id} got \"{Encoding.ASCII.GetString(buf, 0, n)}\" from {inet_ntoa(from.sin_addr)}");
                }
            }
            closesocket(s);                                       // leaves the group
        }
        WSACleanup();
        return got;
    }

    /// <summary>A UDP port nobody uses now: bind to port 0 and ask which one the system gave.</summary>
    private static int FreeUdpPort()
    {
        SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        SOCKADDR_IN local = default;
        local.sin_family = AF_INET;
        local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);          // port 0: the system picks
        bind(s, ref local, sizeof(SOCKADDR_IN));
        int namelen = sizeof(SOCKADDR_IN);
        getsockname(s, ref local, ref namelen);
        closesocket(s);
        return ntohs(local.sin_port);
    }
}
