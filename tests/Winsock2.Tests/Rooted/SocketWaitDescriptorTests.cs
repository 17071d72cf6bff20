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

    /// <summary>A blocking accept on a thread of its own, asleep on the root's listener until a leaf joins; then the thread ends.</summary>
    private void AcceptOnANewThread(SOCKET root, byte[] addr)
    {
        SOCKET handle = SOCKET.Invalid;
        var acceptor = Run(() => handle = accept(root));
        Eventually(() => acceptor.Sleeping, "the blocking accept to sleep", 10_000);
        var leaf = NewLeaf();
        Assert.True(WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH).IsValid, $"join failed with {WSAGetLastError()}");
        Assert.True(acceptor.Join(10_000), "accept did not return");
        Assert.True(handle.IsValid, "accept failed");
        Track(handle);
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
