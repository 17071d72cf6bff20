using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Winsock2.Bench.Harness;

/// <summary>CPU clocks: the whole process (Process.TotalProcessorTime) and the calling thread (CLOCK_THREAD_CPUTIME_ID).</summary>
public static partial class Cpu
{
    public static TimeSpan Process()
    {
        using var p = System.Diagnostics.Process.GetCurrentProcess();
        return p.TotalProcessorTime;
    }

    /// <summary>CPU time the calling thread has used, in nanoseconds.</summary>
    public static long ThreadNanoseconds()
    {
        const int CLOCK_THREAD_CPUTIME_ID = 3;
        return clock_gettime(CLOCK_THREAD_CPUTIME_ID, out var ts) == 0 ? ts.tv_sec * 1_000_000_000L + ts.tv_nsec : 0;
    }

    public static double Seconds(long stopwatchTicks) => (double)stopwatchTicks / Stopwatch.Frequency;

    [StructLayout(LayoutKind.Sequential)]
    private struct timespec { public long tv_sec; public long tv_nsec; }

    [LibraryImport("libc")]
    private static partial int clock_gettime(int clockId, out timespec ts);
}
