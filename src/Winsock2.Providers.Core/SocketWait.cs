using Microsoft.Win32.SafeHandles;
using Winsock2.Interop;
using Winsock2.Kernel;

namespace Winsock2.Providers.Core;

/// <summary>
/// A blocking call's sleep on its own socket: poll(2) on the socket's descriptor and on a wake descriptor (an eventfd
/// the thread's <see cref="Waiter"/> writes when woken), so the call does its socket's work itself when it wakes, while
/// closesocket, WSACancelBlockingCall and APCs still end the sleep as they end <see cref="Waiter.Sleep"/>. Wake
/// descriptors are lent for one sleep from a process-wide pool and given back after it: they number at most the
/// threads asleep at once, and at most <see cref="MaxSpare"/> stay open between sleeps. A thread that exits holds none,
/// so a program that runs each blocking call on a new thread does not gather descriptors until a collection. A wake
/// meant for the previous borrower may reach the next one: its sleep returns early and its caller looks again, as after
/// any wake.
/// </summary>
internal static unsafe class SocketWait
{
    /// <summary>Wake descriptors not lent out (made as sleeps need them; kept for the next), and its lock.</summary>
    private static readonly Stack<WakeDescriptor> Spare = new();
    private static readonly Lock SpareGate = new();

    /// <summary>The most wake descriptors kept for reuse: one given back while this many wait is closed.</summary>
    public const int MaxSpare = 64;

    /// <summary>Wake descriptors kept for reuse now (tests and diagnostics).</summary>
    public static int Kept
    {
        get
        {
            lock (SpareGate) return Spare.Count;
        }
    }

    /// <summary>Wake descriptors made so far (tests and diagnostics): the most that slept at once.</summary>
    public static int Made => Volatile.Read(ref _made);
    private static int _made;

    /// <summary>
    /// Sleeps until <paramref name="fd"/> reports one of <paramref name="events"/> (or an error or hang-up), the
    /// thread is woken, or <paramref name="milliseconds"/> pass (-1 = forever): the socket's revents, 0 when it reported
    /// nothing. The descriptor is only polled (never read through this number): one closed meanwhile at worst gives a
    /// spurious return, and whoever closes it wakes the thread.
    /// </summary>
    public static short Sleep(Waiter waiter, int fd, short events, int milliseconds)
    {
        var one = new Libc.pollfd { fd = fd, events = events };
        Sleep(waiter, new Span<Libc.pollfd>(&one, 1), milliseconds);
        return one.revents;
    }

    /// <summary>
    /// <see cref="Sleep(Waiter, int, short, int)"/> on several descriptors: each entry's revents is what it reported
    /// (all 0 when the thread was woken, the time passed, or nothing was reported).
    /// </summary>
    public static void Sleep(Waiter waiter, Span<Libc.pollfd> sockets, int milliseconds)
    {
        foreach (ref var s in sockets) s.revents = 0;
        WakeDescriptor? wake;
        lock (SpareGate) Spare.TryPop(out wake);
        if (wake is null)
        {
            wake = NoDescriptors ? null : WakeDescriptor.Create();
            if (wake is null)
            {
                SleepWithoutWakeDescriptor(waiter, sockets, milliseconds);
                return;
            }
            Interlocked.Increment(ref _made);
        }
        try
        {
            int n = sockets.Length + 1;
            var fds = n <= 32 ? stackalloc Libc.pollfd[n] : new Libc.pollfd[n]; // before the sleep is announced: nothing throws inside it
            sockets.CopyTo(fds);
            fds[^1] = new Libc.pollfd { fd = wake.Fd, events = Libc.POLLIN };
            waiter.WakeElsewhere = wake.SignalAction; // before the sleep is announced (BeginSleepElsewhere fences)
            if (!waiter.BeginSleepElsewhere()) return;
            int rc;
            fixed (Libc.pollfd* p = fds) rc = Libc.poll(p, (nuint)n, milliseconds);
            // A wake that raced the poll's return may still be on its way to this descriptor, perhaps after the next
            // borrower has it: the state it set is consumed here (a full fence), and every caller looks at its condition
            // again before it sleeps again, so the wake is not lost; the next borrower at worst returns early.
            waiter.EndSleepElsewhere();
            if (rc <= 0) return; // timed out, or EINTR: the caller looks again
            if ((fds[^1].revents & Libc.POLLIN) != 0) wake.Drain();
            fds[..^1].CopyTo(sockets);
        }
        finally
        {
            bool kept;
            lock (SpareGate)
            {
                kept = Spare.Count < MaxSpare;
                if (kept) Spare.Push(wake);
            }
            if (!kept) wake.Dispose(); // a late wake finds it closed and does nothing
        }
    }

    /// <summary>Test seam: behave as if no eventfd could be made (the process is out of descriptors).</summary>
    internal static bool NoDescriptors;

    /// <summary>The longest poll of <see cref="SleepWithoutWakeDescriptor"/>: how late a wake may be seen then.</summary>
    public const int NoDescriptorSliceMs = 50;

    /// <summary>
    /// No eventfd could be made (the process is out of descriptors): the sockets are polled alone, in slices of at most
    /// <see cref="NoDescriptorSliceMs"/>, so their readiness is still seen and a wake (closesocket,
    /// WSACancelBlockingCall, an APC) is seen when the slice ends — the caller looks again after each — instead of a
    /// sleep that watches nothing while the reactor has left the sockets to this thread.
    /// </summary>
    private static void SleepWithoutWakeDescriptor(Waiter waiter, Span<Libc.pollfd> sockets, int milliseconds)
    {
        if (waiter.TakePendingWake()) return; // a wake came before the sleep: the caller looks again at once
        int slice = milliseconds < 0 || milliseconds > NoDescriptorSliceMs ? NoDescriptorSliceMs : milliseconds;
        int rc;
        fixed (Libc.pollfd* p = sockets) rc = Libc.poll(p, (nuint)sockets.Length, slice);
        if (rc <= 0) foreach (ref var s in sockets) s.revents = 0;
    }

    /// <summary>A wake eventfd: written by whoever wakes the thread that borrowed it, drained by that thread.</summary>
    private sealed class WakeDescriptor : SafeHandleZeroOrMinusOneIsInvalid
    {
        private WakeDescriptor(int fd) : base(ownsHandle: true)
        {
            SetHandle(fd);
            SignalAction = Signal;
        }

        /// <summary><see cref="Signal"/> as the waiter's wake action (made once, not per sleep).</summary>
        public Action SignalAction { get; }

        public int Fd => (int)handle;

        public static WakeDescriptor? Create()
        {
            int fd = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
            return fd < 0 ? null : new WakeDescriptor(fd);
        }

        /// <summary>Makes the descriptor readable (from any thread); nothing once it is closed.</summary>
        public void Signal()
        {
            bool held = false;
            try
            {
                DangerousAddRef(ref held);
                ulong one = 1;
                Libc.write(Fd, &one, sizeof(ulong));
            }
            catch (ObjectDisposedException) { }
            finally
            {
                if (held) DangerousRelease();
            }
        }

        /// <summary>Reads the count back to 0 (the borrowing thread, after a poll reported it).</summary>
        public void Drain()
        {
            ulong count;
            Libc.read(Fd, &count, sizeof(ulong));
        }

        protected override bool ReleaseHandle() => Libc.close((int)handle) == 0;
    }
}
