using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>Helpers for rooted multipoint tests: roots, leaves, joins on loopback; everything made is closed.</summary>
public abstract class RootedTest : WinsockTest
{
    private readonly List<SOCKET> _sockets = new();
    private readonly List<WSAEVENT> _events = new();

    protected const uint RootFlags = WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT;
    protected const uint LeafFlags = WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF;

    protected SOCKET Track(SOCKET s)
    {
        Assert.True(s.IsValid, $"expected a socket, got error {WSAGetLastError()}");
        _sockets.Add(s);
        return s;
    }

    protected WSAEVENT NewEvent()
    {
        var e = WSACreateEvent();
        _events.Add(e);
        return e;
    }

    protected SOCKET NewRoot(int af = AF_INET) => Track(WSASocket(af, SOCK_SEQPACKET, 0, null, 0, RootFlags));
    protected SOCKET NewLeaf(int af = AF_INET) => Track(WSASocket(af, SOCK_SEQPACKET, 0, null, 0, LeafFlags));

    /// <summary>A root listening on loopback, and its address.</summary>
    protected (SOCKET Root, byte[] Address) ListeningRoot(int af = AF_INET)
    {
        var root = NewRoot(af);
        var any = af == AF_INET ? Loopback() : Loopback6();
        Ok(bind(root, any, any.Length), "bind root");
        Ok(listen(root, 64), "listen root");
        return (root, af == AF_INET ? Loopback(PortOf(root)) : Loopback6(PortOf(root)));
    }

    /// <summary>A leaf listening for invitations on loopback, and its address.</summary>
    protected (SOCKET Leaf, byte[] Address) ListeningLeaf(int af = AF_INET)
    {
        var leaf = NewLeaf(af);
        var any = af == AF_INET ? Loopback() : Loopback6();
        Ok(bind(leaf, any, any.Length), "bind leaf");
        Ok(listen(leaf, 16), "listen leaf");
        return (leaf, af == AF_INET ? Loopback(PortOf(leaf)) : Loopback6(PortOf(leaf)));
    }

    /// <summary>A blocking accept on a thread of its own, and what it returned once it did.</summary>
    protected sealed class BlockingAccept
    {
        public BlockingAccept(SOCKET root) => Worker = Run(() =>
        {
            var h = accept(root);
            Error = h.IsValid ? 0 : WSAGetLastError();
            Handle = h;
        });

        /// <summary>The accepting thread.</summary>
        public Worker Worker { get; }

        /// <summary>The accepted socket (invalid until accept returned one).</summary>
        public SOCKET Handle { get; private set; } = SOCKET.Invalid;

        /// <summary>WSAGetLastError after a failed accept, 0 otherwise.</summary>
        public int Error { get; private set; }
    }

    /// <summary>A blocking leaf-initiated join that the root accepts on another thread; returns (leaf, the root's handle for it).</summary>
    protected (SOCKET Leaf, SOCKET Handle) JoinAccepted(SOCKET root, byte[] rootAddr, uint jl = JL_BOTH, string callerData = "")
    {
        var leaf = NewLeaf();
        SOCKET handle = SOCKET.Invalid;
        var acceptor = Run(() => handle = accept(root));
        var caller = callerData.Length == 0 ? null : new WSABUF(Bytes(callerData));
        var joined = WSAJoinLeaf(leaf, rootAddr, rootAddr.Length, caller, null, null, null, jl);
        Assert.True(joined.IsValid, $"join failed with {WSAGetLastError()}");
        Assert.Equal(leaf, joined); // leaf-initiated: the leaf's own socket
        Assert.True(acceptor.Join(10_000), "accept did not return");
        return (leaf, Track(handle));
    }

    /// <summary>A condition function from a body that sees caller id, caller data, flowspecs and the callee buffer.</summary>
    protected static LPCONDITIONPROC Cond(Func<WSABUF?, WSABUF?, QOS?, WSABUF?, int> body) =>
        (WSABUF? id, WSABUF? data, QOS? sqos, QOS? gqos, WSABUF? calleeId, WSABUF? calleeData, out uint g, nuint cb) =>
        {
            g = 0;
            return body(id, data, sqos, calleeData);
        };

    protected static void SendText(SOCKET s, string text)
    {
        var b = Bytes(text);
        Assert.Equal(b.Length, send(s, b, b.Length, 0));
    }

    protected static string RecvText(SOCKET s, int size = 256)
    {
        var b = new byte[size];
        int n = recv(s, b, b.Length, 0);
        Assert.True(n >= 0, $"recv failed with {WSAGetLastError()}");
        return Text(b, n);
    }

    /// <summary>A flowspec with a rate (bytes/s), a service type, and optionally its bucket and peak.</summary>
    protected static FLOWSPEC Spec(uint rate, uint service, uint bucket = QOS_NOT_SPECIFIED, uint peak = QOS_NOT_SPECIFIED) =>
        FLOWSPEC.NotSpecified(service) with { TokenRate = rate, TokenBucketSize = bucket, PeakBandwidth = peak };

    /// <summary>Flowspecs for both directions (receiving: best effort when not given).</summary>
    protected static QOS Qos(FLOWSPEC sending, FLOWSPEC? receiving = null) => new()
    {
        SendingFlowspec = sending,
        ReceivingFlowspec = receiving ?? FLOWSPEC.NotSpecified(SERVICETYPE_BESTEFFORT),
    };

    /// <summary>SIO_SET_QOS: its result.</summary>
    protected static int SetQos(SOCKET s, QOS q)
    {
        var b = QosBuffer.ToBytes(q);
        return WSAIoctl(s, SIO_SET_QOS, b, (uint)b.Length, null, 0, out _, null, null);
    }

    /// <summary>SIO_GET_QOS, which must succeed.</summary>
    protected static QOS GetQos(SOCKET s)
    {
        var b = new byte[256];
        Ok(WSAIoctl(s, SIO_GET_QOS, null, 0, b, (uint)b.Length, out uint n, null, null), "SIO_GET_QOS");
        return QosBuffer.FromBytes(b, (int)n)!;
    }

    /// <summary>Joins with the given flowspecs through an acceptor whose condition function may change them.</summary>
    protected (SOCKET Leaf, SOCKET Handle, QOS? Seen) JoinWithQos(SOCKET root, byte[] addr, QOS? sqos, Action<QOS>? lower = null, SOCKET? leafIn = null)
    {
        var leaf = leafIn ?? NewLeaf();
        QOS? seen = null;
        SOCKET handle = SOCKET.Invalid;
        var acceptor = Run(() => handle = WSAAccept(root, Cond((_, _, q, _) =>
        {
            seen = q?.Clone();
            if (q is not null) lower?.Invoke(q);
            return CF_ACCEPT;
        }), 0));
        var joined = WSAJoinLeaf(leaf, addr, addr.Length, null, null, sqos, null, JL_BOTH);
        Assert.True(joined == leaf, $"join failed with {WSAGetLastError()}");
        Assert.True(acceptor.Join(10_000));
        return (leaf, Track(handle), seen);
    }

    /// <summary>Waits (bounded) for the event and returns the record.</summary>
    protected static WSANETWORKEVENTS WaitEvents(SOCKET s, WSAEVENT ev, int expected, int ms = 10_000)
    {
        var all = new WSANETWORKEVENTS();
        var deadline = Environment.TickCount64 + ms;
        while ((all.lNetworkEvents & expected) != expected)
        {
            long left = deadline - Environment.TickCount64;
            Assert.True(left > 0, $"timed out waiting for events 0x{expected:X}; saw 0x{all.lNetworkEvents:X}");
            WSAWaitForMultipleEvents(1, [ev], false, (uint)left, false);
            var rec = new WSANETWORKEVENTS();
            Assert.Equal(0, WSAEnumNetworkEvents(s, ev, rec));
            for (int bit = 0; bit < FD_MAX_EVENTS; bit++)
                if ((rec.lNetworkEvents & (1 << bit)) != 0) all.iErrorCode[bit] = rec.iErrorCode[bit];
            all.lNetworkEvents |= rec.lNetworkEvents;
        }
        return all;
    }

    public override void Dispose()
    {
        foreach (var s in _sockets) closesocket(s);
        foreach (var e in _events) WSACloseEvent(e);
        base.Dispose();
    }
}
