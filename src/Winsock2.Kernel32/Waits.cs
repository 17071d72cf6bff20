namespace Winsock2.Kernel;

/// <summary>Waits on event objects, alertably or not (WaitForMultipleObjectsEx's part), and blocking-call waits.</summary>
internal static class Waits
{
    /// <summary>How many times a blocking call looks for its completion before it sleeps.</summary>
    private const int SpinBeforeSleep = 30;

    /// <summary>Waits for any or all of <paramref name="events"/>; returns WSA_WAIT_EVENT_0 + index, WSA_WAIT_TIMEOUT or WSA_WAIT_IO_COMPLETION.</summary>
    public static uint WaitForEvents(EventObject[] events, bool waitAll, uint timeoutMs, bool alertable)
    {
        var ctx = ThreadContext.Current;
        var deadline = Deadline(timeoutMs);
        foreach (var e in events) e.AddWaiter(ctx.Waiter);
        try
        {
            while (true)
            {
                if (waitAll)
                {
                    if (Array.TrueForAll(events, e => e.IsSignaled)) return Ws2Spi.WSA_WAIT_EVENT_0;
                }
                else
                {
                    for (int i = 0; i < events.Length; i++)
                        if (events[i].IsSignaled) return Ws2Spi.WSA_WAIT_EVENT_0 + (uint)i;
                }
                if (alertable && ctx.HasApcs && ctx.RunApcs() > 0) return Ws2Spi.WSA_WAIT_IO_COMPLETION;
                int left = Remaining(deadline);
                if (left == 0) return Ws2Spi.WSA_WAIT_TIMEOUT;
                ctx.Waiter.Sleep(left);
            }
        }
        finally
        {
            foreach (var e in events) e.RemoveWaiter(ctx.Waiter);
        }
    }

    /// <summary>SleepEx: 0 on timeout, WSA_WAIT_IO_COMPLETION if alertable and APCs ran.</summary>
    public static uint SleepEx(uint timeoutMs, bool alertable)
    {
        var ctx = ThreadContext.Current;
        if (alertable && ctx.HasApcs && ctx.RunApcs() > 0) return Ws2Spi.WSA_WAIT_IO_COMPLETION; // before reading the clock
        var deadline = Deadline(timeoutMs);
        for (bool first = true; ; first = false)
        {
            if (!first && alertable && ctx.HasApcs && ctx.RunApcs() > 0) return Ws2Spi.WSA_WAIT_IO_COMPLETION;
            int left = Remaining(deadline);
            if (left == 0) return 0;
            if (alertable) ctx.Waiter.Sleep(left);
            else Thread.Sleep(left);
        }
    }

    /// <summary>
    /// The wait of a blocking Winsock call: alertable (queued completion routines run meanwhile), until
    /// <paramref name="done"/> holds or the timeout passes. Returns 0, WSAETIMEDOUT, WSAEINTR (cancelled),
    /// or WSAEINPROGRESS when called from an APC while another blocking call is in progress on this thread.
    /// Whoever makes <paramref name="done"/> true must wake <see cref="ThreadContext.Waiter"/>.
    /// </summary>
    public static int BlockingWait<TState>(TState state, Func<TState, bool> done, int timeoutMs) =>
        BlockingWait(state, done, timeoutMs, null);

    /// <summary>
    /// <see cref="BlockingWait{TState}(TState, Func{TState, bool}, int)"/> with its own sleep: <paramref name="sleep"/>(state,
    /// milliseconds or -1) replaces the waiter's, and must end when <see cref="ThreadContext.Waiter"/> is woken (through
    /// <see cref="Waiter.BeginSleepElsewhere"/>) so closesocket, WSACancelBlockingCall and APCs still end or interrupt it.
    /// A call that waits for its own socket sleeps on the socket's readiness too, and does the work itself when it wakes.
    /// </summary>
    public static int BlockingWait<TState>(TState state, Func<TState, bool> done, int timeoutMs, Action<TState, int>? sleep)
    {
        var ctx = ThreadContext.Current;
        if (ctx.BlockingDepth > 0 && ctx.ApcDepth > 0) return Ws2Spi.WSAEINPROGRESS;
        var deadline = timeoutMs <= 0 ? long.MaxValue : Environment.TickCount64 + timeoutMs;
        ctx.BlockingDepth++;
        ctx.CancelBlocking = false;
        try
        {
            // A completion is often microseconds away (the reactor is handing data over): look a few times
            // before paying for a sleep and a wake-up.
            // A call with its own sleep does the work itself when it wakes: nobody else makes done true meanwhile.
            var spinner = new SpinWait();
            for (int i = sleep is null ? 0 : SpinBeforeSleep; i < SpinBeforeSleep && !done(state) && !ctx.HasApcs; i++) spinner.SpinOnce(sleep1Threshold: -1);
            while (!done(state))
            {
                if (ctx.HasApcs) ctx.RunApcs();
                if (done(state)) break;
                if (ctx.CancelBlocking) return Ws2Spi.WSAEINTR;
                int left = deadline == long.MaxValue ? -1 : (int)Math.Max(0, deadline - Environment.TickCount64);
                if (left == 0) return Ws2Spi.WSAETIMEDOUT;
                if (sleep is null) ctx.Waiter.Sleep(left);
                else sleep(state, left);
            }
            return 0;
        }
        finally
        {
            ctx.BlockingDepth--;
            ctx.CancelBlocking = false;
        }
    }

    private static long Deadline(uint timeoutMs) =>
        timeoutMs == Ws2Spi.WSA_INFINITE ? long.MaxValue : Environment.TickCount64 + timeoutMs;

    private static int Remaining(long deadline)
    {
        if (deadline == long.MaxValue) return -1;
        return (int)Math.Clamp(deadline - Environment.TickCount64, 0, int.MaxValue);
    }
}
