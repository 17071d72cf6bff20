using Winsock2.Kernel;
using static Winsock2.Kernel32;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Iocp;

/// <summary>
/// The concurrency value: a thread a wait released counts as running until it waits on the port again; while as many
/// run as the value allows, queued packets wait even when other threads wait for them.
/// </summary>
public class ConcurrencyTests : IocpTest
{
    /// <summary>A worker: takes one packet, reports it, holds it until told to go, then takes one more.</summary>
    private sealed class Holder
    {
        public readonly ManualResetEventSlim Got = new(), Go = new(), GotSecond = new();
        public (bool Ok, nuint Key) First, Second;
    }

    private Worker StartHolder(HANDLE port, Holder h) => Run(() =>
    {
        h.First.Ok = GetQueuedCompletionStatus(port, out _, out h.First.Key, out _, INFINITE);
        h.Got.Set();
        Assert.True(h.Go.Wait(10_000), "never told to go");
        h.Second.Ok = GetQueuedCompletionStatus(port, out _, out h.Second.Key, out _, INFINITE);
        h.GotSecond.Set();
    });

    [Fact]
    public void GetQueuedCompletionStatus_ConcurrencyOne_ReleasesOneThreadWhileTheFirstRuns()
    {
        var port = NewPort(1);
        Assert.True(CompletionPort.TryGet(port, out var p));
        Holder a = new(), b = new();
        var wa = StartHolder(port, a);
        var wb = StartHolder(port, b);
        Eventually(() => p.WaitingCount == 2, "both threads to wait");
        Assert.True(PostQueuedCompletionStatus(port, 0, 1, null));
        Assert.True(PostQueuedCompletionStatus(port, 0, 2, null));
        Assert.True(WaitHandle.WaitAny([a.Got.WaitHandle, b.Got.WaitHandle], 10_000) >= 0, "no thread was released");
        var (first, second) = a.Got.IsSet ? (a, b) : (b, a);
        Assert.Equal((true, (nuint)1), first.First);
        // One thread runs: the second packet stays queued while another thread still waits for it.
        Assert.Equal(1, p.RunningCount);
        Assert.False(second.Got.IsSet);
        Assert.Equal(1, p.WaitingCount);
        Assert.False(GetQueuedCompletionStatus(port, out _, out _, out _, 0)); // this thread may not run either
        Assert.Equal(WAIT_TIMEOUT, GetLastError());
        // The first thread comes back to the port: its run ends, so the second packet is released to a waiting thread
        // (itself, as Windows prefers the thread that just returned, or the other one).
        first.Go.Set();
        Assert.True(WaitHandle.WaitAny([second.Got.WaitHandle, first.GotSecond.WaitHandle], 10_000) >= 0, "second packet not released");
        Assert.Equal(1, p.RunningCount);
        // Release everyone and end.
        Assert.True(PostQueuedCompletionStatus(port, 0, 3, null));
        first.Go.Set();
        second.Go.Set();
        Assert.True(PostQueuedCompletionStatus(port, 0, 4, null));
        Assert.True(wa.Join(10_000) && wb.Join(10_000));
        var keys = new[] { a.First.Key, a.Second.Key, b.First.Key, b.Second.Key }.Order().ToArray();
        Assert.Equal(new nuint[] { 1, 2, 3, 4 }, keys);
    }

    [Fact]
    public void GetQueuedCompletionStatus_ConcurrencyTwo_ReleasesTwoThreadsAtOnce()
    {
        var port = NewPort(2);
        Assert.True(CompletionPort.TryGet(port, out var p));
        Holder a = new(), b = new();
        var wa = StartHolder(port, a);
        var wb = StartHolder(port, b);
        Eventually(() => p.WaitingCount == 2, "both threads to wait");
        for (nuint k = 1; k <= 3; k++) Assert.True(PostQueuedCompletionStatus(port, 0, k, null));
        Assert.True(a.Got.Wait(10_000) && b.Got.Wait(10_000), "both threads should run at once");
        Assert.Equal(2, p.RunningCount);
        Assert.False(GetQueuedCompletionStatus(port, out _, out _, out _, 0)); // a third may not
        Assert.Equal(WAIT_TIMEOUT, GetLastError());
        a.Go.Set();
        b.Go.Set();
        Assert.True(PostQueuedCompletionStatus(port, 0, 4, null));
        Assert.True(wa.Join(10_000) && wb.Join(10_000));
    }

    [Fact]
    public void GetQueuedCompletionStatus_RunningThreadExits_AnotherIsReleased()
    {
        var port = NewPort(1);
        Assert.True(CompletionPort.TryGet(port, out var p));
        Assert.True(PostQueuedCompletionStatus(port, 0, 1, null));
        var exiting = Run(() => Assert.True(GetQueuedCompletionStatus(port, out _, out _, out _, 10_000)));
        Assert.True(exiting.Join(10_000));
        Assert.True(PostQueuedCompletionStatus(port, 0, 2, null));
        // The thread that ran is gone: the kernel's thread rundown ends its run, and this thread gets the packet.
        var got = Take(port);
        Assert.True(got.Ok, $"error {got.Error}");
        Assert.Equal((nuint)2, got.Key);
    }
}
