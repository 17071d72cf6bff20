using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Winsock2.Bench.Baselines;
using Winsock2.Bench.Harness;
using Winsock2.Bench.Ours;

namespace Winsock2.Bench.Suites;

/// <summary>
/// Suite 7, IOCP echo: our completion-port echo server (WSARecv/WSASend completing to a port, worker threads on
/// GetQueuedCompletionStatus) against a raw .NET Socket echo server, driven by the same System.Net.Sockets clients.
/// </summary>
public sealed class IocpSuite : ISuite
{
    private static readonly Metric Rate = new("echo rate", "echo/s", Better.Higher);
    private static readonly Metric Cost = new("process CPU per echo", "µs/op", Better.Lower);

    public string Name => "iocp";
    public string Title => "7. IOCP echo";

    private static int Clients(bool quick) => quick ? 4 : 16;
    private static int EchoesPerClient(bool quick) => quick ? 200 : 20_000;
    private static TimeSpan Budget(bool quick) => quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(3);

    public IEnumerable<BenchCase> Cases(Options options)
    {
        foreach (int size in new[] { 64, 4096 })
        {
            string sz = size < 1024 ? $"{size} B" : $"{size / 1024} KiB";
            int clients = Clients(options.Quick);
            yield return new BenchCase
            {
                Suite = Name,
                Name = $"{sz} × {clients} clients",
                OursLabel = "IOCP echo server (CreateIoCompletionPort, WSARecv/WSASend, GetQueuedCompletionStatus workers)",
                BaselineLabel = "async ReceiveAsync/SendAsync echo server (System.Net.Sockets)",
                Metrics = [Rate, Cost],
                Ours = () => Measure(() => new IocpEcho(), size, options.Quick),
                Baseline = () => Measure(() => new SocketEcho(), size, options.Quick),
            };
        }
    }

    public IEnumerable<string> Notes(Options options)
    {
        yield return $"{Clients(options.Quick)} client threads (blocking System.Net.Sockets, TCP_NODELAY) each send one message and " +
                     $"read its echo, up to {EchoesPerClient(options.Quick):N0} times or {Budget(options.Quick).TotalSeconds:N0} s; every " +
                     "echo is checked byte for byte. Rate = echoes / wall time; process CPU per echo = Process.TotalProcessorTime " +
                     "delta / echoes (clients included, the same clients on both sides).";
        yield return $"Ours runs one worker per processor ({Environment.ProcessorCount}) on a port with concurrency 0 (the processor " +
                     "count); the baseline awaits ReceiveAsync and SendAsync per connection on the thread pool.";
    }

    private static Sample Measure(Func<IEchoServer> make, int size, bool quick)
    {
        using var server = make();
        var endPoint = server.Start();
        int clients = Clients(quick);
        var sockets = Enumerable.Range(0, clients).Select(_ =>
        {
            var s = Loopback.Tcp();
            s.ReceiveTimeout = 10_000;
            s.Connect(endPoint);
            return s;
        }).ToArray();
        try
        {
            long deadline = Stopwatch.GetTimestamp() + (long)(Budget(quick).TotalSeconds * Stopwatch.Frequency);
            var counts = new long[clients];
            var failures = new string?[clients];
            var cpu0 = Cpu.Process();
            long t0 = Stopwatch.GetTimestamp();
            var threads = Enumerable.Range(0, clients).Select(i => new Thread(() =>
            {
                try { counts[i] = Client(sockets[i], i, size, EchoesPerClient(quick), deadline); }
                catch (Exception e) when (e is SocketException or InvalidDataException) { failures[i] = e.Message; }
            }) { IsBackground = true, Name = $"echo-client-{i}" }).ToArray();
            foreach (var t in threads) t.Start();
            foreach (var t in threads)
                if (!t.Join(TimeSpan.FromSeconds(60))) return Sample.Fail("a client did not finish");
            double seconds = Cpu.Seconds(Stopwatch.GetTimestamp() - t0);
            double cpu = (Cpu.Process() - cpu0).TotalSeconds;
            if (failures.FirstOrDefault(f => f is not null) is { } failure) return Sample.Fail(failure);
            long echoes = counts.Sum();
            return new Sample().Set(Rate.Name, echoes / seconds).Set(Cost.Name, cpu * 1e6 / echoes);
        }
        finally
        {
            foreach (var s in sockets) s.Dispose();
        }
    }

    /// <summary>One client's loop: send a message stamped with the client and the round, read the echo, check it.</summary>
    private static long Client(Socket s, int client, int size, int maxEchoes, long deadline)
    {
        var message = new byte[size];
        var echo = new byte[size];
        long n = 0;
        for (; n < maxEchoes && Stopwatch.GetTimestamp() < deadline; n++)
        {
            for (int j = 0; j < size; j++) message[j] = (byte)(client * 7 + n + j);
            s.Send(message);
            if (!Loopback.ReceiveExactly(s, echo)) throw new InvalidDataException($"client {client}: the server closed");
            if (!echo.AsSpan().SequenceEqual(message)) throw new InvalidDataException($"client {client}: echo {n} differs");
        }
        return n;
    }
}
