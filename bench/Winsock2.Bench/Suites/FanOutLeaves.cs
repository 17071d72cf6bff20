using System.Diagnostics;
using System.Globalization;
using System.Net;
using Winsock2.Bench.Harness;

namespace Winsock2.Bench.Suites;

/// <summary>
/// Where a fan-out run's leaves live: on threads of the measuring process (<see cref="InProcess"/>) or one child
/// process per leaf (<see cref="Children"/>, the realistic deployment). Either way each leaf runs
/// <see cref="IFanOutSide.RunLeaf"/> and reports back.
/// </summary>
public abstract class FanOutLeaves : IDisposable
{
    /// <summary>The child-process role: `--child fanout-leaf HOST:PORT COUNT SIDE SIZE`.</summary>
    public const string ChildRole = "fanout-leaf";

    private int _ready, _endedUnready;

    /// <summary>True once every leaf said it is ready.</summary>
    public bool AllReady(int leaves) => Volatile.Read(ref _ready) >= leaves;

    /// <summary>True once every leaf is ready or ended without becoming ready (failed): nothing more to wait for.</summary>
    public bool Settled(int leaves) => Volatile.Read(ref _ready) + Volatile.Read(ref _endedUnready) >= leaves;

    /// <summary>CPU the leaves used outside this process during the run (child processes); zero in process.</summary>
    public abstract TimeSpan ExternalCpu { get; }

    protected void Ready() => Interlocked.Increment(ref _ready);

    protected void EndedUnready() => Interlocked.Increment(ref _endedUnready);

    /// <summary>Starts <paramref name="count"/> leaves of <paramref name="side"/> joining <paramref name="root"/>.</summary>
    public abstract void Start(IFanOutSide side, IPEndPoint root, int count, int messageSize);

    /// <summary>Waits (bounded) for every leaf's report; a leaf that did not report in time reports that as its error.</summary>
    public abstract IReadOnlyList<LeafReport> Wait(TimeSpan timeout);

    public abstract void Dispose();

    /// <summary>Leaves on threads of this process.</summary>
    public sealed class InProcess : FanOutLeaves
    {
        private readonly List<(Thread Thread, LeafReport[] Report)> _leaves = [];

        public override TimeSpan ExternalCpu => TimeSpan.Zero;

        public override void Start(IFanOutSide side, IPEndPoint root, int count, int messageSize)
        {
            for (int i = 0; i < count; i++)
            {
                var report = new LeafReport[1];
                var t = new Thread(() =>
                {
                    bool ready = false;
                    report[0] = Guarded(side, root, messageSize, () => { ready = true; Ready(); });
                    if (!ready) EndedUnready();
                }) { IsBackground = true, Name = "fanout-leaf" };
                _leaves.Add((t, report));
                t.Start();
            }
        }

        public override IReadOnlyList<LeafReport> Wait(TimeSpan timeout)
        {
            long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
            return _leaves.Select(l => l.Thread.Join(TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64)))
                ? l.Report[0] : new LeafReport(0, "leaf did not see the end of the stream in time", 0)).ToList();
        }

        /// <summary>
        /// The root is disposed first (its sockets closed), so a leaf still running ends soon or within its idle timeout;
        /// this waits at most 5 s in all (the threads are background threads).
        /// </summary>
        public override void Dispose()
        {
            long deadline = Environment.TickCount64 + 5_000;
            foreach (var l in _leaves) l.Thread.Join(TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64)));
        }
    }

    /// <summary>
    /// One child process per leaf (the bench run with --child). A child prints "ready" once its leaf is ready, then
    /// "leaf RECEIVED LOST FINISHED CPU ERROR" at the end of the stream (CPU: its processor seconds since ready), and
    /// exits. A child that does not report in time is killed (ChildProcess.Dispose).
    /// </summary>
    public sealed class Children : FanOutLeaves
    {
        private readonly List<ChildProcess> _children = [];
        private readonly List<Thread> _readers = [];
        private readonly List<LeafReport?> _reports = [];
        private readonly Lock _gate = new();
        private double _cpu;

        public override TimeSpan ExternalCpu { get { lock (_gate) return TimeSpan.FromSeconds(_cpu); } }

        public override void Start(IFanOutSide side, IPEndPoint root, int count, int messageSize)
        {
            for (int i = 0; i < count; i++)
            {
                var child = ChildProcess.Start(ChildRole, root, 1, side.Key, messageSize.ToString(CultureInfo.InvariantCulture));
                _children.Add(child);
                int index = _reports.Count;
                _reports.Add(null);
                var reader = new Thread(() => Read(child, index)) { IsBackground = true, Name = "fanout-child-reader" };
                _readers.Add(reader);
                reader.Start();
            }
        }

        private void Read(ChildProcess child, int index)
        {
            var line = child.ReadLine(TimeSpan.FromSeconds(60));
            if (line == "ready")
            {
                Ready();
                line = child.ReadLine(TimeSpan.FromSeconds(120));
            }
            else EndedUnready();
            var report = Parse(line, out double cpu) ?? new LeafReport(0, $"leaf process reported '{line}'", 0);
            lock (_gate)
            {
                _reports[index] = report;
                _cpu += cpu;
            }
        }

        public override IReadOnlyList<LeafReport> Wait(TimeSpan timeout)
        {
            long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
            foreach (var r in _readers) r.Join(TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64)));
            lock (_gate) return _reports.Select(r => r ?? new LeafReport(0, "leaf process did not report the end of the stream in time", 0)).ToList();
        }

        /// <summary>Every child at once: stdin closed, up to 10 s to exit, then killed.</summary>
        public override void Dispose()
        {
            Parallel.ForEach(_children, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _children.Count) }, c => c.Dispose());
            foreach (var r in _readers) r.Join(5_000);
        }

        /// <summary>The child's closing line, as <see cref="RunChild"/> writes it.</summary>
        private static LeafReport? Parse(string? line, out double cpu)
        {
            cpu = 0;
            var parts = line?.Split(' ', 6);
            if (parts is not ["leaf", var received, var lost, var finished, var seconds, var error]) return null;
            var inv = CultureInfo.InvariantCulture;
            cpu = double.Parse(seconds, inv);
            return new LeafReport(long.Parse(received, inv), error == "-" ? null : error, long.Parse(finished, inv), long.Parse(lost, inv));
        }
    }

    /// <summary>One leaf on the calling thread; an exception the side did not expect is the leaf's error, never the thread's end.</summary>
    private static LeafReport Guarded(IFanOutSide side, IPEndPoint root, int messageSize, Action ready)
    {
        try { return side.RunLeaf(root, messageSize, ready); }
        catch (Exception e) { return new LeafReport(0, $"leaf: {e.GetType().Name}: {e.Message}", 0); }
    }

    /// <summary>
    /// A fresh process runs its verifier cold (the measuring process warmed its own in an untimed round): check a
    /// synthetic stream first (up to 2,000 frames, at most 16 MiB), so the run measures the path, not the JIT.
    /// </summary>
    private static void WarmUp(int messageSize)
    {
        int frame = FanOutFrame.Length(messageSize);
        var buf = new byte[frame];
        var verifier = new FrameVerifier(messageSize);
        for (int i = 0, n = Math.Clamp((16 << 20) / frame, 100, 2_000); i < n; i++)
        {
            FanOutFrame.Encode(buf, (ulong)i, messageSize);
            verifier.Feed(buf);
        }
    }

    /// <summary>The child's side: `fanout-leaf HOST:PORT COUNT SIDE SIZE` runs COUNT leaves and prints their reports.</summary>
    public static int RunChild(IPEndPoint root, int count, string sideKey, int messageSize, TextWriter output)
    {
        var side = FanOutSides.ByKey(sideKey);
        if (side is null)
        {
            Console.Error.WriteLine($"unknown fan-out side {sideKey}");
            return 2;
        }
        WarmUp(messageSize);
        var reports = new LeafReport[count];
        var threads = new Thread[count];
        int ready = 0;
        TimeSpan cpu0 = TimeSpan.Zero;
        var allReady = new ManualResetEventSlim();
        for (int i = 0; i < count; i++)
        {
            int index = i;
            threads[i] = new Thread(() => reports[index] = Guarded(side, root, messageSize, () =>
            {
                if (Interlocked.Increment(ref ready) == count) allReady.Set();
            })) { IsBackground = true, Name = "fanout-leaf" };
            threads[i].Start();
        }
        if (allReady.Wait(TimeSpan.FromSeconds(60)))
        {
            cpu0 = Cpu.Process();
            lock (output) { output.WriteLine("ready"); output.Flush(); }
        }
        foreach (var t in threads) t.Join(TimeSpan.FromSeconds(120));
        double cpu = (Cpu.Process() - cpu0).TotalSeconds;
        lock (output)
        {
            for (int i = 0; i < count; i++)
            {
                var r = threads[i].IsAlive ? new LeafReport(0, "leaf did not end in time", 0) : reports[i];
                string error = (r.Error ?? "-").ReplaceLineEndings(" ");
                output.WriteLine(FormattableString.Invariant($"leaf {r.Received} {r.Lost} {r.FinishedTimestamp} {cpu / count} {error}"));
            }
            output.Flush();
        }
        return 0;
    }
}
