using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Winsock2.Bench.Harness;
using Winsock2.Bench.Suites;

namespace Winsock2.Bench.Baselines;

/// <summary>
/// The multicast baseline on System.Net.Sockets. Never leaves loopback: the sender is bound to 127.0.0.1 with
/// IP_MULTICAST_IF = 127.0.0.1 and TTL 1; receivers join on interface 127.0.0.1 and bind to the group address.
/// </summary>
public sealed class SocketMulticast : IMulticastSubject
{
    private readonly List<Receiver> _receivers = [];
    private Socket? _sender;
    private IPEndPoint _group = new(IPAddress.Any, 0);

    public void Open(int receivers, IPAddress group)
    {
        int port = 0;
        for (int i = 0; i < receivers; i++)
        {
            var r = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            r.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            r.ReceiveBufferSize = 4 * 1024 * 1024;
            r.Bind(new IPEndPoint(group, port));
            port = ((IPEndPoint)r.LocalEndPoint!).Port;
            r.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(group, IPAddress.Loopback));
            r.ReceiveTimeout = 200;
            _receivers.Add(new Receiver(r));
        }
        _group = new IPEndPoint(group, port);
        _sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _sender.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _sender.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, IPAddress.Loopback.GetAddressBytes());
        _sender.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 1);
        _sender.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
        foreach (var r in _receivers) r.Thread.Start();
    }

    public void Send(long count, int size, bool paced)
    {
        var datagram = new byte[Math.Max(8, size)];
        for (long i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(datagram, i);
            _sender!.SendTo(datagram, _group);
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
        foreach (var r in _receivers) r.Thread.Join(2_000);
        foreach (var r in _receivers) r.Socket.Dispose();
        _sender?.Dispose();
    }

    /// <summary>A receiving thread: counts datagrams, fails on a duplicate or a reorder (a gap is loss, reported separately).</summary>
    private sealed class Receiver
    {
        public Receiver(Socket socket)
        {
            Socket = socket;
            Thread = new Thread(Run) { IsBackground = true, Name = "mcast-receiver" };
        }

        public Socket Socket { get; }
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
                int n;
                try { n = Socket.Receive(buf); }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
                {
                    if (SenderDone) break; // quiet after the sender finished: the rest was lost
                    continue;
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException) { error = e.Message; break; }
                long seq = n >= 8 ? BinaryPrimitives.ReadInt64LittleEndian(buf) : -1;
                if (seq <= last) { error ??= $"datagram {seq} after {last}: duplicated or reordered"; }
                last = Math.Max(last, seq);
                Received++;
            }
            Report = new LeafReport(Received, error, System.Diagnostics.Stopwatch.GetTimestamp());
        }
    }
}
