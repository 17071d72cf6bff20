using Winsock2.Providers.Core;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// A blocking call that sleeps on its own socket polls a wake descriptor (an eventfd) besides it. A program that runs
/// each blocking call on a new thread — a thread per client, as ported servers often do — must not gather one
/// descriptor per thread that ever slept: they are lent per sleep and reused, so the process holds at most as many as
/// threads slept at once.
/// </summary>
public class SocketWaitDescriptorTests : RootedTest
{
    private const int Threads = 24;

    [Fact]
    public void accept_EachOnANewThreadThatSleepsAndExits_WakeDescriptorsReusedNotGathered()
    {
        var (root, addr) = ListeningRoot();
        AcceptOnANewThread(root, addr); // the first: whatever the session starts once, and a descriptor for the pool
        int before = OpenEventDescriptors();
        int madeBefore = SocketWait.Made;
        for (int i = 0; i < Threads; i++) AcceptOnANewThread(root, addr);
        // Every acceptor thread has exited; no collection is asked for: descriptors a dead thread still held would show.
        // At most two threads sleep at once here (the acceptor, and this thread while its blocking join waits).
        int grown = OpenEventDescriptors() - before, made = SocketWait.Made - madeBefore;
        Assert.True(made <= 2, $"{made} wake descriptors made for {Threads} threads that slept one after another");
        Assert.True(grown <= made, $"{grown} more eventfd descriptors open after {Threads} threads each slept once and exited ({made} made for the pool)");
    }

    /// <summary>
    /// More threads asleep at once than the pool keeps: all are woken (as closesocket or WSACancelBlockingCall wakes a
    /// blocking call), and afterwards no more than <see cref="SocketWait.MaxSpare"/> descriptors stay open.
    /// </summary>
    [Fact]
    public void SocketWait_MoreSleepersThanThePoolKeeps_EachWokenAndTheRestClosed()
    {
        const int sleepers = SocketWait.MaxSpare + 16;
        using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork,
            System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        listener.Listen(); // nothing connects: never readable
        int fd = (int)listener.Handle;
        int before = OpenEventDescriptors(), keptBefore = SocketWait.Kept; // spares from earlier sleeps are lent first
        var waiters = new Winsock2.Kernel.Waiter[sleepers];
        var threads = new Worker[sleepers];
        for (int i = 0; i < sleepers; i++)
        {
            var waiter = waiters[i] = new Winsock2.Kernel.Waiter();
            threads[i] = Run(() => Assert.Equal(0, SocketWait.Sleep(waiter, fd, Winsock2.Interop.Libc.POLLIN, 30_000)));
        }
        Eventually(() => waiters.All(w => w.Asleep), "every thread to sleep", 10_000);
        Assert.True(OpenEventDescriptors() - before + keptBefore >= sleepers, "the sleepers did not each hold a wake descriptor");
        foreach (var w in waiters) w.Wake();
        foreach (var t in threads) Assert.True(t.Join(10_000), "a sleeper was not woken");
        Assert.True(SocketWait.Kept <= SocketWait.MaxSpare, $"{SocketWait.Kept} wake descriptors kept");
        int left = OpenEventDescriptors() - before;
        Assert.True(left <= SocketWait.MaxSpare - keptBefore, $"{left} more eventfd descriptors open after {sleepers} sleepers were woken ({keptBefore} kept before)");
    }

    /// <summary>
    /// The process is out of descriptors, so no wake eventfd can be made: a blocking accept, which the reactor leaves to
    /// the accepting thread, still takes the join (its socket is still polled).
    /// </summary>
    [Fact]
    public void accept_NoWakeDescriptorToSpare_TheJoinIsStillTaken()
    {
        var (root, addr) = ListeningRoot();
        WithoutWakeDescriptors(() => AcceptOnANewThread(root, addr, asleep: false));
    }

    /// <summary>Out of descriptors as above: closesocket from another thread still ends the blocked accept (WSAEINTR).</summary>
    [Fact]
    public void accept_NoWakeDescriptorToSpare_ClosedByAnotherThread_WSAEINTR()
    {
        var (root, _) = ListeningRoot();
        WithoutWakeDescriptors(() =>
        {
            var acceptor = new BlockingAccept(root);
            Eventually(() => acceptor.Worker.InBlockingCall, "the blocking accept to wait", 10_000);
            Ok(closesocket(root));
            Assert.True(acceptor.Worker.Join(10_000), "accept did not return after closesocket");
            Assert.False(acceptor.Handle.IsValid);
            Assert.Equal(WSAEINTR, acceptor.Error);
        });
    }

    /// <summary>Runs <paramref name="body"/> as if the process could make no eventfd (SocketWait's seam), then restores it.</summary>
    private static void WithoutWakeDescriptors(Action body)
    {
        SocketWait.NoDescriptors = true;
        try { body(); }
        finally { SocketWait.NoDescriptors = false; }
    }

    /// <summary>
    /// A blocking accept on a thread of its own, waiting on the root's listener until a leaf joins — asleep in it when
    /// <paramref name="asleep"/> (else only inside the call) before the leaf joins; then the thread ends.
    /// </summary>
    private void AcceptOnANewThread(SOCKET root, byte[] addr, bool asleep = true)
    {
        var acceptor = new BlockingAccept(root);
        if (asleep) Eventually(() => acceptor.Worker.Sleeping, "the blocking accept to sleep", 10_000);
        else Eventually(() => acceptor.Worker.InBlockingCall, "the blocking accept to wait", 10_000);
        var leaf = NewLeaf();
        Assert.True(WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH).IsValid, $"join failed with {WSAGetLastError()}");
        Assert.True(acceptor.Worker.Join(10_000), "accept did not return");
        Assert.True(acceptor.Handle.IsValid, "accept failed");
        Track(acceptor.Handle);
    }

    /// <summary>The eventfd descriptors open in this process (/proc/self/fd).</summary>
    private static int OpenEventDescriptors()
    {
        int n = 0;
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is "anon_inode:[eventfd]") n++;
            }
            catch (IOException) { } // closed while listed
        }
        return n;
    }
}
