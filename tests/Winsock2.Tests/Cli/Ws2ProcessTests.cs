namespace Winsock2.Tests.Cli;

/// <summary>
/// The harness that runs `ws2` as a child process: a child's output reaches the test however busy this process's
/// thread pool is, which the providers under test share (a held-up pool once made a wait for a line fail although the
/// child had printed it).
/// </summary>
public class Ws2ProcessTests
{
    private const int Blockers = 200;

    [Fact]
    public void Expect_ThreadPoolHeldUp_TheChildsLineStillArrives()
    {
        var release = new ManualResetEventSlim(); // not disposed: a blocker that never started must not find it gone
        int started = 0, finished = 0;
        for (int i = 0; i < Blockers; i++)
            ThreadPool.UnsafeQueueUserWorkItem(_ =>
            {
                Interlocked.Increment(ref started);
                release.Wait(Ws2Process.Wait * 2);
                Interlocked.Increment(ref finished);
            }, null);
        try
        {
            using var root = Ws2Process.Start("root", "--listen", "127.0.0.1:0", "--json");
            Assert.StartsWith("127.0.0.1:", root.Expect("listening").GetProperty("address").GetString(), StringComparison.Ordinal);
            Assert.True(Volatile.Read(ref started) < Blockers, "the thread pool was never held up: the test proved nothing");
        }
        finally
        {
            release.Set();
            // Every blocker is done before the event goes away (the pool catches up once they return).
            SpinWait.SpinUntil(() => Volatile.Read(ref finished) == Blockers, Ws2Process.Wait * 3);
        }
        Assert.Equal(Blockers, Volatile.Read(ref finished));
    }
}
