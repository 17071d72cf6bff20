using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Winsock2.Bench.Harness;
using Winsock2.Bench.Suites;

namespace Winsock2.Bench.Baselines;

/// <summary>
/// The fan-out baseline: what a careful .NET programmer writes by hand. Leaves connect to the root's listener
/// (leaf-initiated); the root encodes each batch of frames once into one contiguous buffer of about 64 KB and writes
/// it with one blocking Socket.Send per leaf per batch. Each leaf reads 256 KiB at a time and verifies every frame.
/// </summary>
public sealed class SocketFanOut : IFanOutSide
{
    public const int BatchBytes = 64 * 1024;
    private const int LeafReadBytes = 256 * 1024;

    public string Key => "raw";

    public IFanOutRoot CreateRoot() => new Root();

    public LeafReport RunLeaf(IPEndPoint root, int messageSize, Action ready)
    {
        var verifier = new FrameVerifier(messageSize);
        string? error = null;
        try
        {
            using var leaf = Loopback.Tcp();
            leaf.ReceiveTimeout = 30_000;
            leaf.Connect(root);
            ready();
            var buf = new byte[LeafReadBytes];
            int n;
            // After an error keep draining, so the root never blocks on a leaf that stopped checking.
            while ((n = leaf.Receive(buf)) > 0) verifier.Feed(buf.AsSpan(0, n));
            verifier.End();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { error = "leaf: " + e.Message; }
        return new LeafReport(verifier.Received, verifier.Error ?? error, Stopwatch.GetTimestamp());
    }

    private sealed class Root : IFanOutRoot
    {
        private readonly List<Socket> _roots = [];
        private Socket? _listener;
        private int _size;

        public IPEndPoint Open(int leaves, int messageSize)
        {
            _size = messageSize;
            _listener = Loopback.Listen(leaves);
            return Loopback.EndPoint(_listener);
        }

        public string? Admit(int leaves, Func<bool> leavesReady, TimeSpan timeout)
        {
            long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
            while (_roots.Count < leaves)
            {
                if (!_listener!.Poll(TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64)), SelectMode.SelectRead))
                    return $"{_roots.Count} of {leaves} leaves connected in time";
                var root = _listener.Accept();
                root.NoDelay = true;
                root.SendTimeout = 30_000;
                _roots.Add(root);
            }
            while (!leavesReady())
            {
                if (Environment.TickCount64 > deadline) return "leaves not ready in time";
                Thread.Sleep(1);
            }
            return null;
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

        public void Dispose()
        {
            _listener?.Dispose();
            foreach (var r in _roots) r.Dispose();
        }

        private static void SendAll(Socket s, byte[] buffer, int count)
        {
            for (int off = 0; off < count;) off += s.Send(buffer, off, count - off, SocketFlags.None);
        }
    }
}
