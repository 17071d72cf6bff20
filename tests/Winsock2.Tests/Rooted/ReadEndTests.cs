using Winsock2.Providers.Rooted;
using Winsock2.Providers.Rooted.Wire;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// In the join phase a read that returns less than it asked for ends the connection's read turn (the socket was
/// empty; what comes later is a readiness of its own). A FIN that arrived together with the last bytes is reported
/// with them, and the turn then reads on to the end of the stream: the end is never left unread, before the join or
/// after it.
/// </summary>
public class ReadEndTests : RootedTest
{
    [Fact]
    public void JoinRequest_FollowedAtOnceByFin_TheRequestIsWithdrawn()
    {
        var (root, addr) = ListeningRoot();
        var rootSocket = ContextOf<RootSocket>(root);
        var request = new JoinRequest(JoinDirection.LeafInitiated, JL_BOTH, [], null).Encode();
        // Request and FIN back to back, several times: most often the reactor finds both in one readiness.
        for (int i = 0; i < 20; i++)
        {
            var raw = Track(socket(AF_INET, SOCK_STREAM, 0));
            Ok(connect(raw, addr, addr.Length));
            Assert.Equal(request.Length, send(raw, request, request.Length, 0));
            Ok(shutdown(raw, SD_SEND));
        }
        // Each request was read and each end seen: nothing handshaking, nothing pending for accept.
        Eventually(() => rootSocket.Handshaking.Count == 0 && select(0, fd_set.Of(root), null, null, new timeval()) == 0,
            "every request withdrawn by its FIN");
        uint on = 1;
        Ok(ioctlsocket(root, FIONBIO, ref on));
        Fails(WSAEWOULDBLOCK, accept(root));
    }

    [Fact]
    public void JoinedLeaf_MessageThenRootGoneWithoutLeave_MessageDeliveredThenEnd()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, handle) = JoinAccepted(root, addr);
        var rootConn = ((LeafHandle)(Runtime.ApiInstance.Sockets.TryGet(handle.Value, out var e) ? e.Context! : null!)).Conn!;
        // A data frame and the FIN straight after it, without LEAVE (the root's process died after its last send).
        var frame = Frame.Make(FrameType.Data, Bytes("last"));
        rootConn.OsSocket.Send(frame);
        rootConn.OsSocket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        Assert.Equal("last", RecvText(leaf));
        Ok(setsockopt(leaf, SOL_SOCKET, SO_RCVTIMEO, 10_000));
        var b = new byte[16];
        Assert.Equal(SOCKET_ERROR, recv(leaf, b, b.Length, 0));
        Assert.Equal(WSAECONNRESET, WSAGetLastError());
    }
}
