using System.Diagnostics;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rio;

/// <summary>Waiting for Registered I/O completions, shared by the TCP/UDP and the rooted tests.</summary>
internal static class RioWait
{
    /// <summary>
    /// Dequeues until <paramref name="count"/> results arrived (polling; the generous deadline only fails a stuck
    /// test) and returns them in order.
    /// </summary>
    public static RIORESULT[] Dequeue(RIO_EXTENSION_FUNCTION_TABLE t, RIO_CQ cq, int count)
    {
        var all = new List<RIORESULT>();
        var batch = new RIORESULT[Math.Max(count, 1)];
        var clock = Stopwatch.StartNew();
        while (all.Count < count)
        {
            uint n = t.RIODequeueCompletion!(cq, batch, (uint)(count - all.Count));
            Assert.NotEqual(RIO_CORRUPT_CQ, n);
            all.AddRange(batch.Take((int)n));
            if (n == 0)
            {
                Assert.True(clock.ElapsedMilliseconds < 20_000, $"only {all.Count} of {count} completions arrived");
                Thread.Sleep(1);
            }
        }
        return [.. all];
    }
}
