using System.Diagnostics;
using Winsock2.Kernel;

namespace Winsock2.Tests.Core;

/// <summary>A thread's wake-up signal: a wake is never lost, however it falls against the sleep it ends.</summary>
public class WaiterTests
{
    [Fact]
    public void Waiter_WakeRightAfterAStaleWakeEndedTheSleep_NeverLost()
    {
        // The sleeper waits, without a timeout, until the round's value is raised. Each round the waker first wakes it
        // for nothing (a stale wake: the sleep ends, the value is not there yet, it sleeps again), then after a short
        // and varying pause raises the value and wakes it for real: the real wake falls while the stale one's sleep is
        // ending. A lost wake leaves the sleeper asleep for good, so the waker's bounded wait for the round to be taken
        // is what fails (the deadline only catches a stuck sleeper; then it is woken so the test can end).
        const int Rounds = 200_000;
        var waiter = new Waiter();
        int target = 0, seen = 0;
        var sleeper = new Thread(() =>
        {
            for (int k = 1; k <= Rounds; k++)
            {
                while (Volatile.Read(ref target) < k) waiter.Sleep(-1);
                Volatile.Write(ref seen, k);
            }
        }) { IsBackground = true };
        sleeper.Start();
        string? lost = null;
        for (int k = 1; k <= Rounds && lost is null; k++)
        {
            waiter.Wake(); // stale
            Thread.SpinWait(k % 97);
            Volatile.Write(ref target, k);
            waiter.Wake();
            var clock = Stopwatch.StartNew();
            while (Volatile.Read(ref seen) < k)
            {
                if (clock.ElapsedMilliseconds > 10_000)
                {
                    lost = $"the wake of round {k} was lost: the sleeper still sleeps with its value raised";
                    break;
                }
                Thread.Yield();
            }
        }
        Volatile.Write(ref target, int.MaxValue);
        waiter.Wake();
        Assert.True(sleeper.Join(20_000), "the sleeper did not finish");
        Assert.Null(lost);
    }
}
