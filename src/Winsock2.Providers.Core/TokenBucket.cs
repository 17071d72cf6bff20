namespace Winsock2.Providers.Core;

/// <summary>
/// The sending side's shaper for a granted flowspec: a token bucket (TokenRate bytes/s, TokenBucketSize bytes)
/// and a peak-rate limiter (PeakBandwidth bytes/s). A message may leave when the bucket is not in debt; it then
/// takes its size in tokens (the bucket may go negative by one message), so the long-run rate is TokenRate,
/// bursts are bounded by TokenBucketSize, and back-to-back messages are spaced at PeakBandwidth.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double _rate, _size, _peak;
    private double _tokens, _peakDebt;
    private long _last;

    private TokenBucket(double rate, double size, double peak)
    {
        _rate = rate;
        _size = size;
        _peak = peak;
        _tokens = size;
        _last = Environment.TickCount64;
    }

    /// <summary>A shaper for the flowspec, or null when it sets no finite rate.</summary>
    public static TokenBucket? For(FLOWSPEC f)
    {
        if (!Flowspecs.HasRate(f.TokenRate)) return null;
        double size = Flowspecs.HasRate(f.TokenBucketSize) ? f.TokenBucketSize : f.TokenRate;
        double peak = Flowspecs.HasRate(f.PeakBandwidth) ? f.PeakBandwidth : 0;
        return new TokenBucket(f.TokenRate, Math.Max(1, size), peak);
    }

    private void Refill(long now)
    {
        double dt = (now - _last) / 1000.0;
        _last = now;
        _tokens = Math.Min(_size, _tokens + dt * _rate);
        if (_peak > 0) _peakDebt = Math.Max(0, _peakDebt - dt * _peak);
    }

    /// <summary>Milliseconds until a message may be sent (0 = now).</summary>
    public int DelayMs(long now)
    {
        Refill(now);
        double wait = 0;
        if (_tokens < 0) wait = -_tokens / _rate;
        if (_peak > 0 && _peakDebt > 0) wait = Math.Max(wait, _peakDebt / _peak);
        return wait <= 0 ? 0 : (int)Math.Ceiling(wait * 1000);
    }

    /// <summary>Takes a sent message's tokens.</summary>
    public void Consume(int bytes)
    {
        _tokens -= bytes;
        if (_peak > 0) _peakDebt += bytes;
    }
}
