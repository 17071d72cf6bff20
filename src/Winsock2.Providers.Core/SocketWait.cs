using Microsoft.Win32.SafeHandles;
using Winsock2.Interop;
using Winsock2.Kernel;

namespace Winsock2.Providers.Core;

/// <summary>
/// A blocking call's sleep on its own socket: poll(2) on the socket's descriptor and on the thread's wake descriptor
/// (an eventfd its <see cref="Waiter"/> writes when woken), so the call does its socket's work itself when it wakes,
/// while closesocket, WSACancelBlockingCall and APCs still end the sleep as they end <see cref="Waiter.Sleep"/>.
/// </summary>
internal static unsafe class SocketWait
{
    /// <summary>The calling thread's wake descriptor (made on its first socket sleep; closed when the thread's state is collected).</summary>
    [ThreadStatic] private static WakeDescriptor? t_wake;

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
        var wake = t_wake;
        if (wake is null)
        {
            wake = WakeDescriptor.Create();
            if (wake is null)
            {
                waiter.Sleep(milliseconds); // no descriptor to spare: sleep as any blocking call does
                return;
            }
            t_wake = wake;
            waiter.WakeElsewhere = wake.Signal;
        }
        if (!waiter.BeginSleepElsewhere()) return;
        int n = sockets.Length + 1;
        var fds = n <= 32 ? stackalloc Libc.pollfd[n] : new Libc.pollfd[n];
        sockets.CopyTo(fds);
        fds[^1] = new Libc.pollfd { fd = wake.Fd, events = Libc.POLLIN };
        int rc;
        fixed (Libc.pollfd* p = fds) rc = Libc.poll(p, (nuint)n, milliseconds);
        waiter.EndSleepElsewhere();
        if (rc <= 0) return; // timed out, or EINTR: the caller looks again
        if ((fds[^1].revents & Libc.POLLIN) != 0) wake.Drain();
        fds[..^1].CopyTo(sockets);
    }

    /// <summary>One thread's eventfd: written by whoever wakes the thread, drained by the thread.</summary>
    private sealed class WakeDescriptor : SafeHandleZeroOrMinusOneIsInvalid
    {
        private WakeDescriptor(int fd) : base(ownsHandle: true) => SetHandle(fd);

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

        /// <summary>Reads the count back to 0 (the owning thread, after a poll reported it).</summary>
        public void Drain()
        {
            ulong count;
            Libc.read(Fd, &count, sizeof(ulong));
        }

        protected override bool ReleaseHandle() => Libc.close((int)handle) == 0;
    }
}
