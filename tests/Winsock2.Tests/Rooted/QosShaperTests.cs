using Winsock2.Providers.Rooted;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// The shaper behind a paced connection and a shaped socket, driven directly: a write deferred for tokens is always
/// brought back by a timer (never an armed flag without a timer behind it, never "in debt" reported as "send now").
/// </summary>
public class QosShaperTests
{
    private const int Generous = 10_000;

    private static QosShaper Shaped(uint rate, uint bucket)
    {
        var shaper = new QosShaper();
        shaper.Apply(FLOWSPEC.NotSpecified(SERVICETYPE_CONTROLLEDLOAD) with { TokenRate = rate, TokenBucketSize = bucket });
        return shaper;
    }

    [Fact]
    public void QosShaper_InDebt_DelayIsNeverZero()
    {
        var shaper = Shaped(1_000, 1_000);
        Assert.Equal(0, shaper.DelayMs()); // a full bucket: at once
        shaper.Consume(1_000);
        shaper.Consume(4_000); // 4 s of debt: a zero here would let the caller write without waiting (or wait for nothing)
        Assert.InRange(shaper.DelayMs(), 1, 4_000);
        // A debt far below one millisecond of tokens still rounds up to a wait, not to "now".
        var tiny = Shaped(1_000_000, 1);
        tiny.Consume(1_000);
        Assert.True(tiny.DelayMs() >= 1);
    }

    [Fact]
    public void QosShaper_ArmOnceWhileArmed_ArmedTimerStillFiresAndFlagClears()
    {
        var shaper = Shaped(1_000, 1_000);
        using var first = new ManualResetEventSlim();
        int skipped = 0;
        shaper.ArmOnce(50, first.Set);
        shaper.ArmOnce(1, () => Interlocked.Increment(ref skipped)); // already armed: the armed timer comes first
        Assert.True(first.Wait(Generous), "the armed timer never fired");
        // After it fired, the next deferral arms again (a flag left set would lose every later wake-up).
        using var second = new ManualResetEventSlim();
        shaper.ArmOnce(1, second.Set);
        Assert.True(second.Wait(Generous), "a deferral after the timer fired was never re-armed");
        Assert.Equal(0, Volatile.Read(ref skipped));
    }

    [Fact]
    public void QosShaper_ArmOnceFromInsideFiringCallback_ArmsANewTimer()
    {
        // The racy moment of a paced connection: the timer's callback runs (its flag already cleared) while the
        // writer's flush finds the tokens still short (coarse clock) and defers again.
        var shaper = Shaped(1_000, 1_000);
        using var rearmed = new ManualResetEventSlim();
        int fired = 0;
        shaper.ArmOnce(1, () =>
        {
            Interlocked.Increment(ref fired);
            shaper.ArmOnce(1, rearmed.Set);
        });
        Assert.True(rearmed.Wait(Generous), "the deferral made while the timer's callback ran was lost");
        Assert.Equal(1, Volatile.Read(ref fired));
    }

    [Fact]
    public void QosShaper_ArmReplacingWhileOldCallbackRuns_NewTimerFires()
    {
        // A socket's shaper re-arms (replacing) while the previous timer's callback is still running: the old
        // callback's end must not cancel the new timer.
        var shaper = Shaped(1_000, 1_000);
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        using var replaced = new ManualResetEventSlim();
        shaper.Arm(1, () => { inside.Set(); release.Wait(Generous); });
        Assert.True(inside.Wait(Generous));
        shaper.Arm(1, replaced.Set);
        release.Set();
        Assert.True(replaced.Wait(Generous), "the replacing timer never fired");
        // And a deferral after it arms again.
        using var after = new ManualResetEventSlim();
        shaper.ArmOnce(1, after.Set);
        Assert.True(after.Wait(Generous), "the flag stayed set after the replacing timer fired");
    }

    [Fact]
    public void QosShaper_Quantum_QuarterSecondOfTokensWithinBucket()
    {
        Assert.Equal(250, Shaped(1_000, 1_000).Quantum(256 * 1024));
        Assert.Equal(64, Shaped(100, 1_000).Quantum(256 * 1024)); // at least the minimum quantum
        Assert.Equal(100, Shaped(100_000, 100).Quantum(256 * 1024)); // at most the bucket
        Assert.Equal(256 * 1024, new QosShaper().Quantum(256 * 1024)); // unshaped: the whole write
    }
}
