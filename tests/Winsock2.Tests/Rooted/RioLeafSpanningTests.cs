using System.Buffers.Binary;
using Winsock2.Providers.Rooted;
using Winsock2.Providers.Rooted.Wire;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// Registered I/O receives on a leaf for messages longer than one read of the connection: written straight into the
/// posted receive that holds them whole, and otherwise (a smaller slice, nothing posted yet) as before — pieces with
/// MSG_PARTIAL, or queued until a receive is posted. A receive aborted while its message is half written keeps no
/// byte written after the abort.
/// </summary>
public class RioLeafSpanningTests : RioRootedTest
{
    private static void SendAll(SOCKET root, byte[] message) => Assert.Equal(message.Length, send(root, message, message.Length, 0));

    [Fact]
    public void RIOReceiveEx_LeafMessagesLongerThanARead_EachWholeInOneReceiveWithoutMsgPartial()
    {
        var (root, addr) = RioRoot();
        var (leaf, _) = RioJoin(root, addr);
        var t = RioTable(leaf);
        var cq = NewCq(t);
        var rq = NewRq(t, leaf, cq);
        const int slot = 300_000;
        int[] sizes = [70_000, 200_000, 65_536 + 1, 131_072, 299_999];
        var data = new byte[sizes.Length * slot];
        var flags = new byte[4 * sizes.Length];
        flags.AsSpan().Fill(0xEE);
        var dataId = NewBuffer(t, data);
        var flagsId = NewBuffer(t, flags);
        for (int i = 0; i < sizes.Length; i++)
            Assert.NotEqual(0, t.RIOReceiveEx!(rq, new RIO_BUF(dataId, (uint)(i * slot), slot), 1, default, default, default,
                new RIO_BUF(flagsId, (uint)(i * 4), 4), 0, i));
        var sent = sizes.Select((n, i) => TestBytes.Pattern(n, i)).ToArray();
        foreach (var m in sent) SendAll(root, m);
        var results = Take(t, cq, sizes.Length);
        for (int i = 0; i < sizes.Length; i++)
        {
            Assert.Equal((0, (ulong)i, (uint)sizes[i]), (results[i].Status, results[i].RequestContext, results[i].BytesTransferred));
            Assert.True(sent[i].AsSpan().SequenceEqual(data.AsSpan(i * slot, sizes[i])), $"message {i} arrived changed");
            Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(flags.AsSpan(i * 4)));
        }
    }

    [Fact]
    public void RIOReceiveEx_LeafMessageLongerThanAReadAndItsSlice_PiecesWithMsgPartial()
    {
        var (root, addr) = RioRoot();
        var (leaf, _) = RioJoin(root, addr);
        var t = RioTable(leaf);
        var cq = NewCq(t);
        var rq = NewRq(t, leaf, cq);
        const int slot = 50_000;
        var data = new byte[3 * slot];
        var flags = new byte[12];
        var dataId = NewBuffer(t, data);
        var flagsId = NewBuffer(t, flags);
        for (int i = 0; i < 3; i++)
            Assert.NotEqual(0, t.RIOReceiveEx!(rq, new RIO_BUF(dataId, (uint)(i * slot), slot), 1, default, default, default,
                new RIO_BUF(flagsId, (uint)(i * 4), 4), 0, i));
        var message = TestBytes.Pattern(120_000, 7);
        SendAll(root, message);
        var results = Take(t, cq, 3);
        Assert.Equal([50_000u, 50_000u, 20_000u], results.Select(r => r.BytesTransferred));
        Assert.True(message.AsSpan().SequenceEqual(data.AsSpan(0, message.Length)));
        uint[] expected = [(uint)MSG_PARTIAL, (uint)MSG_PARTIAL, 0];
        for (int i = 0; i < 3; i++) Assert.Equal(expected[i], BinaryPrimitives.ReadUInt32LittleEndian(flags.AsSpan(i * 4)));
    }

    [Fact]
    public void RIOReceive_LeafMessageLongerThanAReadBeforeAnyReceive_WaitsThenArrivesWhole()
    {
        var (root, addr) = RioRoot();
        var (leaf, _) = RioJoin(root, addr);
        var t = RioTable(leaf);
        var cq = NewCq(t);
        var rq = NewRq(t, leaf, cq);
        var message = TestBytes.Pattern(150_000, 3);
        SendAll(root, message);
        uint queued = 0;
        Eventually(() => ioctlsocket(leaf, FIONREAD, ref queued) == 0 && queued == message.Length, "the message to wait in the leaf", 10_000);
        var data = new byte[200_000];
        var id = NewBuffer(t, data);
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, (uint)data.Length), 1, 0, 5));
        var r = Take(t, cq, 1)[0];
        Assert.Equal((0, 5ul, (uint)message.Length), (r.Status, r.RequestContext, r.BytesTransferred));
        Assert.True(message.AsSpan().SequenceEqual(data.AsSpan(0, message.Length)));
    }

    /// <summary>
    /// The leaf's reader (the provider's, while the application waits on RIONotify) is held after a later read of a
    /// long message, its first pieces already in the posted receive (the later ones read straight into it);
    /// closesocket then aborts that receive. Released, the reader writes nothing more into the receive's slice.
    /// </summary>
    [Fact]
    public void closesocket_RioLeafMidMessage_ReceiveAbortedOnceAndItsSliceNotWrittenAfter()
    {
        var (root, addr) = RioRoot();
        var (leaf, _) = RioJoin(root, addr);
        var t = RioTable(leaf);
        var cq = NewArmedCq(t, out _);
        var rq = NewRq(t, leaf, cq);
        var data = new byte[400_000];
        data.AsSpan().Fill(0xA5);
        var id = NewBuffer(t, data);
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, (uint)data.Length), 1, 0, 9));
        var conn = ContextOf<LeafSocket>(leaf).Conn!;
        using var held = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        int reads = 0, firstRead = 0;
        conn.ReadReturned = n =>
        {
            if (Interlocked.Increment(ref reads) == 1) { firstRead = n; return; }
            if (held.IsSet) return;
            held.Set();
            release.Wait(30_000); // the first piece is in the slice; this read's pieces are not handed over yet
        };
        try
        {
            var message = TestBytes.Pattern(350_000, 11);
            var sender = Run(() => send(root, message, message.Length, 0));
            Assert.True(held.Wait(10_000), "the leaf did not read the message twice");
            Ok(closesocket(leaf), "closesocket");
            var r = Take(t, cq, 1)[0];
            Assert.Equal((WSA_OPERATION_ABORTED, 9ul), (r.Status, r.RequestContext));
            int first = firstRead - Frame.HeaderSize;
            Assert.True(first > 0, $"the first read held {firstRead} bytes, not the header and a piece");
            var snapshot = data.ToArray();
            release.Set();
            Eventually(() => Volatile.Read(ref reads) >= 2 && !conn.ReadingNow, "the reader to finish its turn", 10_000);
            Assert.True(message.AsSpan(0, first).SequenceEqual(data.AsSpan(0, first)), "the first piece was not written into the slice");
            Assert.True(snapshot.AsSpan().SequenceEqual(data), "the reader wrote into the slice after the receive was aborted");
            int written = data.AsSpan().LastIndexOfAnyExcept((byte)0xA5) + 1; // what the reads before the abort put there
            Assert.True(written < message.Length, "the whole message was written, though the reader was held mid-message");
            Assert.True(message.AsSpan(0, written).SequenceEqual(data.AsSpan(0, written)), "the slice holds bytes that are not the message's");
            Assert.Empty(TakeNow(t, cq));
            sender.Join(10_000);
        }
        finally
        {
            conn.ReadReturned = null;
            release.Set();
        }
    }
}

/// <summary>The fill guard a transport takes to write into a posted receive's slice outside its lock.</summary>
public class RioReceiveFillGuardTests : RioRootedTest
{
    [Fact]
    public void TryBeginReceiveFill_OldestReceiveOnly_FalseForAnotherSequenceOrWithNoneposted()
    {
        var (root, addr) = RioRoot();
        var (leaf, _) = RioJoin(root, addr);
        var t = RioTable(leaf);
        var cq = NewCq(t);
        var rq = (Winsock2.Providers.Core.RioRequestQueue)NewRq(t, leaf, cq);
        Assert.False(rq.TryBeginReceiveFill(rq.ReceivesCompleted)); // nothing posted
        var id = NewBuffer(t, new byte[64]);
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, 64), 1, 0, 1));
        Assert.False(rq.TryBeginReceiveFill(rq.ReceivesCompleted + 1));
        Assert.True(rq.TryBeginReceiveFill(rq.ReceivesCompleted));
        Assert.False(rq.TryBeginReceiveFill(rq.ReceivesCompleted)); // one fill at a time
        rq.EndReceiveFill();
        Ok(closesocket(leaf), "closesocket");
        Assert.False(rq.TryBeginReceiveFill(rq.ReceivesCompleted));
    }

    /// <summary>closesocket while a fill is open: the abort's completion comes only after the fill ended.</summary>
    [Fact]
    public void closesocket_DuringReceiveFill_AbortCompletesOnlyAfterTheFillEnds()
    {
        var (root, addr) = RioRoot();
        var (leaf, _) = RioJoin(root, addr);
        var t = RioTable(leaf);
        var cq = NewCq(t);
        var rq = (Winsock2.Providers.Core.RioRequestQueue)NewRq(t, leaf, cq);
        var id = NewBuffer(t, new byte[64]);
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, 64), 1, 0, 7));
        Assert.True(rq.TryBeginReceiveFill(rq.ReceivesCompleted));
        bool ended = false;
        using var closing = new ManualResetEventSlim();
        var closer = Run(() =>
        {
            closing.Set();
            Ok(closesocket(leaf), "closesocket");
            Assert.True(Volatile.Read(ref ended), "closesocket returned while the fill was open");
        });
        Assert.True(closing.Wait(10_000));
        Eventually(() => rq.IsClosed, "closesocket to reach the queue", 10_000);
        Assert.Empty(TakeNow(t, cq)); // the abort waits for the fill
        Volatile.Write(ref ended, true);
        rq.EndReceiveFill();
        Assert.True(closer.Join(10_000), "closesocket did not return after the fill ended");
        var r = Take(t, cq, 1)[0];
        Assert.Equal((WSA_OPERATION_ABORTED, 7ul), (r.Status, r.RequestContext));
    }
}
