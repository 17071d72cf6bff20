namespace Winsock2.Bench.Harness;

/// <summary>
/// Runs a case's sides in turn — ours, the extra sides, baseline, ours … — for the configured number of rounds, so
/// every side sees the same machine state (other builds, thermal state, page cache) as closely as one run allows. A
/// full run first does one untimed warm-up of each side (JIT tiering); --quick does not. An exception in a run is a
/// failed sample; a side that failed a correctness check is not run again in that case.
/// </summary>
public static class Alternator
{
    public static CaseResult Run(BenchCase c, Options options, TextWriter progress)
    {
        var result = new CaseResult(c);
        var sides = c.Sides;
        progress.Write($"  {c.Suite} · {c.Name} ");
        if (!options.Quick)
            foreach (var side in sides) if (side.Run is { } warm) Guarded(warm);
        for (int round = 0; round < options.Rounds; round++)
        {
            bool ran = false;
            for (int i = 0; i < sides.Count; i++)
            {
                if (sides[i].Run is not { } run || result.Failure(i) is not null) continue;
                result.Samples(i).Add(Guarded(run));
                ran = true;
            }
            progress.Write('.');
            if (!ran) break; // every side failed: a correctness failure voids the side, do not keep hammering it
        }
        progress.WriteLine(result.Failed ? " FAILED" : "");
        return result;
    }

    private static Sample Guarded(Func<Sample> run)
    {
        try { return run(); }
        catch (Exception e) { return Sample.Fail($"{e.GetType().Name}: {e.Message}"); }
    }
}
