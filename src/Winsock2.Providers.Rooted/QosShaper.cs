using Winsock2.Providers.Core;
using Winsock2.Kernel;

namespace Winsock2.Providers.Rooted;

/// <summary>
/// What shapes one direction of rooted traffic: the token bucket of a granted flowspec (none: unshaped), and the
/// one-shot timer that says when tokens are back. A socket's sends are shaped by its sending flowspec; a root's
/// connection to a leaf writes at that leaf's receiving grant. Guarded by the owner's lock; the timer's callback
/// takes what lock it needs itself.
/// </summary>
internal sealed class QosShaper
{
    /// <summary>Least bytes a paced write carries (unless the bucket is smaller).</summary>
    private const int MinQuantum = 64;

    private TokenBucket? _bucket;
    private FLOWSPEC _spec;
    private Timer? _timer;
    private int _armed;

    /// <summary>True when a token bucket shapes the traffic.</summary>
    public bool Active => _bucket is not null;

    /// <summary>Milliseconds until a message may leave (0 = now, also when unshaped).</summary>
    public int DelayMs() => _bucket?.DelayMs(Environment.TickCount64) ?? 0;

    /// <summary>A message of <paramref name="length"/> bytes left: its tokens are taken.</summary>
    public void Consume(int length) => _bucket?.Consume(length);

    /// <summary>
    /// The most bytes one paced write carries: a quarter second of tokens (at least <see cref="MinQuantum"/>), at most
    /// the bucket and <paramref name="max"/>. Small, frequent writes keep bytes arriving at a slow receiver (its liveness
    /// counts them) and keep the bucket's debt after a write within one quantum.
    /// </summary>
    public int Quantum(int max)
    {
        if (_bucket is null) return max;
        double size = Flowspecs.HasRate(_spec.TokenBucketSize) ? _spec.TokenBucketSize : _spec.TokenRate;
        double quarter = Math.Max(MinQuantum, _spec.TokenRate / 4.0);
        return (int)Math.Clamp(Math.Min(quarter, size), 1, max);
    }

    /// <summary>The granted flowspec: a new token bucket (or none when it sets no finite rate, or there is none).</summary>
    public void Apply(FLOWSPEC? flowspec)
    {
        _bucket = flowspec is { } f ? TokenBucket.For(f) : null;
        _spec = flowspec ?? default;
    }

    /// <summary>Runs <paramref name="tokensBack"/> once in <paramref name="ms"/> milliseconds (replacing any earlier arming); its exceptions are reported.</summary>
    public void Arm(int ms, Action tokensBack)
    {
        _timer?.Dispose();
        Volatile.Write(ref _armed, 1);
        _timer = new Timer(_ => Fire(tokensBack), null, ms, Timeout.Infinite);
    }

    /// <summary>As <see cref="Arm"/>, unless a timer is already armed (it fires first).</summary>
    public void ArmOnce(int ms, Action tokensBack)
    {
        if (Volatile.Read(ref _armed) == 0) Arm(ms, tokensBack);
    }

    private void Fire(Action tokensBack)
    {
        // A full fence, not a plain store: the callback's first load (Writer.Schedule's look at the scheduled flag) may
        // not pass it. Else the writer, between taking this connection off its queue and flushing it, could be seen as
        // still scheduled while it sees the flag still armed: the wake-up skipped, the re-arm skipped, a lost wake-up.
        Interlocked.Exchange(ref _armed, 0);
        try { tokensBack(); }
        catch (Exception e) { Diagnostics.InternalFailure("shaper timer", e); }
    }
}
