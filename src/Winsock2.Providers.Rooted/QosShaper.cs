using Winsock2.Providers.Core;
using Winsock2.Kernel;

namespace Winsock2.Providers.Rooted;

/// <summary>
/// What shapes a rooted socket's sends: the token bucket of its granted sending flowspec (none: unshaped), and the
/// one-shot timer that tells a nonblocking sender when tokens are back. Guarded by the owner's lock; the timer's
/// callback takes that lock itself.
/// </summary>
internal sealed class QosShaper
{
    private TokenBucket? _bucket;
    private Timer? _timer;

    /// <summary>True when a token bucket shapes the sends.</summary>
    public bool Active => _bucket is not null;

    /// <summary>Milliseconds until a message may leave (0 = now, also when unshaped).</summary>
    public int DelayMs() => _bucket?.DelayMs(Environment.TickCount64) ?? 0;

    /// <summary>A message of <paramref name="length"/> bytes left: its tokens are taken.</summary>
    public void Consume(int length) => _bucket?.Consume(length);

    /// <summary>The granted sending flowspec: a new token bucket (or none when it sets no finite rate).</summary>
    public void Apply(FLOWSPEC sending) => _bucket = TokenBucket.For(sending);

    /// <summary>Runs <paramref name="tokensBack"/> once in <paramref name="ms"/> milliseconds (replacing any earlier arming); its exceptions are reported.</summary>
    public void Arm(int ms, Action tokensBack)
    {
        _timer?.Dispose();
        _timer = new Timer(_ =>
        {
            try { tokensBack(); }
            catch (Exception e) { Diagnostics.InternalFailure("shaper timer", e); }
        }, null, ms, Timeout.Infinite);
    }
}
