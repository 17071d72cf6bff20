using System.Diagnostics;
using System.Net.Sockets;
using Winsock2.Bench.Harness;
using Winsock2.Bench.Suites;

namespace Winsock2.Bench.Baselines;

/// <summary>
/// The fan-out baseline: what a careful .NET programmer writes by hand. Leaves connect to the root's listener
/// (leaf-initiated); the root encodes each batch of frames once into one contiguous buffer of about 64 KB and writes
/// it with one blocking Socket.Send per leaf per batch. Each leaf is a thread reading 256 KiB at a time and verifying
/// every frame. Leaves run in this process.
/// </summary>
public sealed class SocketFanOut : IFanOutSubject
{
    public const int BatchBytes = 64 * 1024;
    private const int LeafReadBytes = 256 * 1024;
    private readonly List<Socket> _roots = [];
    private readonly List<Leaf> _leaves = [];
    private int _size;

    public void Start(int leaves, int messageSize)
    {
        _size = messageSize;
        using var listener = Loopback.Listen(leaves);
        for (int i = 0; i < leaves; i++)
        {
            var leaf = Loopback.Tcp();
            leaf.ReceiveTimeout = 30_000;
            leaf.Connect(Loopback.EndPoint(listener));
            var root = listener.Accept();
            root.NoDelay = true;
            root.SendTimeout = 30_000;
            _roots.Add(root);
            _leaves.Add(new Leaf(leaf, messageSize));
        }
        foreach (var l in _leaves) l.Thread.Start();
    }

    public long SendLoop(long maxMessages, TimeSpan budget)
    {
        int frame = FanOutFrame.Length(_size);
        int perBatch = Math.Max(1, BatchBytes / frame);
        var batch = new byte[perBatch * frame];
        long deadline = Stopwatch.GetTimestamp() + (long)(budget.TotalSeconds * Stopwatch.Frequency);
        long sent = 0;
        while (sent < maxMessages && Stopwatch.GetTimestamp() < deadline)
        {
            int k = (int)Math.Min(perBatch, maxMessages - sent);
            for (int i = 0; i < k; i++) FanOutFrame.Encode(batch.AsSpan(i * frame, frame), (ulong)(sent + i), _size);
            foreach (var root in _roots) SendAll(root, batch, k * frame);
            sent += k;
        }
        foreach (var root in _roots) root.Shutdown(SocketShutdown.Send);
        return sent;
    }

    public IReadOnlyList<LeafReport> WaitReceivers(TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var reports = new List<LeafReport>();
        foreach (var l in _leaves)
        {
            bool done = l.Thread.Join(TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64)));
            reports.Add(done ? l.Report : new LeafReport(l.Verifier.Received, "leaf did not see the end of the stream in time", 0));
        }
        return reports;
    }

    public void Dispose()
    {
        foreach (var r in _roots) r.Dispose();
        foreach (var l in _leaves) l.Socket.Dispose();
        foreach (var l in _leaves) l.Thread.Join(5_000);
    }

    private static void SendAll(Socket s, byte[] buffer, int count)
    {
        for (int off = 0; off < count;) off += s.Send(buffer, off, count - off, SocketFlags.None);
    }

    private sealed class Leaf
    {
        public Leaf(Socket socket, int size)
        {
            Socket = socket;
            Verifier = new FrameVerifier(size);
            Thread = new Thread(Run) { IsBackground = true, Name = "fanout-leaf" };
        }

        public Socket Socket { get; }
        public FrameVerifier Verifier { get; }
        public Thread Thread { get; }
        public LeafReport Report { get; private set; }

        private void Run()
        {
            var buf = new byte[LeafReadBytes];
            string? error = null;
            try
            {
                int n;
                // After an error keep draining, so the root never blocks on a leaf that stopped reading.
                while ((n = Socket.Receive(buf)) > 0) Verifier.Feed(buf.AsSpan(0, n));
                Verifier.End();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { error = "leaf: " + e.Message; }
            Report = new LeafReport(Verifier.Received, Verifier.Error ?? error, Stopwatch.GetTimestamp());
        }
    }
}
