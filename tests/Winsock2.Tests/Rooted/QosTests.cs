using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>QoS on the rooted provider: SIO_SET_QOS / SIO_GET_QOS, lpSQOS at join, lowering, admission, shaping, DSCP, FD_QOS.</summary>
public class QosTests : RootedTest
{
    [Fact]
    public void SIO_SET_QOS_BeforeJoin_ReachesConditionFunction()
    {
        var (root, addr) = ListeningRoot();
        var leaf = NewLeaf();
        Ok(SetQos(leaf, Qos(Spec(50_000, SERVICETYPE_CONTROLLEDLOAD))));
        var (_, _, seen) = JoinWithQos(root, addr, null, leafIn: leaf);
        Assert.Equal(50_000u, seen!.SendingFlowspec.TokenRate);
    }

    [Fact]
    public void WSAJoinLeaf_lpSQOS_OverridesSIO_SET_QOS()
    {
        var (root, addr) = ListeningRoot();
        var leaf = NewLeaf();
        Ok(SetQos(leaf, Qos(Spec(50_000, SERVICETYPE_CONTROLLEDLOAD))));
        var (_, _, seen) = JoinWithQos(root, addr, Qos(Spec(70_000, SERVICETYPE_GUARANTEED)), leafIn: leaf);
        Assert.Equal(70_000u, seen!.SendingFlowspec.TokenRate);
        Assert.Equal(SERVICETYPE_GUARANTEED, seen.SendingFlowspec.ServiceType);
    }

    [Fact]
    public void WSAAccept_ConditionLowersFlowspec_JoinerGetsGrantedValuesAndFdQos()
    {
        var (root, addr) = ListeningRoot();
        var leaf = NewLeaf();
        var ev = NewEvent();
        Ok(WSAEventSelect(leaf, ev, FD_CONNECT | FD_QOS));
        var acceptor = Run(() => Track(WSAAccept(root, Cond((_, _, q, _) =>
        {
            q!.SendingFlowspec.TokenRate = 30_000;
            return CF_ACCEPT;
        }), 0)));
        Assert.Equal(leaf, WSAJoinLeaf(leaf, addr, addr.Length, null, null, Qos(Spec(90_000, SERVICETYPE_CONTROLLEDLOAD)), null, JL_BOTH));
        var rec = WaitEvents(leaf, ev, FD_CONNECT | FD_QOS);
        Assert.True(acceptor.Join(10_000));
        Assert.Equal(0, rec.iErrorCode[FD_CONNECT_BIT]);
        Assert.Equal(30_000u, GetQos(leaf).SendingFlowspec.TokenRate);
    }

    [Fact]
    public void WSAAccept_ConditionRaisesFlowspec_GrantCappedAtRequest()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _, _) = JoinWithQos(root, addr, Qos(Spec(10_000, SERVICETYPE_CONTROLLEDLOAD)), q => q.SendingFlowspec.TokenRate = 99_999);
        Assert.Equal(10_000u, GetQos(leaf).SendingFlowspec.TokenRate); // an acceptor may only lower
    }

    [Fact]
    public void Admission_OverCapacity_WSAEOPNOTSUPP_CapacityReturnsWhenLeafLeaves()
    {
        var (root, addr) = ListeningRoot();
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_ADMISSION_CAPACITY, 100_000));
        var (first, firstHandle, _) = JoinWithQos(root, addr, Qos(Spec(80_000, SERVICETYPE_GUARANTEED)));
        Assert.Equal(0, getsockopt(root, SOL_MULTIPOINT, MP_ADMISSION_AVAILABLE, out int left));
        Assert.Equal(20_000, left);
        var second = NewLeaf();
        Fails(WSAEOPNOTSUPP, WSAJoinLeaf(second, addr, addr.Length, null, null, Qos(Spec(50_000, SERVICETYPE_CONTROLLEDLOAD)), null, JL_BOTH));
        // best effort needs no reservation
        JoinWithQos(root, addr, Qos(Spec(50_000, SERVICETYPE_BESTEFFORT)));
        var ev = NewEvent();
        Ok(WSAEventSelect(firstHandle, ev, FD_CLOSE));
        Ok(closesocket(first));
        WaitEvents(firstHandle, ev, FD_CLOSE);
        Assert.Equal(0, getsockopt(root, SOL_MULTIPOINT, MP_ADMISSION_AVAILABLE, out left));
        Assert.Equal(100_000, left);
        JoinWithQos(root, addr, Qos(Spec(50_000, SERVICETYPE_CONTROLLEDLOAD)), leafIn: second); // the same socket may retry
    }

    [Fact]
    public void WSAJoinLeaf_InvalidFlowspec_WSAEOPNOTSUPP()
    {
        var (_, addr) = ListeningRoot();
        var leaf = NewLeaf();
        Fails(WSAEOPNOTSUPP, WSAJoinLeaf(leaf, addr, addr.Length, null, null, Qos(Spec(0, SERVICETYPE_GUARANTEED)), null, JL_BOTH));
        Fails(WSAEOPNOTSUPP, WSAJoinLeaf(leaf, addr, addr.Length, null, null, Qos(Spec(10_000, SERVICETYPE_GUARANTEED, peak: 5_000)), null, JL_BOTH));
        Assert.Equal(SOCKET_ERROR, SetQos(leaf, Qos(Spec(0, SERVICETYPE_CONTROLLEDLOAD))));
        Assert.Equal(WSAEOPNOTSUPP, WSAGetLastError());
    }

    [Fact]
    public void RootInitiated_AdmissionFailsBeforeAnythingIsSent_WSAEOPNOTSUPP()
    {
        var root = NewRoot();
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_ADMISSION_CAPACITY, 1_000));
        var (_, leafAddr) = ListeningLeaf();
        Fails(WSAEOPNOTSUPP, WSAJoinLeaf(root, leafAddr, leafAddr.Length, null, null, Qos(Spec(5_000, SERVICETYPE_GUARANTEED)), null, JL_BOTH));
    }

    [Fact]
    public void TokenBucket_GrantedRateEnforced_NonblockingSendWouldBlockThenFdWrite()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _, _) = JoinWithQos(root, addr, Qos(Spec(20_000, SERVICETYPE_CONTROLLEDLOAD, bucket: 2_000)));
        var ev = NewEvent();
        Ok(WSAEventSelect(leaf, ev, FD_WRITE));
        WaitEvents(leaf, ev, FD_WRITE); // writable at selection time
        var msg = new byte[1_000];
        int sent = 0;
        while (send(leaf, msg, msg.Length, 0) == msg.Length) Assert.True(++sent < 10, "the shaper never pushed back");
        Assert.Equal(WSAEWOULDBLOCK, WSAGetLastError());
        Assert.InRange(sent, 1, 3); // the 2,000-byte bucket lets a short burst through, then the rate applies
        WaitEvents(leaf, ev, FD_WRITE); // tokens come back: FD_WRITE
        Assert.Equal(msg.Length, send(leaf, msg, msg.Length, 0));
    }

    [Fact]
    public void ServiceType_MarksConnectionWithWindowsDscp()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, handle, _) = JoinWithQos(root, addr, Qos(Spec(10_000, SERVICETYPE_GUARANTEED), Spec(10_000, SERVICETYPE_CONTROLLEDLOAD)));
        Assert.Equal(40, Dscp(leaf));   // GUARANTEED sending → DSCP 40
        Assert.Equal(24, Dscp(handle)); // root → leaf carries the leaf's receiving type: CONTROLLEDLOAD → 24
    }

    [Fact]
    public void SIO_SET_QOS_OnLeafHandle_ChangesGrant_FdQosEachChange_ReenabledBySIO_GET_QOS()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, handle, _) = JoinWithQos(root, addr, Qos(Spec(10_000, SERVICETYPE_CONTROLLEDLOAD)));
        var ev = NewEvent();
        Ok(WSAEventSelect(leaf, ev, FD_QOS));
        GetQos(leaf); // re-enables FD_QOS
        Ok(SetQos(handle, Qos(Spec(5_000, SERVICETYPE_CONTROLLEDLOAD))));
        WaitEvents(leaf, ev, FD_QOS);
        Assert.Equal(5_000u, GetQos(leaf).SendingFlowspec.TokenRate);
        Ok(SetQos(handle, Qos(Spec(4_000, SERVICETYPE_CONTROLLEDLOAD))));
        WaitEvents(leaf, ev, FD_QOS); // recorded again: SIO_GET_QOS re-enabled it
        Assert.Equal(4_000u, GetQos(leaf).SendingFlowspec.TokenRate);
    }

    [Fact]
    public void SIO_GET_QOS_BeforeConnected_WSAENOTCONN()
    {
        var leaf = NewLeaf();
        var b = new byte[256];
        Fails(WSAENOTCONN, WSAIoctl(leaf, SIO_GET_QOS, null, 0, b, (uint)b.Length, out _, null, null));
    }

    [Fact]
    public void SIO_SET_QOS_OnTcp_WSAENOPROTOOPT()
    {
        var tcp = Track(socket(AF_INET, SOCK_STREAM, 0));
        var b = QosBuffer.ToBytes(Qos(Spec(1_000, SERVICETYPE_GUARANTEED)));
        Fails(WSAENOPROTOOPT, WSAIoctl(tcp, SIO_SET_QOS, b, (uint)b.Length, null, 0, out _, null, null));
    }

    private static int Dscp(SOCKET s)
    {
        Assert.True(Runtime.ApiInstance.Sockets.TryGet(s.Value, out var entry));
        var conn = entry.Context switch
        {
            Providers.Rooted.LeafSocket l => l.Conn,
            Providers.Rooted.LeafHandle h => h.Conn,
            _ => null,
        };
        return conn!.GetDscp();
    }
}
