using Winsock2.Bench.Suites;
using static Winsock2.Ws2_32;

namespace Winsock2.Bench.Ours;

/// <summary>
/// Our join: WSAJoinLeaf on the rooted provider with 64 bytes of caller data, answered with 64 bytes of callee
/// data by the accepting side's condition function — the same exchange as the baseline's request/response.
/// Leaf-initiated: a new c_leaf socket joins the listening root, which WSAAccepts on its own thread.
/// Root-initiated: the root invites a listening leaf, which WSAAccepts on its own thread.
/// </summary>
public sealed class RootedJoin : IJoinSubject
{
    private const int DataBytes = 64;
    private readonly List<SOCKET> _sockets = [];
    private readonly Lock _gate = new();
    private readonly WSABUF _caller = new(new byte[DataBytes]);
    private SOCKET _root = INVALID_SOCKET, _listener = INVALID_SOCKET;
    private byte[] _target = [];
    private bool _leafInitiated;
    private Thread? _acceptor;

    public void Open(bool leafInitiated)
    {
        _leafInitiated = leafInitiated;
        _root = Rooted.Root();
        _sockets.Add(_root);
        if (leafInitiated)
        {
            _listener = _root;
            _target = Rooted.ListenOnLoopback(_root, 1024);
        }
        else
        {
            _listener = Rooted.Leaf();
            _sockets.Add(_listener);
            _target = Rooted.ListenOnLoopback(_listener, 1024);
        }
        _acceptor = new Thread(Accept) { IsBackground = true, Name = "join-accept" };
        _acceptor.Start();
    }

    public void JoinOne()
    {
        var callee = new WSABUF(new byte[DataBytes]);
        if (_leafInitiated)
        {
            var leaf = Rooted.Leaf();
            lock (_gate) _sockets.Add(leaf);
            Rooted.Valid(WSAJoinLeaf(leaf, _target, _target.Length, _caller, callee, null, null, JL_BOTH), "WSAJoinLeaf(leaf)");
        }
        else
        {
            var handle = Rooted.Valid(WSAJoinLeaf(_root, _target, _target.Length, _caller, callee, null, null, JL_BOTH), "WSAJoinLeaf(root)");
            lock (_gate) _sockets.Add(handle);
        }
        if (callee.len != DataBytes) throw new InvalidOperationException($"callee data of {callee.len} bytes, expected {DataBytes}");
    }

    public void Dispose()
    {
        lock (_gate) Rooted.Close(_sockets);
        _acceptor?.Join(5_000);
    }

    private void Accept()
    {
        LPCONDITIONPROC answer = (WSABUF? id, WSABUF? data, QOS? sqos, QOS? gqos, WSABUF? calleeId, WSABUF? calleeData, out uint g, nuint cb) =>
        {
            g = 0;
            if (calleeData is { buf: not null } && calleeData.buf.Length >= DataBytes) calleeData.len = DataBytes;
            return CF_ACCEPT;
        };
        while (true)
        {
            var h = WSAAccept(_listener, answer, 0);
            if (!h.IsValid) return; // the listener was closed: done
            lock (_gate) _sockets.Add(h);
        }
    }
}
