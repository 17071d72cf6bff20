using Winsock2.Providers.Rooted;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// A leaf's inbox on the plain receive path: messages queued as entries over shared chunks, taken by a receive without
/// the session lock when no receive is posted before it — every rule of the inbox holds on that path (order, content,
/// MSG_PARTIAL, FIONREAD, peek, SO_RCVBUF pause and resume).
/// </summary>
public class LeafInboxTests : RootedTest
{
    /// <summary>Message i: its length (0, small, or larger than a quarter chunk) and bytes derived from i.</summary>
    private static byte[] MessageOf(int i)
    {
        int length = (i % 7) switch { 0 => 0, 1 => 1, 2 => 64, 3 => 1024, 4 => 20_000, 5 => 4095, _ => 65_536 + 3 };
        var b = new byte[length];
        for (int k = 0; k < b.Length; k++) b[k] = (byte)(i * 31 + k);
        return b;
    }

    [Fact]
    public void recv_LeafBurstOfMixedSizes_EveryMessageWholeAndInOrder()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        const int count = 300;
        var sender = Run(() =>
        {
            for (int i = 0; i < count; i++)
            {
                var m = MessageOf(i);
                Assert.Equal(m.Length, send(root, m, m.Length, 0));
            }
        });
        var buf = new byte[70_000];
        for (int i = 0; i < count; i++)
        {
            var want = MessageOf(i);
            int n = recv(leaf, buf, buf.Length, 0);
            Assert.True(n == want.Length, $"message {i}: recv returned {n} ({WSAGetLastError()}), expected {want.Length}");
            Assert.True(buf.AsSpan(0, n).SequenceEqual(want), $"message {i}: content differs");
        }
        Assert.True(sender.Join(30_000), "the root's sends did not finish");
    }

    [Fact]
    public void WSARecv_LeafShortBuffer_PiecesWithMsgPartialAndFionreadOfTheRest()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        SendText(root, "0123456789abcdefghijKLMNO");
        SendText(root, "next");
        var conn = ContextOf<LeafSocket>(leaf).Conn!;
        Eventually(() => conn.Unread == 25 + 4 + 2 * RootedLimits.MessageOverhead, "both messages at the leaf");
        var buf = new byte[10];
        var expect = new[] { ("0123456789", MSG_PARTIAL, 15u), ("abcdefghij", MSG_PARTIAL, 5u), ("KLMNO", 0, 4u) };
        foreach (var (text, partial, left) in expect)
        {
            uint flags = 0;
            Assert.Equal(0, WSARecv(leaf, [new WSABUF(buf)], 1, out uint got, ref flags, null, null));
            Assert.Equal(text, Text(buf, (int)got));
            Assert.Equal(partial, (int)flags);
            // FIONREAD: the bytes left of the first message (the rest of this one, then the next whole).
            uint avail = 0;
            Ok(ioctlsocket(leaf, FIONREAD, ref avail));
            Assert.Equal(left, avail);
        }
        Assert.Equal("next", RecvText(leaf));
    }

    [Fact]
    public void recv_BlockingPeekThatWaited_LeavesTheMessageForTheNextReceive()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        Ok(setsockopt(leaf, SOL_SOCKET, SO_RCVTIMEO, 10_000)); // a regression fails instead of hanging
        var peeked = new byte[32];
        int n = -1;
        var peeker = Run(() => n = recv(leaf, peeked, peeked.Length, MSG_PEEK));
        // Whether the peek is already waiting or not when the message comes, it must not take it.
        SendText(root, "peek me");
        Assert.True(peeker.Join(10_000), "the peek did not return");
        Assert.Equal("peek me", Text(peeked, n));
        Assert.Equal("peek me", RecvText(leaf));
        SendText(root, "after");
        Assert.Equal("after", RecvText(leaf));
    }

    [Fact]
    public void recv_DrainingAPausedLeaf_ResumesReadingAndLosesNothing()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        Ok(setsockopt(leaf, SOL_SOCKET, SO_RCVBUF, 16 * 1024));
        const int count = 2_000;
        var sender = Run(() =>
        {
            var m = new byte[1024];
            for (int i = 0; i < count; i++)
            {
                BitConverter.TryWriteBytes(m, i);
                Assert.Equal(m.Length, send(root, m, m.Length, 0));
            }
        });
        var conn = ContextOf<LeafSocket>(leaf).Conn!;
        Eventually(() => conn.ReadPaused, "the leaf to stop reading at SO_RCVBUF", 10_000);
        Assert.True(conn.Unread <= RootedLimits.ReceiveBound(16 * 1024), $"{conn.Unread} bytes unread");
        var buf = new byte[2048];
        for (int i = 0; i < count; i++)
        {
            int n = recv(leaf, buf, buf.Length, 0);
            Assert.True(n == 1024, $"message {i}: recv returned {n} ({WSAGetLastError()})");
            Assert.Equal(i, BitConverter.ToInt32(buf));
        }
        Assert.True(sender.Join(30_000), "the root's sends did not finish");
        Assert.Equal(0, conn.Unread);
    }
}
