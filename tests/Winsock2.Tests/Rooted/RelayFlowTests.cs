using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// The T.120-style entry relays a member's data to every other member: the relayed frames count against each member's
/// queue limit. Under backpressure a flooding member is made to wait while another member reads nothing; under
/// eviction that member is dropped.
/// </summary>
public class RelayFlowTests : RootedTest
{
    private (SOCKET Root, byte[] Address) RelayRoot(int policy)
    {
        const uint flags = WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_LEAF;
        var root = Track(WSASocket(AF_INET, SOCK_SEQPACKET, IPPROTO_RM_TCP_NONROOTED_DATA, null, 0, flags));
        var any = Loopback();
        Ok(bind(root, any, any.Length));
        Ok(listen(root, 16));
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_SLOW_LEAF_POLICY, policy));
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_LEAF_QUEUE_LIMIT, 1 << 20));
        Ok(setsockopt(root, SOL_SOCKET, SO_RCVTIMEO, 2_000));
        return (root, Loopback(PortOf(root)));
    }

    /// <summary>A member joined; returns it and the root's per-leaf socket for it.</summary>
    private (SOCKET Member, SOCKET Handle) Member(SOCKET root, byte[] addr)
    {
        var member = Track(WSASocket(AF_INET, SOCK_SEQPACKET, IPPROTO_RM_TCP_NONROOTED_DATA, null, 0, LeafFlags));
        SOCKET handle = SOCKET.Invalid;
        var acceptor = Run(() => handle = accept(root));
        Assert.Equal(member, WSAJoinLeaf(member, addr, addr.Length, null, null, null, null, JL_BOTH));
        Assert.True(acceptor.Join(10_000));
        return (member, Track(handle));
    }

    /// <summary>The root's application reads everything until told to stop (so only the silent member can hold the flood).</summary>
    private Worker ReadAll(SOCKET root, Func<bool> stop) => Run(() =>
    {
        var buf = new byte[20_000];
        while (!stop()) recv(root, buf, buf.Length, 0);
    });

    [Fact]
    public void Relay_BackpressurePolicy_MemberNeverReading_FloodingMemberWouldBlock()
    {
        var (root, addr) = RelayRoot(MP_POLICY_BACKPRESSURE);
        var (flooder, _) = Member(root, addr);
        Member(root, addr); // its application never reads
        bool stop = false;
        var reader = ReadAll(root, () => Volatile.Read(ref stop));
        var ev = NewEvent();
        Ok(WSAEventSelect(flooder, ev, FD_WRITE));
        var msg = new byte[16_384];
        long offered = 0;
        int error = 0;
        // Until the flooder is told to wait and no FD_WRITE follows within 2 s (the root's application reads all the
        // while, so only the relay to the silent member can hold it), or 256 MiB.
        while (offered < 256L << 20)
        {
            if (send(flooder, msg, msg.Length, 0) == msg.Length) { offered += msg.Length; continue; }
            error = WSAGetLastError();
            if (error != WSAEWOULDBLOCK || WSAWaitForMultipleEvents(1, [ev], false, 2_000, false) == WSA_WAIT_TIMEOUT) break;
            WSAResetEvent(ev);
        }
        Volatile.Write(ref stop, true);
        Assert.True(reader.Join(30_000));
        Assert.Equal(WSAEWOULDBLOCK, error); // relayed data counts: the flooder is told to wait, and stays told
        Assert.True(offered < 64L << 20, $"the flooding member sent {offered >> 20} MiB through a relay to a member that reads nothing");
    }

    [Fact]
    public void Relay_EvictPolicy_MemberNeverReading_Evicted()
    {
        var (root, addr) = RelayRoot(MP_POLICY_EVICT);
        var (flooder, _) = Member(root, addr);
        var (_, silentHandle) = Member(root, addr); // its application never reads
        var ev = NewEvent();
        Ok(WSAEventSelect(silentHandle, ev, FD_CLOSE));
        bool stop = false;
        var reader = ReadAll(root, () => Volatile.Read(ref stop));
        var msg = new byte[16_384];
        long offered = 0;
        Ok(setsockopt(flooder, SOL_SOCKET, SO_SNDTIMEO, 30_000));
        while (offered < 256L << 20 && WSAWaitForMultipleEvents(1, [ev], false, 0, false) == WSA_WAIT_TIMEOUT)
        {
            Assert.Equal(msg.Length, send(flooder, msg, msg.Length, 0));
            offered += msg.Length;
        }
        Volatile.Write(ref stop, true);
        Assert.True(reader.Join(30_000));
        Assert.Equal(WSAECONNABORTED, WaitEvents(silentHandle, ev, FD_CLOSE).iErrorCode[FD_CLOSE_BIT]);
        Assert.True(offered < 256L << 20, "the member that reads nothing was never evicted");
    }
}
