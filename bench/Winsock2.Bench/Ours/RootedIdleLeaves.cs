using System.Net;
using Winsock2.Bench.Suites;
using static Winsock2.Ws2_32;

namespace Winsock2.Bench.Ours;

/// <summary>Our memory subject: a listening root that accepts idle leaves joined from the child process ("rooted-leaves").</summary>
public sealed class RootedIdleLeaves : IMemorySubject
{
    private readonly List<SOCKET> _handles = [];
    private SOCKET _root = INVALID_SOCKET;

    public string ChildRole => "rooted-leaves";

    public IPEndPoint Open()
    {
        _root = Rooted.Root();
        var addr = Rooted.ListenOnLoopback(_root, 1024);
        return SockAddr.ToEndPoint(addr);
    }

    public bool WaitJoined(int count, TimeSpan timeout)
    {
        var acceptor = new Thread(() =>
        {
            while (_handles.Count < count)
            {
                var h = accept(_root);
                if (!h.IsValid) return;
                _handles.Add(h);
            }
        }) { IsBackground = true, Name = "memory-accept" };
        acceptor.Start();
        if (acceptor.Join(timeout)) return _handles.Count == count;
        closesocket(_root); // unblocks accept
        _root = INVALID_SOCKET;
        acceptor.Join(5_000);
        return false;
    }

    public long Flood(long cap)
    {
        var ev = WSACreateEvent();
        try
        {
            Rooted.Ok(WSAEventSelect(_root, ev, FD_WRITE), "WSAEventSelect"); // nonblocking from here
            var msg = new byte[16_384];
            long sent = 0;
            while (sent < cap)
            {
                if (send(_root, msg, msg.Length, 0) == msg.Length) { sent += msg.Length; continue; }
                if (WSAGetLastError() != WSAEWOULDBLOCK) throw Rooted.Failed("send(root)");
                if (WSAWaitForMultipleEvents(1, [ev], false, 1_000, false) == WSA_WAIT_TIMEOUT) break; // the root waits: nothing drains
                WSAResetEvent(ev);
            }
            return sent;
        }
        finally { WSACloseEvent(ev); }
    }

    public void Dispose()
    {
        Rooted.Close(_handles);
        if (_root.IsValid) closesocket(_root);
    }

    /// <summary>The child's side: joins <paramref name="count"/> leaves to the root at <paramref name="target"/>.</summary>
    public static List<SOCKET> JoinLeaves(IPEndPoint target, int count)
    {
        var addr = SockAddr.From(target);
        var leaves = new List<SOCKET>();
        for (int i = 0; i < count; i++)
        {
            var leaf = Rooted.Leaf();
            leaves.Add(leaf);
            Rooted.Valid(WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH), "WSAJoinLeaf");
        }
        return leaves;
    }
}
