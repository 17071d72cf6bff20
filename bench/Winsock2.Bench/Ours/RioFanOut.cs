using System.Diagnostics;
using System.Net;
using Winsock2.Bench.Suites;
using static Winsock2.Ws2_32;

namespace Winsock2.Bench.Ours;

/// <summary>
/// Our fan-out through Registered I/O, on the same rooted sockets (created with WSA_FLAG_REGISTERED_IO). The root
/// encodes each message into a free slot of a registered buffer, posts it with RIOSend(RIO_MSG_DEFER) and commits
/// once per ~64 KB batch (RIOSend with RIO_MSG_COMMIT_ONLY), recycling slots as the send completion queue returns
/// them (at most 4,096 slots within 1 MiB). Each leaf posts one RIOReceive per slot of its registered buffer (up to
/// 16,384 slots within 2 MiB: 31 for 64 KiB messages; the buffers stay small enough to be mostly in cache, as an
/// application's ring would be, and small messages get enough receives posted that the reader rarely runs out),
/// dequeues completions up to 1,024 at a time, verifies every frame and reposts the slots it read (deferred, one commit
/// per dequeue). Empty queues are waited on through RIONotify and an event, never spun on.
/// </summary>
public sealed class RioFanOut : IFanOutSide
{
    private const int DequeueBatch = 1024;
    private const uint IdleTimeoutMs = 30_000;

    public string Key => "rio";

    public IFanOutRoot CreateRoot() => new Root();

    /// <summary>Slots of a registered buffer for frames of <paramref name="frame"/> bytes: up to <paramref name="most"/>, within <paramref name="bytes"/>.</summary>
    private static int Slots(int frame, int most, int bytes) => Math.Clamp(bytes / frame, 16, most);

    /// <summary>
    /// The request queue's outstanding limit for <paramref name="slots"/> requests the side keeps posted: exactly that (a
    /// dequeued request's place is free at once, so its slot can be reposted right away).
    /// </summary>
    private static uint Limit(int slots) => (uint)slots;

    /// <summary>
    /// The completion queue: the request queue's limit (the other direction's is 0: a leaf never sends through RIO, the
    /// root never receives, so the one posting direction may reserve its completion entries a batch at a time).
    /// </summary>
    private static uint CqSize(int slots) => Limit(slots);

    public LeafReport RunLeaf(IPEndPoint root, int messageSize, Action ready)
    {
        var verifier = new FrameVerifier(messageSize);
        int frame = FanOutFrame.Length(messageSize);
        string? error = null;
        var s = INVALID_SOCKET;
        var ev = WSACreateEvent();
        RIO_EXTENSION_FUNCTION_TABLE? t = null;
        RIO_CQ? cq = null;
        RIO_BUFFERID? id = null;
        try
        {
            s = RootedFanOutRoot.JoinLeaf(root, Rooted.LeafFlags | WSA_FLAG_REGISTERED_IO);
            t = Rio.Table(s);
            int slots = Slots(frame, 16384, 2 << 20);
            var buffer = new byte[slots * frame];
            id = t.RIORegisterBuffer!(buffer, (uint)buffer.Length) ?? throw Rooted.Failed("RIORegisterBuffer");
            cq = Rio.CompletionQueue(t, CqSize(slots), ev);
            var rq = t.RIOCreateRequestQueue!(s, Limit(slots), 1, 0, 1, cq, cq, 0) ?? throw Rooted.Failed("RIOCreateRequestQueue");
            for (int i = 0; i < slots; i++) Post(t, rq, id, i, frame, RIO_MSG_DEFER);
            Commit(t, rq);
            ready();
            var results = new RIORESULT[DequeueBatch];
            bool ended = false;
            while (!ended)
            {
                int n = Rio.Dequeue(t, cq, ev, results, IdleTimeoutMs);
                if (n == 0) throw new InvalidOperationException($"no completion for {IdleTimeoutMs / 1000} s after {verifier.Received} messages");
                for (int i = 0; i < n && !ended; i++)
                {
                    ref readonly var r = ref results[i];
                    if (r.Status == WSAEDISCON || (r.Status == 0 && r.BytesTransferred == 0)) { ended = true; break; }
                    if (r.Status != 0) throw new InvalidOperationException($"a receive completed with {r.Status} after {verifier.Received} messages");
                    int slot = (int)r.RequestContext;
                    if (r.BytesTransferred != frame) error ??= $"message of {r.BytesTransferred} bytes, expected {frame}";
                    else verifier.Feed(buffer.AsSpan(slot * frame, frame));
                    Post(t, rq, id, slot, frame, RIO_MSG_DEFER);
                }
                if (!ended) Commit(t, rq);
            }
            verifier.End();
        }
        catch (InvalidOperationException e) { error ??= e.Message; }
        finally
        {
            if (s.IsValid) closesocket(s); // aborts the receives still posted
            if (cq is not null) t!.RIOCloseCompletionQueue!(cq);
            if (id is not null) t!.RIODeregisterBuffer!(id);
            WSACloseEvent(ev);
        }
        return new LeafReport(verifier.Received, verifier.Error ?? error, Stopwatch.GetTimestamp());
    }

    private static void Post(RIO_EXTENSION_FUNCTION_TABLE t, RIO_RQ rq, RIO_BUFFERID id, int slot, int frame, uint flags)
    {
        var buf = new RIO_BUF(id, (uint)(slot * frame), (uint)frame);
        if (!t.RIOReceive!(rq, in buf, 1, flags, slot)) throw Rooted.Failed("RIOReceive");
    }

    private static void Commit(RIO_EXTENSION_FUNCTION_TABLE t, RIO_RQ rq)
    {
        RIO_BUF none = default;
        if (!t.RIOReceive!(rq, in none, 0, RIO_MSG_COMMIT_ONLY, 0)) throw Rooted.Failed("RIOReceive(RIO_MSG_COMMIT_ONLY)");
    }

    /// <summary>The root: a rooted root socket with a request queue; sends from registered slots, deferred and committed per batch.</summary>
    private sealed class Root() : RootedFanOutRoot(registeredIo: true)
    {
        private readonly WSAEVENT _event = WSACreateEvent();
        private RIO_EXTENSION_FUNCTION_TABLE? _t;
        private RIO_CQ? _cq;
        private RIO_BUFFERID? _id;

        private RIO_RQ? _rq;
        private byte[] _buffer = [];
        private int _slots;

        /// <summary>After the leaves joined (untimed): the table, the registered send slots, the completion and request queues.</summary>
        public override string? Admit(int leaves, Func<bool> leavesReady, TimeSpan timeout)
        {
            if (base.Admit(leaves, leavesReady, timeout) is { } why) return why;
            int frame = FanOutFrame.Length(MessageSize);
            _slots = Slots(frame, 4096, 1 << 20);
            var t = _t = Rio.Table(RootSocket);
            _buffer = new byte[_slots * frame];
            _id = t.RIORegisterBuffer!(_buffer, (uint)_buffer.Length) ?? throw Rooted.Failed("RIORegisterBuffer");
            _cq = Rio.CompletionQueue(t, CqSize(_slots), _event);
            _rq = t.RIOCreateRequestQueue!(RootSocket, 0, 1, Limit(_slots), 1, _cq, _cq, 0) ?? throw Rooted.Failed("RIOCreateRequestQueue");
            return null;
        }

        public override long SendLoop(long maxMessages, TimeSpan budget)
        {
            int frame = FanOutFrame.Length(MessageSize);
            int slots = _slots;
            int batch = Math.Clamp(64 * 1024 / frame, 1, slots / 2);
            var (t, id, cq, rq, buffer) = (_t!, _id!, _cq!, _rq!, _buffer);
            var free = new Stack<int>(Enumerable.Range(0, slots).Reverse());
            var results = new RIORESULT[slots]; // one dequeue can return every slot
            long deadline = Stopwatch.GetTimestamp() + (long)(budget.TotalSeconds * Stopwatch.Frequency);
            long sent = 0;
            int deferred = 0;
            while (sent < maxMessages && ((sent % batch) != 0 || Stopwatch.GetTimestamp() < deadline))
            {
                if (free.Count == 0)
                {
                    if (deferred > 0) { Commit(t, rq); deferred = 0; }
                    Reap(t, cq, results, free, frame, wait: true);
                }
                int slot = free.Pop();
                FanOutFrame.Encode(buffer.AsSpan(slot * frame, frame), (ulong)sent, MessageSize);
                var buf = new RIO_BUF(id, (uint)(slot * frame), (uint)frame);
                if (!t.RIOSend!(rq, in buf, 1, RIO_MSG_DEFER, slot)) throw Rooted.Failed("RIOSend(RIO_MSG_DEFER)");
                sent++;
                if (++deferred == batch)
                {
                    Commit(t, rq);
                    deferred = 0;
                    Reap(t, cq, results, free, frame, wait: false);
                }
            }
            if (deferred > 0) Commit(t, rq);
            while (free.Count < slots) Reap(t, cq, results, free, frame, wait: true);
            Rooted.Ok(shutdown(RootSocket, SD_SEND), "shutdown(root)");
            return sent;
        }

        private static void Commit(RIO_EXTENSION_FUNCTION_TABLE t, RIO_RQ rq)
        {
            RIO_BUF none = default;
            if (!t.RIOSend!(rq, in none, 0, RIO_MSG_COMMIT_ONLY, 0)) throw Rooted.Failed("RIOSend(RIO_MSG_COMMIT_ONLY)");
        }

        /// <summary>Returns completed sends' slots to <paramref name="free"/>; with <paramref name="wait"/>, waits (bounded) for at least one.</summary>
        private void Reap(RIO_EXTENSION_FUNCTION_TABLE t, RIO_CQ cq, RIORESULT[] results, Stack<int> free, int frame, bool wait)
        {
            int n;
            if (wait)
            {
                n = Rio.Dequeue(t, cq, _event, results, IdleTimeoutMs);
                if (n == 0) throw new InvalidOperationException($"no send completed for {IdleTimeoutMs / 1000} s");
            }
            else
            {
                uint got = t.RIODequeueCompletion!(cq, results, (uint)results.Length);
                if (got == RIO_CORRUPT_CQ) throw new InvalidOperationException("RIODequeueCompletion returned RIO_CORRUPT_CQ");
                n = (int)got;
            }
            for (int i = 0; i < n; i++)
            {
                if (results[i].Status != 0) throw new InvalidOperationException($"a send completed with {results[i].Status}");
                if (results[i].BytesTransferred != frame) throw new InvalidOperationException($"a send completed with {results[i].BytesTransferred} of {frame} bytes");
                free.Push((int)results[i].RequestContext);
            }
        }

        public override void Dispose()
        {
            base.Dispose(); // closing the socket aborts what is still posted
            if (_cq is not null) _t!.RIOCloseCompletionQueue!(_cq);
            if (_id is not null) _t!.RIODeregisterBuffer!(_id);
            WSACloseEvent(_event);
        }
    }
}
