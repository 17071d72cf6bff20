using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using static Winsock2.Ws2_32;

namespace Winsock2.Bench.Harness;

/// <summary>
/// The bench started again as a helper process (`--child ROLE HOST:PORT COUNT`), so peers do not count in the
/// measured process. The child prints "ready" once its peers are connected and exits when its stdin closes (or
/// after 120 s); fan-out leaves (role fanout-leaf) report at the end of their stream and exit. A child that has not
/// exited 10 s after its stdin closed is killed.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    public const string Flag = "--child";
    private readonly Process _process;
    private readonly System.Collections.Concurrent.BlockingCollection<string> _lines = new();

    private ChildProcess(Process process)
    {
        _process = process;
        // The child's lines are read by a thread of its own, not by the thread pool's asynchronous reads: this process's
        // pool is shared with the providers being measured, and a busy pool would hold back a line the child printed.
        var reader = new Thread(() =>
        {
            try
            {
                while (process.StandardOutput.ReadLine() is { } line) _lines.Add(line);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException) { } // the child is gone
            finally { _lines.CompleteAdding(); }
        }) { IsBackground = true, Name = "bench child stdout" };
        reader.Start();
    }

    public static ChildProcess Start(string role, IPEndPoint target, int count, params string[] extra)
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var info = new ProcessStartInfo(path) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(path) == "dotnet") info.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        foreach (var a in new[] { Flag, role, target.ToString(), count.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Concat(extra))
            info.ArgumentList.Add(a);
        return new ChildProcess(Process.Start(info) ?? throw new InvalidOperationException("child did not start"));
    }

    /// <summary>True once the child reported "ready" within the timeout.</summary>
    public bool WaitReady(TimeSpan timeout) => ReadLine(timeout) == "ready";

    /// <summary>The child's next line of output, or null when none came within the timeout (or its output ended).</summary>
    public string? ReadLine(TimeSpan timeout) => _lines.TryTake(out var line, timeout) ? line : null;

    public void Dispose()
    {
        try { _process.StandardInput.Close(); } catch (IOException) { }
        if (!_process.WaitForExit(10_000)) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    /// <summary>This process's managed heap (after a full collection) and working set.</summary>
    public static (long Heap, long WorkingSet) Footprint()
    {
        long heap = GC.GetTotalMemory(forceFullCollection: true);
        using var p = Process.GetCurrentProcess();
        return (heap, p.WorkingSet64);
    }

    /// <summary>Asks the child for its memory growth per peer (bytes: heap, working set); null when it does not answer.</summary>
    public (double Heap, double WorkingSet)? Measure(TimeSpan timeout)
    {
        _process.StandardInput.WriteLine("measure");
        _process.StandardInput.Flush();
        var line = ReadLine(timeout);
        var parts = line?.Split(' ');
        if (parts is not ["memory", var h, var w]) return null;
        return (double.Parse(h, System.Globalization.CultureInfo.InvariantCulture), double.Parse(w, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Fan-out leaves (`SIDE SIZE` after the count): run to the end of the stream, report, exit.</summary>
    private static int RunFanOutLeaves(IPEndPoint root, int count, string[] extra)
    {
        if (extra is not [var side, var sizeText] || !int.TryParse(sizeText, out int size)) return 2;
        bool started = WSAStartup(0x0202, out _) == 0;
        try { return Suites.FanOutLeaves.RunChild(root, count, side, size, Console.Out); }
        finally
        {
            if (started) WSACleanup();
            Baselines.NetMqFanOut.Cleanup();
        }
    }

    /// <summary>The child's side: creates the peers for its role, says ready, waits for stdin to close.</summary>
    public static int Run(string[] args)
    {
        if (args.Length < 3 || !IPEndPoint.TryParse(args[1], out var target) || !int.TryParse(args[2], out int count)) return 2;
        if (args[0] == Suites.FanOutLeaves.ChildRole) return RunFanOutLeaves(target, count, args[3..]);
        var before = Footprint();
        var peers = new List<Socket>();
        var leaves = new List<SOCKET>();
        bool started = false;
        try
        {
            switch (args[0])
            {
                case "socket-peers":
                    for (int i = 0; i < count; i++)
                    {
                        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                        s.Connect(target);
                        peers.Add(s);
                    }
                    break;
                case Ours.RootedSoak.ChildRole when args.Length == 4 && int.TryParse(args[3], out int size):
                    started = WSAStartup(0x0202, out _) == 0;
                    Ours.RootedSoak.RunLeaves(target, count, size, Console.Out);
                    break;
                case "rooted-leaves":
                    started = WSAStartup(0x0202, out _) == 0;
                    leaves = Ours.RootedIdleLeaves.JoinLeaves(target, count);
                    break;
                default:
                    Console.Error.WriteLine($"unknown child role {args[0]}");
                    return 2;
            }
            Console.Out.WriteLine("ready");
            Console.Out.Flush();
            // "measure" asks for this process's growth per peer since before the peers existed (heap, working set).
            Task.Run(() =>
            {
                string? line;
                while ((line = Console.In.ReadLine()) is not null)
                {
                    if (line != "measure") continue;
                    var (heap, ws) = Footprint();
                    Console.Out.WriteLine(FormattableString.Invariant($"memory {(heap - before.Heap) / Math.Max(1, count)} {(ws - before.WorkingSet) / Math.Max(1, count)}"));
                    Console.Out.Flush();
                }
            }).Wait(TimeSpan.FromSeconds(120));
            return 0;
        }
        finally
        {
            foreach (var p in peers) Loopback.Abort(p);
            Ours.Rooted.Close(leaves);
            if (started) WSACleanup();
        }
    }
}
