namespace Winsock2.Runtime;

/// <summary>One thread's wake-up signal: event objects and APC queues poke it, the thread sleeps on it.</summary>
internal sealed class Waiter
{
    private readonly object _gate = new();
    private bool _woken;

    /// <summary>Wakes the thread if it sleeps, or makes its next sleep return at once.</summary>
    public void Wake()
    {
        lock (_gate)
        {
            _woken = true;
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>Sleeps until woken or until <paramref name="milliseconds"/> pass (-1 = forever).</summary>
    public void Sleep(int milliseconds)
    {
        lock (_gate)
        {
            if (!_woken && milliseconds != 0) Monitor.Wait(_gate, milliseconds);
            _woken = false;
        }
    }
}
