using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Winsock2.Providers.Rooted.Wire;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// QoS per direction under the root's admission: every grant (at join, and every SIO_SET_QOS from either end) is
/// decided by the root's capacity, never above what was asked; a refusal keeps the old grant; SIO_GET_QOS says what is
/// enforced; the per-leaf socket and the root's connection to a leaf are shaped by that leaf's receiving grant.
/// </summary>
public class QosAdmissionTests : RootedTest
{
    private static int Available(SOCKET root)
    {
        Assert.Equal(0, getsockopt(root, SOL_MULTIPOINT, MP_ADMISSION_AVAILABLE, out int v));
        return v;
    }

    [Fact]
    public void SIO_SET_QOS_LeafJoinedWithoutFlowspecOverCapacity_WSAEOPNOTSUPP_NothingGranted()
    {
        var (root, addr) = ListeningRoot();
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_ADMISSION_CAPACITY, 1_000));
        var (leaf, handle) = JoinAccepted(root, addr);
        Fails(WSAEOPNOTSUPP, SetQos(leaf, Qos(Spec(50_000, SERVICETYPE_GUARANTEED))));
        Assert.Equal(QOS_NOT_SPECIFIED, GetQos(leaf).SendingFlowspec.TokenRate); // no grant, as before
        Assert.Equal(QOS_NOT_SPECIFIED, GetQos(handle).SendingFlowspec.TokenRate);
        Assert.Equal(1_000, Available(root));
    }

    [Fact]
    public void SIO_SET_QOS_LeafWithinCapacity_GrantedExactly_FdQosOnBothEnds()
    {
        var (root, addr) = ListeningRoot();
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_ADMISSION_CAPACITY, 1_000));
        var (leaf, handle) = JoinAccepted(root, addr);
        var leafEv = NewEvent();
        var handleEv = NewEvent();
        Ok(WSAEventSelect(leaf, leafEv, FD_QOS));
        Ok(WSAEventSelect(handle, handleEv, FD_QOS));
        Ok(SetQos(leaf, Qos(Spec(600, SERVICETYPE_GUARANTEED))));
        WaitEvents(leaf, leafEv, FD_QOS);
        WaitEvents(handle, handleEv, FD_QOS);
        Assert.Equal(600u, GetQos(leaf).SendingFlowspec.TokenRate);
        Assert.Equal(600u, GetQos(handle).SendingFlowspec.TokenRate);
        Assert.Equal(400, Available(root));
        // A second ask beyond what is left is refused, and the first grant stays in force.
        Fails(WSAEOPNOTSUPP, SetQos(leaf, Qos(Spec(1_200, SERVICETYPE_GUARANTEED))));
        Assert.Equal(600u, GetQos(leaf).SendingFlowspec.TokenRate);
        Assert.Equal(400, Available(root));
        // Lowering it gives the difference back.
        Ok(SetQos(leaf, Qos(Spec(100, SERVICETYPE_GUARANTEED))));
        Assert.Equal(900, Available(root));
    }

    [Fact]
    public void SIO_SET_QOS_PerLeafSocket_LeafSendingGrantDoesNotThrottleSideChat()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, handle) = JoinAccepted(root, addr);
        // The leaf → root direction is slow; root → leaf is not shaped.
        Ok(SetQos(handle, Qos(Spec(100, SERVICETYPE_CONTROLLEDLOAD, bucket: 100))));
        uint on = 1;
        Ok(ioctlsocket(handle, FIONBIO, ref on));
        var msg = new byte[500];
        for (int i = 0; i < 10; i++) Assert.Equal(msg.Length, send(handle, msg, msg.Length, 0));
        Ok(setsockopt(leaf, SOL_SOCKET, SO_RCVTIMEO, 30_000));
        for (int i = 0; i < 10; i++) Assert.Equal(msg.Length, recv(leaf, new byte[600], 600, 0));
    }

    [Fact]
    public void Send_RootFanOut_PacedByLeafReceivingGrant_RootPushedBack()
    {
        var (root, addr) = ListeningRoot();
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_LEAF_QUEUE_LIMIT, 64 * 1024));
        var (leaf, _, _) = JoinWithQos(root, addr,
            Qos(FLOWSPEC.NotSpecified(SERVICETYPE_BESTEFFORT), Spec(2_000, SERVICETYPE_CONTROLLEDLOAD, bucket: 2_000)));
        uint on = 1;
        Ok(ioctlsocket(root, FIONBIO, ref on));
        var msg = new byte[1_000];
        int sent = 0;
        // The leaf's connection writes at 2,000 B/s: the root's 64 KiB queue fills long before 1,000 messages.
        while (send(root, msg, msg.Length, 0) == msg.Length) Assert.True(++sent < 1_000, "the root was never pushed back");
        Assert.Equal(WSAEWOULDBLOCK, WSAGetLastError());
        Ok(setsockopt(leaf, SOL_SOCKET, SO_RCVTIMEO, 30_000));
        Assert.Equal(msg.Length, recv(leaf, new byte[2_000], 2_000, 0)); // and the leaf gets them, at its pace
    }

    [Fact]
    public void WSAJoinLeaf_RootInitiated_RemoteClaimsMoreThanAsked_GrantAndReservationCapped()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var done = new ManualResetEventSlim();
        try
        {
            // A leaf that answers the invitation claiming a 50,000 B/s grant for a 500 B/s request.
            var fakeLeaf = Run(() =>
            {
                using var peer = listener.AcceptTcpClient();
                using var s = peer.GetStream();
                var header = new byte[Frame.HeaderSize];
                s.ReadExactly(header);
                s.ReadExactly(new byte[BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4))]);
                s.Write(new JoinAccept([], Qos(Spec(50_000, SERVICETYPE_GUARANTEED), Spec(50_000, SERVICETYPE_GUARANTEED))).Encode());
                done.Wait(30_000);
            });
            var root = NewRoot();
            Ok(setsockopt(root, SOL_MULTIPOINT, MP_ADMISSION_CAPACITY, 10_000));
            var addr = Loopback(((IPEndPoint)listener.LocalEndpoint).Port);
            var handle = Track(WSAJoinLeaf(root, addr, addr.Length, null, null,
                Qos(Spec(500, SERVICETYPE_GUARANTEED), FLOWSPEC.NotSpecified(SERVICETYPE_BESTEFFORT)), null, JL_BOTH));
            Assert.Equal(500u, GetQos(handle).SendingFlowspec.TokenRate);
            Assert.Equal(9_500, Available(root));
            done.Set();
            Assert.True(fakeLeaf.Join(10_000));
        }
        finally { listener.Stop(); }
    }

    [Fact]
    public void SIO_SET_QOS_Root_SendingFlowspecShapesFanOut_SIO_GET_QOSSaysSo()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        Ok(SetQos(root, Qos(Spec(200, SERVICETYPE_CONTROLLEDLOAD, bucket: 2_000))));
        Assert.Equal(200u, GetQos(root).SendingFlowspec.TokenRate);
        uint on = 1;
        Ok(ioctlsocket(root, FIONBIO, ref on));
        var msg = new byte[1_000];
        int sent = 0;
        while (send(root, msg, msg.Length, 0) == msg.Length) Assert.True(++sent < 10, "the shaper never pushed back");
        Assert.Equal(WSAEWOULDBLOCK, WSAGetLastError());
        Assert.InRange(sent, 1, 3); // the 2,000-byte bucket lets a short burst through, then 200 B/s applies
        Assert.Equal(msg.Length, recv(leaf, new byte[2_000], 2_000, 0));
    }
}
