using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using Winsock2.Bench.Suites;
using static Winsock2.Ws2_32;

namespace Winsock2.Bench.Ours;

/// <summary>
/// Our multicast: UDP sockets made with C_LEAF|D_LEAF. Receivers join with WSAJoinLeaf(JL_RECEIVER_ONLY) after
/// IP_MULTICAST_IF = 127.0.0.1, so the membership is on 127.0.0.1; the first one is bound by hand (SO_REUSEADDR,
/// 0.0.0.0:0) to get a port, the join binds the others to the group's port. The sender is bound to 127.0.0.1, has
/// IP_MULTICAST_IF = 127.0.0.1 and SIO_MULTICAST_SCOPE 1 (TTL 1), joins JL_SENDER_ONLY (no membership) and sends
/// with WSASend, which goes to the group. Each receiver is a thread doing blocking recv, judged as the baseline's.
/// </summary>
public sealed class WinsockMulticast : IMulticastSubject
{
    private readonly List<Receiver> _receivers = [];
    private SOCKET _sender = INVALID_SOCKET;

    public void Open(int receivers, IPAddress group)
    {
        int port = 0;
        for (int i = 0; i < receivers; i++)
        {
            var r = Pinned();
            _receivers.Add(new Receiver(r));
            Rooted.Ok(setsockopt(r, SOL_SOCKET, SO_RCVBUF, 4 * 1024 * 1024), "setsockopt(SO_RCVBUF)");
            Rooted.Ok(setsockopt(r, SOL_SOCKET, SO_RCVTIMEO, 200), "setsockopt(SO_RCVTIMEO)");
            if (port == 0) port = BindAnyPort(r);
            var name = SockAddr.From(new IPEndPoint(group, port));
            Rooted.Valid(WSAJoinLeaf(r, name, name.Length, null, null, null, null, JL_RECEIVER_ONLY), "WSAJoinLeaf(receiver)");
        }
        _sender = Pinned();
        var local = SockAddr.From(new IPEndPoint(IPAddress.Loopback, 0));
        Rooted.Ok(bind(_sender, local, local.Length), "bind(sender)");
        var ttl = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(ttl, 1);
        Rooted.Ok(WSAIoctl(_sender, SIO_MULTICAST_SCOPE, ttl, 4, null, 0, out _, null, null), "WSAIoctl(SIO_MULTICAST_SCOPE)");
        var to = SockAddr.From(new IPEndPoint(group, port));
        Rooted.Valid(WSAJoinLeaf(_sender, to, to.Length, null, null, null, null, JL_SENDER_ONLY), "WSAJoinLeaf(sender)");
        foreach (var r in _receivers) r.Thread.Start();
    }

    public void Send(long count, int size, bool paced)
    {
        var datagram = new byte[Math.Max(8, size)];
        WSABUF[] bufs = [new WSABUF(datagram, (uint)datagram.Length)];
        for (long i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(datagram, i);
            if (WSASend(_sender, bufs, 1, out uint sent, 0, null, null) != 0 || sent != datagram.Length) throw Rooted.Failed("WSASend");
            if (paced && i % 16 == 15) Thread.Sleep(1);
        }
    }

    public IReadOnlyList<LeafReport> WaitReceivers(long expected, TimeSpan timeout)
    {
        foreach (var r in _receivers) r.Expected = expected;
        foreach (var r in _receivers) r.SenderDone = true;
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        return _receivers.Select(r => r.Thread.Join(TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64)))
            ? r.Report : new LeafReport(r.Received, "receiver did not stop in time", 0)).ToList();
    }

    public void Dispose()
    {
        foreach (var r in _receivers) r.SenderDone = true;
        foreach (var r in _receivers) if (r.Thread.IsAlive) r.Thread.Join(2_000);
        Rooted.Close(_receivers.Select(r => r.Socket));
        if (_sender.IsValid) closesocket(_sender);
    }

    /// <summary>A C_LEAF|D_LEAF UDP socket whose multicast goes through, and joins on, 127.0.0.1.</summary>
    private static SOCKET Pinned()
    {
        var s = Rooted.Valid(WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, Rooted.LeafFlags), "WSASocket(AF_INET, SOCK_DGRAM)");
        Rooted.Ok(setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, [127, 0, 0, 1], 4), "setsockopt(IP_MULTICAST_IF)");
        return s;
    }

    /// <summary>SO_REUSEADDR and bind to 0.0.0.0:0, as the join would; returns the kernel's port.</summary>
    private static int BindAnyPort(SOCKET s)
    {
        Rooted.Ok(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, 1), "setsockopt(SO_REUSEADDR)");
        var any = SockAddr.From(new IPEndPoint(IPAddress.Any, 0));
        Rooted.Ok(bind(s, any, any.Length), "bind(receiver)");
        var name = new byte[SockAddr.SizeIn6];
        int len = name.Length;
        Rooted.Ok(getsockname(s, name, ref len), "getsockname");
        return SockAddr.ToEndPoint(name).Port;
    }

    /// <summary>A receiving thread: counts datagrams, fails on a duplicate or a reorder (a gap is loss, reported separately).</summary>
    private sealed class Receiver
    {
        public Receiver(SOCKET socket)
        {
            Socket = socket;
            Thread = new Thread(Run) { IsBackground = true, Name = "mcast-leaf" };
        }

        public SOCKET Socket { get; }
        public Thread Thread { get; }
        public volatile bool SenderDone;
        public long Expected = long.MaxValue;
        public long Received;
        public LeafReport Report { get; private set; }

        private void Run()
        {
            var buf = new byte[65536];
            long last = -1;
            string? error = null;
            while (Received < Volatile.Read(ref Expected))
            {
                int n = recv(Socket, buf, buf.Length, 0);
                if (n == SOCKET_ERROR)
                {
                    int e = WSAGetLastError();
                    if (e == WSAETIMEDOUT)
                    {
                        if (SenderDone) break; // quiet after the sender finished: the rest was lost
                        continue;
                    }
                    error = $"recv failed with {e} after {Received} datagrams";
                    break;
                }
                long seq = n >= 8 ? BinaryPrimitives.ReadInt64LittleEndian(buf) : -1;
                if (seq <= last) { error ??= $"datagram {seq} after {last}: duplicated or reordered"; }
                last = Math.Max(last, seq);
                Received++;
            }
            Report = new LeafReport(Received, error, Stopwatch.GetTimestamp());
        }
    }
}
