using System.Diagnostics;
using Winsock2.Bench.Suites;
using static Winsock2.Ws2_32;

namespace Winsock2.Bench.Ours;

/// <summary>
/// Our fan-out: a c_root/d_root SOCK_SEQPACKET socket; leaves (c_leaf/d_leaf) join with WSAJoinLeaf and the root
/// accepts them. The root sends one message per send() — same frame bytes as the baseline — and the provider does
/// the batching. Each leaf is a thread doing blocking recv (one message per call) and verifying every frame. Leaves
/// run in this process. shutdown(SD_SEND) on the root ends the session: leaves see WSAEDISCON after the last message.
/// </summary>
public sealed class RootedFanOut : IFanOutSubject
{
    private readonly List<SOCKET> _sockets = [];
    private readonly List<Leaf> _leaves = [];
    private SOCKET _root = INVALID_SOCKET;
    private int _size;

    public void Start(int leaves, int messageSize)
    {
        _size = messageSize;
        _root = Rooted.Root();
        _sockets.Add(_root);
        var addr = Rooted.ListenOnLoopback(_root, leaves);
        var handles = new List<SOCKET>();
        var acceptor = new Thread(() =>
        {
            for (int i = 0; i < leaves; i++)
            {
                var h = accept(_root);
                if (!h.IsValid) return;
                lock (handles) handles.Add(h);
            }
        }) { IsBackground = true, Name = "fanout-accept" };
        acceptor.Start();
        for (int i = 0; i < leaves; i++)
        {
            var leaf = Rooted.Leaf();
            _sockets.Add(leaf);
            Rooted.Ok(setsockopt(leaf, SOL_SOCKET, SO_RCVTIMEO, 30_000), "setsockopt(SO_RCVTIMEO)");
            Rooted.Valid(WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH), "WSAJoinLeaf");
            _leaves.Add(new Leaf(leaf, messageSize));
        }
        if (!acceptor.Join(10_000)) throw new InvalidOperationException("root did not accept every leaf");
        _sockets.AddRange(handles);
        foreach (var l in _leaves) l.Thread.Start();
    }

    public long SendLoop(long maxMessages, TimeSpan budget)
    {
        int frame = FanOutFrame.Length(_size);
        var buf = new byte[frame];
        long deadline = Stopwatch.GetTimestamp() + (long)(budget.TotalSeconds * Stopwatch.Frequency);
        long sent = 0;
        while (sent < maxMessages && ((sent & 63) != 0 || Stopwatch.GetTimestamp() < deadline))
        {
            FanOutFrame.Encode(buf, (ulong)sent, _size);
            if (send(_root, buf, frame, 0) != frame) throw Rooted.Failed("send(root)");
            sent++;
        }
        Rooted.Ok(shutdown(_root, SD_SEND), "shutdown(root)");
        return sent;
    }

    public IReadOnlyList<LeafReport> WaitReceivers(TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        return _leaves.Select(l => l.Thread.Join(TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64)))
            ? l.Report : new LeafReport(l.Verifier.Received, "leaf did not see the end of the session in time", 0)).ToList();
    }

    public void Dispose()
    {
        Rooted.Close(_sockets);
        foreach (var l in _leaves) l.Thread.Join(5_000);
    }

    private sealed class Leaf
    {
        private readonly SOCKET _s;
        private readonly int _frame;

        public Leaf(SOCKET s, int size)
        {
            _s = s;
            _frame = FanOutFrame.Length(size);
            Verifier = new FrameVerifier(size);
            Thread = new Thread(Run) { IsBackground = true, Name = "fanout-leaf" };
        }

        public FrameVerifier Verifier { get; }
        public Thread Thread { get; }
        public LeafReport Report { get; private set; }

        private void Run()
        {
            var buf = new byte[_frame + 1];
            string? error = null;
            while (true)
            {
                int n = recv(_s, buf, buf.Length, 0);
                if (n == SOCKET_ERROR)
                {
                    int e = WSAGetLastError();
                    if (e != WSAEDISCON) error = $"recv failed with {e} after {Verifier.Received} messages";
                    break;
                }
                if (n == 0) break; // a zero-length end, should the provider report one
                if (n != _frame) { error ??= $"message of {n} bytes, expected {_frame}"; continue; }
                Verifier.Feed(buf.AsSpan(0, n));
            }
            Verifier.End();
            Report = new LeafReport(Verifier.Received, Verifier.Error ?? error, Stopwatch.GetTimestamp());
        }
    }
}
