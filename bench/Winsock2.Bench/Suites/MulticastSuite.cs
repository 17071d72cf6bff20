using System.Net;
using Winsock2.Bench.Baselines;
using Winsock2.Bench.Harness;
using Winsock2.Bench.Ours;

namespace Winsock2.Bench.Suites;

/// <summary>Suite 6, multicast: one sender, N receivers on 127.0.0.1; sender CPU per message as N grows.</summary>
public sealed class MulticastSuite : ISuite
{
    private const int Size = 64;
    private static readonly IPAddress Group = IPAddress.Parse("239.255.42.99");
    private static readonly Metric SenderCpu = new("sender CPU per message", "ns/msg", Better.Lower);
    private static readonly Metric Delivered = new("delivered", "%", Better.Higher);
    private static readonly int[] ReceiverCounts = [1, 4, 16];

    public string Name => "multicast";
    public string Title => "6. Multicast";

    private static long Messages(bool quick) => quick ? 200 : 50_000;

    public IEnumerable<BenchCase> Cases(Options options)
    {
        string? unavailable = Availability.MulticastLeaf();
        foreach (int n in ReceiverCounts)
        {
            yield return new BenchCase
            {
                Suite = Name,
                Name = $"{Size} B × {n} {(n == 1 ? "receiver" : "receivers")}",
                OursLabel = "WSAJoinLeaf on UDP (C_LEAF|D_LEAF), WSASend, recv",
                BaselineLabel = "System.Net.Sockets UDP multicast",
                Metrics = [SenderCpu, Delivered],
                Ours = unavailable is null ? () => Measure(() => new WinsockMulticast(), n, options.Quick) : null,
                OursUnavailable = unavailable,
                Baseline = () => Measure(() => new SocketMulticast(), n, options.Quick),
            };
        }
    }

    public IEnumerable<string> Notes(Options options)
    {
        yield return $"{Messages(options.Quick):N0} datagrams of {Size} B to {Group}, sent from one thread as fast as it can" +
                     (options.Quick ? " (paced in --quick, where every receiver must get every datagram)" : "") + ". " +
                     "Sender CPU = the sending thread's CPU time (CLOCK_THREAD_CPUTIME_ID) / datagrams: the kernel copies the " +
                     "datagram to each member inside the send call, so this grows with N. Delivered = datagrams received / " +
                     "(sent × N); UDP may drop under load, which is reported, not failed; a duplicate or reorder fails.";
        yield return "Never leaves loopback: IP_MULTICAST_IF = 127.0.0.1, TTL 1, memberships on interface 127.0.0.1, receivers in this process.";
    }

    private static Sample Measure(Func<IMulticastSubject> make, int receivers, bool quick)
    {
        using var subject = make();
        subject.Open(receivers, Group);
        long count = Messages(quick);
        long cpu0 = Cpu.ThreadNanoseconds();
        subject.Send(count, Size, paced: quick);
        long cpu = Cpu.ThreadNanoseconds() - cpu0;
        var reports = subject.WaitReceivers(count, TimeSpan.FromSeconds(10));
        for (int i = 0; i < reports.Count; i++)
        {
            if (reports[i].Error is { } e) return Sample.Fail($"receiver {i}: {e}");
            if (quick && reports[i].Received != count) return Sample.Fail($"receiver {i} got {reports[i].Received} of {count} (paced)");
        }
        double delivered = reports.Sum(r => (double)r.Received) / (count * receivers) * 100;
        return new Sample().Set(SenderCpu.Name, (double)cpu / count).Set(Delivered.Name, delivered);
    }
}
