using System.Diagnostics;
using Winsock2.Kernel;

namespace Winsock2.Tests.Core;

/// <summary>A thread's wake-up signal: a wake is never lost, however it falls against the sleep it ends.</summary>
public class WaiterTests
{
    /// <summary>Rounds of the race, at most (and at most a few seconds of them).</summary>
    private const int Rounds = 2_000_000;

    [Fact]
    public void Sleep_WakeWhileAPendingWakeIsTaken_ConditionSeenOrWakeKept()
    {
        // Each round a wake is pending (the state says Woken). The sleeper's Sleep(0) takes it and then looks at the
        // condition; at the same moment the waker sets the condition and wakes it. Whatever the order, the sleeper must
        // either see the condition or find the waker's wake still pending: both missing is the lost wake (a sleeper
        // would sleep on). A store-buffering race: were the wake taken with a plain store, x86 would let the look
        // pass the store.
        AssertNoLostWake(w => { w.Sleep(0); return true; });
    }

    [Fact]
    public void BeginSleepElsewhere_WakeWhileAPendingWakeIsTaken_ConditionSeenOrWakeKept()
    {
        // The same race where a blocking call that sleeps on a socket finds the pending wake (and does not sleep).
        AssertNoLostWake(w =>
        {
            if (!w.BeginSleepElsewhere()) return true;
            w.EndSleepElsewhere();
            return false; // it should have found the pending wake
        });
    }

    private static void AssertNoLostWake(Func<Waiter, bool> takePendingWake)
    {
        var waiter = new Waiter();
        int condition = 0, round = 0, arrived = 0, looked = 0, seen = 0, rounds = Rounds;
        bool misbehaved = false;
        var sleeper = new Thread(() =>
        {
            for (int r = 1; r <= Rounds; r++)
            {
                while (Volatile.Read(ref round) < r) Thread.SpinWait(1);
                if (Volatile.Read(ref round) > Rounds) return; // stopped
                Interlocked.Increment(ref arrived);
                while (Volatile.Read(ref arrived) < 2 * r) { } // both threads leave the barrier together
                if (!takePendingWake(waiter)) misbehaved = true;
                seen = Volatile.Read(ref condition);
                Volatile.Write(ref looked, r);
            }
        }) { IsBackground = true };
        sleeper.Start();
        int lost = 0, firstLost = 0;
        var clock = Stopwatch.StartNew();
        for (int r = 1; r <= Rounds; r++)
        {
            if (clock.ElapsedMilliseconds > 5_000) { rounds = r - 1; Volatile.Write(ref round, Rounds + 1); break; }
            Volatile.Write(ref condition, 0);
            waiter.Wake(); // the pending wake the sleeper will take
            Volatile.Write(ref round, r);
            Interlocked.Increment(ref arrived);
            while (Volatile.Read(ref arrived) < 2 * r) { }
            Volatile.Write(ref condition, 1);
            waiter.Wake();
            while (Volatile.Read(ref looked) < r) Thread.SpinWait(1);
            bool kept = waiter.TakePendingWake();
            if (Volatile.Read(ref seen) == 0 && !kept && lost++ == 0) firstLost = r;
        }
        Assert.True(sleeper.Join(30_000), "the sleeper did not finish");
        Assert.False(misbehaved, "a pending wake was not found");
        Assert.True(rounds > 0, "no round ran");
        Assert.True(lost == 0, $"{lost} of {rounds} wakes lost (first in round {firstLost}): the condition unseen and the wake gone");
    }
}
