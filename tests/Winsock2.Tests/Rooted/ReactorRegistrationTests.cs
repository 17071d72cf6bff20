using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Winsock2.Interop;
using Winsock2.Providers.Core;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// A connection's reactor registration is its own: when it ends, it never takes away the registration of another socket
/// that got its descriptor number since (its own descriptor closed underneath it, the number reused).
/// </summary>
public partial class ReactorRegistrationTests : RootedTest
{
    [LibraryImport("libc", SetLastError = true)] private static partial int fcntl(int fd, int cmd, int arg);

    /// <summary>fcntl: a new descriptor, the lowest free number from arg on, close-on-exec.</summary>
    private const int F_DUPFD_CLOEXEC = 1030;

    private sealed class InputSeen : IReadyHandler
    {
        public readonly ManualResetEventSlim Readable = new();
        public void OnReady(uint events)
        {
            if ((events & Libc.EPOLLIN) != 0) Readable.Set();
        }
    }

    [SkippableFact]
    public void Terminate_DescriptorClosedUnderneath_SocketNowOnItsNumberStaysWatched()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        var conn = ContextOf<Providers.Rooted.LeafSocket>(leaf).Conn!;
        int number = conn.Fd;
        using var successor = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        successor.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        // The leaf's descriptor is closed underneath the provider (as a test that cuts the link does), and the number
        // goes to another socket at once: the lowest free number from there on is that one unless another thread took it.
        conn.OsSocket.Dispose();
        int reused = fcntl((int)successor.Handle, F_DUPFD_CLOEXEC, number);
        Assert.True(reused >= 0, $"fcntl failed with {Marshal.GetLastSystemError()}");
        try
        {
            Skip.If(reused != number, $"another thread took descriptor {number} first");
            var seen = new InputSeen();
            ulong id = Reactor.Shared.Register(reused, seen, Libc.EPOLLIN);
            Assert.NotEqual(0ul, id);
            try
            {
                lock (conn.Owner.Gate) conn.Abort(); // the leaf's connection ends, and stops watching what it watched
                Assert.True(conn.IsTerminated);
                using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                sender.SendTo(new byte[1], successor.LocalEndPoint!);
                Assert.True(seen.Readable.Wait(10_000), "the socket now on the closed descriptor's number is no longer watched");
            }
            finally
            {
                Reactor.Shared.Unregister(reused, id);
            }
        }
        finally
        {
            Libc.close(reused);
        }
    }
}
