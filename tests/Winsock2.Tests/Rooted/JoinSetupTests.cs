using System.Net;
using Winsock2.Providers.Rooted;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// What a join sets up without asking the kernel again: the addresses each side reports (the joiner's peer is the
/// address it joined, the accepting side's peer the one accept returned), TCP_NODELAY on every member connection
/// (an accepted one has it from its listener), and the condition function's callee buffer, which is the thread's
/// own from one accept to the next and starts empty each time.
/// </summary>
public class JoinSetupTests : RootedTest
{
    private static IPEndPoint Name(SOCKET s, bool peer)
    {
        var b = new byte[128];
        int len = b.Length;
        Ok(peer ? getpeername(s, b, ref len) : getsockname(s, b, ref len), peer ? "getpeername" : "getsockname");
        return SockAddr.ToEndPoint(b.AsSpan(0, len).ToArray());
    }

    [Fact]
    public void getpeername_LeafInitiatedJoin_EachSideReportsTheOther()
    {
        var (root, addr) = ListeningRoot();
        var leaf = NewLeaf();
        SOCKET handle = SOCKET.Invalid;
        var from = new byte[128];
        int fromLen = from.Length;
        var acceptor = Run(() => handle = accept(root, from, ref fromLen));
        Assert.Equal(leaf, WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH));
        Assert.True(acceptor.Join(10_000), "accept did not return");
        Track(handle);

        Assert.Equal(SockAddr.ToEndPoint(addr), Name(leaf, peer: true)); // the root's address, as joined
        var leafLocal = Name(leaf, peer: false);
        Assert.Equal(leafLocal, Name(handle, peer: true)); // the leaf's own address, as accepted
        Assert.Equal(leafLocal, SockAddr.ToEndPoint(from.AsSpan(0, fromLen).ToArray()));
    }

    [Fact]
    public void getpeername_RootInitiatedJoin_EachSideReportsTheOther()
    {
        var root = NewRoot();
        var (leafListener, leafAddr) = ListeningLeaf();
        SOCKET member = SOCKET.Invalid;
        var acceptor = Run(() => member = accept(leafListener));
        var handle = Track(WSAJoinLeaf(root, leafAddr, leafAddr.Length, null, null, null, null, JL_BOTH));
        Assert.True(acceptor.Join(10_000), "accept did not return");
        Track(member);

        Assert.Equal(SockAddr.ToEndPoint(leafAddr), Name(handle, peer: true)); // the invited leaf, as joined
        Assert.Equal(Name(handle, peer: false), Name(member, peer: true)); // the root's end, as accepted
    }

    [Fact]
    public void WSAJoinLeaf_BothDirections_EveryMemberConnectionHasNoDelay()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, handle) = JoinAccepted(root, addr);
        Assert.True(ContextOf<LeafSocket>(leaf).Conn!.OsSocket.NoDelay, "joiner's connection");
        Assert.True(ContextOf<LeafHandle>(handle).Conn!.OsSocket.NoDelay, "root's accepted connection");

        var (leafListener, leafAddr) = ListeningLeaf();
        SOCKET member = SOCKET.Invalid;
        var acceptor = Run(() => member = accept(leafListener));
        var invited = Track(WSAJoinLeaf(root, leafAddr, leafAddr.Length, null, null, null, null, JL_BOTH));
        Assert.True(acceptor.Join(10_000), "accept did not return");
        Track(member);
        Assert.True(ContextOf<LeafHandle>(invited).Conn!.OsSocket.NoDelay, "inviter's connection");
        Assert.True(ContextOf<LeafSocket>(member).Conn!.OsSocket.NoDelay, "invited leaf's accepted connection");
    }

    [Fact]
    public void WSAAccept_ConditionFunction_CalleeBufferStartsEmptyAndWholeEachTime()
    {
        var (root, addr) = ListeningRoot();
        var seen = new List<(uint Len, bool Empty)>();
        var condition = Cond((_, _, _, callee) =>
        {
            seen.Add((callee!.len, callee.buf!.All(b => b == 0)));
            callee.buf.AsSpan().Fill(0xAA); // scribble over all of it, answer 3 bytes
            callee.len = 3;
            return CF_ACCEPT;
        });
        for (int i = 0; i < 3; i++)
        {
            var leaf = NewLeaf();
            SOCKET handle = SOCKET.Invalid;
            var acceptor = Run(() => handle = WSAAccept(root, condition, 0));
            var calleeOut = new WSABUF(new byte[16]);
            Assert.Equal(leaf, WSAJoinLeaf(leaf, addr, addr.Length, null, calleeOut, null, null, JL_BOTH));
            Assert.True(acceptor.Join(10_000), "accept did not return");
            Track(handle);
            Assert.Equal(3u, calleeOut.len);
            Assert.Equal(new byte[] { 0xAA, 0xAA, 0xAA }, calleeOut.buf!.AsSpan(0, 3).ToArray());
        }
        Assert.Equal(3, seen.Count);
        Assert.All(seen, s => Assert.Equal(((uint)RootedLimits.MaxConnectData, true), s));
    }
}
