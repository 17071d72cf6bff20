namespace Winsock2.Bench.Harness;

/// <summary>
/// Runs a case's sides in turn — ours, the extra sides, baseline, ours … — for the configured number of rounds, so
/// every side sees the same machine state (other builds, thermal state, page cache) as closely as one run allows. A
/// full run first warms every side up, untimed (JIT tiering: a short case such as 1,000 joins, about 30 ms, would
/// otherwise be measured mostly in first-pass code): rounds of every side in turn, at least one and until
/// <see cref="WarmUpTime"/> has passed (at most <see cref="MaxWarmUpRounds"/>); --quick does not. An exception in a run is a
/// failed sample; a side that failed a correctness check is not run again in that case.
/// </summary>
public static class Alternator
{
    public static CaseResult Run(BenchCase c, Options options, TextWriter progress)
    {
        var result = new CaseResult(c);
        var sides = c.Sides;
        progress.Write($"  {c.Suite} · {c.Name} ");
        if (!options.Quick) WarmUp(sides);
        for (int round = 0; round < options.Rounds; round++)
        {
            bool ran = false;
            for (int i = 0; i < sides.Count; i++)
            {
                if (sides[i].Run is not { } run || result.Failure(i) is not null) continue;
                Thread.Sleep(SettleTime); // the previous side's teardown (closing connections, LEAVE) is not timed as this side's
                result.Samples(i).Add(Guarded(run));
                ran = true;
            }
            progress.Write('.');
            if (!ran) break; // every side failed: a correctness failure voids the side, do not keep hammering it
        }
        progress.WriteLine(result.Failed ? " FAILED" : "");
        return result;
    }

    /// <summary>
    /// The pause before each timed run: what the previous run left to finish in the background (a provider's reactor
    /// reading the last LEAVE frames and closing 1,000 connections) ends before the next side is timed.
    /// </summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(100);

    /// <summary>How long the untimed warm-up of a case lasts at least (its rounds are whole).</summary>
    public static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(1);

    /// <summary>The most warm-up rounds of a case.</summary>
    public const int MaxWarmUpRounds = 20;

    private static void WarmUp(IReadOnlyList<Side> sides)
    {
        long end = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(WarmUpTime.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        for (int round = 0; round < MaxWarmUpRounds && (round == 0 || System.Diagnostics.Stopwatch.GetTimestamp() < end); round++)
            foreach (var side in sides) if (side.Run is { } warm) Guarded(warm);
    }

    private static Sample Guarded(Func<Sample> run)
    {
        try { return run(); }
        catch (Exception e) { return Sample.Fail($"{e.GetType().Name}: {e.Message}"); }
    }
}
