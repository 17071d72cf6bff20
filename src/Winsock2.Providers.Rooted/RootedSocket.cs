using System.Net;
using Winsock2.Providers.Core;

namespace Winsock2.Providers.Rooted;

/// <summary>
/// What the rooted provider's sockets share: the session lock, the event record, completion delivery,
/// blocking mode, options, QoS, and the receive/send plumbing. The kinds: <see cref="RootSocket"/>
/// (c_root|d_root), <see cref="LeafSocket"/> (c_leaf|d_leaf) and <see cref="LeafHandle"/> (the c_leaf socket
/// a root holds for one leaf). This part: the state, lifetime and what each kind provides; the other parts are
/// named after what they hold (Receive, Send, Qos, Events, Options, Join, Tcp).
/// </summary>
internal abstract partial class RootedSocket : IProviderSocket, IListeningSocket<Connection>
{
    protected RootedSocket(RootedProvider provider, WSAPROTOCOL_INFOW info, uint flags, Lock gate, MpOptions options)
    {
        Provider = provider;
        Info = info;
        Flags = flags;
        Gate = gate;
        Options = options;
        Events = new NetworkEventRecord(provider.Upcalls);
        Completion = new Completion(provider.Upcalls, this);
        _readyWaiters = new ReadyWaiters(gate);
    }

    public RootedProvider Provider { get; }
    public WSAPROTOCOL_INFOW Info { get; }
    public uint Flags { get; }
    public Lock Gate { get; }
    public MpOptions Options { get; }
    public NetworkEventRecord Events { get; }
    public Completion Completion { get; }
    public SOCKET Handle { get; private set; } = SOCKET.Invalid;
    public bool NonBlocking;
    public bool Closed;
    public bool SendShut, RecvShut;
    public int RecvTimeoutMs, SendTimeoutMs;
    public bool ReuseAddress;
    /// <summary>JL_ flags of this member (JL_BOTH unless joined otherwise).</summary>
    public uint JoinFlags = Ws2Spi.JL_BOTH;
    /// <summary>SIO_SET_QOS's value before a join; the granted flowspecs after.</summary>
    public QOS? Qos;
    protected bool WriteBlocked;
    /// <summary>SO_ERROR: a failed nonblocking join's error, until getsockopt reads it (then 0).</summary>
    public int SocketError;

    public int Family => Info.iAddressFamily;
    public bool OverlappedCapable => (Flags & Ws2Spi.WSA_FLAG_OVERLAPPED) != 0;
    /// <summary>This socket only sends (JL_SENDER_ONLY): its receives fail with WSAEOPNOTSUPP.</summary>
    public virtual bool SenderOnly => (JoinFlags & Ws2Spi.JL_SENDER_ONLY) != 0;
    /// <summary>This socket only receives (JL_RECEIVER_ONLY): its sends fail with WSAEOPNOTSUPP.</summary>
    public virtual bool ReceiverOnly => (JoinFlags & Ws2Spi.JL_RECEIVER_ONLY) != 0;

    public void Attach(SOCKET handle)
    {
        Handle = handle;
        Events.Socket = handle;
    }

    // ---- what each kind provides ----

    /// <summary>Re-derives the level-triggered events (under the lock).</summary>
    public abstract void RefreshEvents();
    /// <summary>Readable for select (under the lock): a message, a pending join request, or the session ended.</summary>
    public abstract bool Readable();

    /// <summary>
    /// select (under the lock): readable as <see cref="Readable"/> says; writable when a send would be taken now
    /// (joined, allowed to send, nothing queued, tokens and room); exceptional while SO_ERROR holds a failed
    /// nonblocking join's error. Every change of these wakes the waiting threads (<see cref="WakeReadyWaiters"/>).
    /// </summary>
    public bool IsReady(int set)
    {
        lock (Gate)
        {
            if (Closed) return false;
            return set switch
            {
                0 => Readable(),
                1 => WritableNow(),
                _ => SocketError != 0,
            };
        }
    }

    /// <summary>Room for a message now, without acting on it (a root under the eviction policy always has room: its sends evict).</summary>
    protected virtual bool HasRoomNow(int length) => RoomFor(length);

    public abstract int Receive(WSABUF[] buffers, uint count, out uint received, ref uint flags, byte[]? from, ref int fromlen,
        WSAOVERLAPPED? ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, out int errno);
    public abstract int Send(WSABUF[] buffers, uint count, out uint sent, uint flags, WSAOVERLAPPED? ov,
        LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, out int errno);
    public abstract void Close();

    /// <summary>Connection-oriented: WSPSendTo's address is ignored, as on a connected socket.</summary>
    int IProviderSocket.Send(WSABUF[] buffers, uint count, out uint sent, uint flags, byte[]? to, int tolen,
        WSAOVERLAPPED? ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, out int errno) =>
        Send(buffers, count, out sent, flags, ov, routine, threadId, out errno);

    public virtual int Shutdown(int how) => Ws2Spi.WSAENOTCONN;
    public virtual int Bind(IPEndPoint ep) => Ws2Spi.WSAEINVAL;
    public virtual int Listen(int backlog) => Ws2Spi.WSAEOPNOTSUPP;
    public virtual SOCKET JoinLeaf(IPEndPoint ep, WSABUF? callerData, WSABUF? calleeData, QOS? sqos, uint flags, out int errno)
    {
        errno = Ws2Spi.WSAEINVAL;
        return SOCKET.Invalid;
    }
    public virtual SOCKET Accept(byte[]? addr, ref int addrlen, LPCONDITIONPROC? condition, nuint callbackData, out int errno)
    {
        errno = Ws2Spi.WSAEINVAL;
        return SOCKET.Invalid;
    }
    public virtual IPEndPoint? LocalEndPoint => null;
    public virtual IPEndPoint? PeerEndPoint => null;
    public virtual bool Listening => false;
    /// <summary>SIO_SET_QOS once joined (re-grant): 0 or an error.</summary>
    protected virtual int ChangeQos(QOS q) => 0;

    /// <summary>Bytes FIONREAD reports.</summary>
    public virtual int BytesAvailable() => 0;
    /// <summary>True once the member may send and receive.</summary>
    public virtual bool Joined => false;
    /// <summary>True once the member's session is over (left, dropped, or the root ended it).</summary>
    public virtual bool Ended => false;
}
