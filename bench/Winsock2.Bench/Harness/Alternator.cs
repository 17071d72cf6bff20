namespace Winsock2.Bench.Harness;

/// <summary>
/// Runs a case as ours, baseline, ours, baseline … for the configured number of rounds, so both sides see the same
/// machine state (other builds, thermal state, page cache) as closely as one run allows. A full run first does
/// one untimed warm-up of each side (JIT tiering); --quick does not. An exception in a run is a failed sample.
/// </summary>
public static class Alternator
{
    public static CaseResult Run(BenchCase c, Options options, TextWriter progress)
    {
        var result = new CaseResult(c);
        progress.Write($"  {c.Suite} · {c.Name} ");
        if (!options.Quick)
        {
            if (c.Ours is not null) Guarded(c.Ours);
            Guarded(c.Baseline);
        }
        for (int round = 0; round < options.Rounds; round++)
        {
            if (c.Ours is not null) result.Ours.Add(Guarded(c.Ours));
            result.Baseline.Add(Guarded(c.Baseline));
            progress.Write('.');
            if (result.Failed) break; // a correctness failure voids the case; do not keep hammering it
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
