using System.Net;
using Winsock2.Providers.Rooted.Wire;
using Winsock2.Providers.Core;
using Winsock2.Kernel;

namespace Winsock2.Providers.Rooted;

/// <summary>The join handshake's shared steps: argument checks, accepting a queued join request, the condition function.</summary>
internal abstract partial class RootedSocket
{
    /// <summary>Validates a join's arguments: 0 or WSAEFAULT / WSAEINVAL / WSAEOPNOTSUPP.</summary>
    protected static int CheckJoinArguments(WSABUF? callerData, WSABUF? calleeData, QOS? qos, uint flags)
    {
        if (callerData is { len: > RootedLimits.MaxConnectData }) return Ws2Spi.WSAEFAULT; // before anything is sent
        if (calleeData is not null && !calleeData.IsValid) return Ws2Spi.WSAEFAULT;
        if ((flags & ~(Ws2Spi.JL_SENDER_ONLY | Ws2Spi.JL_RECEIVER_ONLY | Ws2Spi.JL_BOTH)) != 0) return Ws2Spi.WSAEINVAL;
        if (System.Numerics.BitOperations.PopCount(flags) > 1) return Ws2Spi.WSAEINVAL;
        if (qos is not null && !Flowspecs.IsValid(qos, flags)) return Ws2Spi.WSAEOPNOTSUPP;
        return 0;
    }

    /// <summary>The remote address of a join: WSAEADDRNOTAVAIL for the wildcard address or port 0.</summary>
    protected int CheckRemote(IPEndPoint ep)
    {
        if (SockAddr.FamilyOf(ep.AddressFamily) != Family) return Ws2Spi.WSAEAFNOSUPPORT;
        if (ep.Address.Equals(IPAddress.Any) || ep.Address.Equals(IPAddress.IPv6Any) || ep.Port == 0) return Ws2Spi.WSAEADDRNOTAVAIL;
        return 0;
    }

    /// <summary>Admits an accepted join (under the lock): the new socket, or INVALID_SOCKET with the error.</summary>
    protected delegate SOCKET AdmitJoin(Connection c, JoinRequest request, QOS? granted, byte[] calleeData, out int errno);

    /// <summary>
    /// accept/WSAAccept on a listening c_root or c_leaf: takes the oldest queued join request (waiting for one, or
    /// WSAEWOULDBLOCK when nonblocking), runs the condition function, and acts on its verdict: CF_ACCEPT → <paramref name="admit"/>
    /// with the flowspecs the function left (never above what was asked); CF_REJECT → JOIN_REJECT, WSAECONNREFUSED;
    /// CF_DEFER → the request stays first in the queue, WSATRY_AGAIN, FD_ACCEPT not re-enabled; anything else → WSAEINVAL.
    /// </summary>
    protected SOCKET AcceptJoin(byte[]? addr, ref int addrlen, LPCONDITIONPROC? condition,
        nuint callbackData, AdmitJoin admit, out int errno)
    {
        if (addr is not null && addrlen < SockAddr.SizeOf(Family)) { errno = Ws2Spi.WSAEFAULT; return SOCKET.Invalid; }
        try
        {
            while (true)
            {
                var c = AcceptLoop.Take(this, out errno);
                if (c is null) return SOCKET.Invalid;
                var request = (JoinRequest)c.Tag!;
                var sqos = request.Qos?.Clone();
                var calleeBuffer = RentCalleeBuffer();
                var callee = new WSABUF(calleeBuffer);
                int verdict = RunCondition(condition, c.Remote, condition is null ? null : CalleeAddress(), request, sqos, callee, callbackData);
                byte[] calleeData = CalleeBytes(callee);
                ReturnCalleeBuffer(calleeBuffer);
                lock (Gate)
                {
                    if (c.IsTerminated) continue; // withdrawn while the condition function ran: take the next
                    if (!AcceptLoop.Verdict(this, c, verdict, out errno)) return SOCKET.Invalid;
                    var granted = request.Qos is null ? null : Flowspecs.Lower(request.Qos, sqos ?? request.Qos);
                    var handle = admit(c, request, granted, calleeData, out errno);
                    RefreshEvents();
                    if (handle.IsValid && addr is not null && c.Remote is { } peer) SockAddr.Write(peer, addr, ref addrlen);
                    return handle;
                }
            }
        }
        finally
        {
            EndTakingJoins(); // after the answer left (RootedSocket.AcceptWait.cs)
        }
    }

    /// <summary>The callee buffer a condition function gets, one per thread (it lives for the call only, as on Windows).</summary>
    [ThreadStatic] private static byte[]? t_calleeBuffer;

    /// <summary>The thread's callee buffer, taken (a condition function that accepts again on its thread gets a new one).</summary>
    private static byte[] RentCalleeBuffer()
    {
        var b = t_calleeBuffer ?? new byte[RootedLimits.MaxConnectData];
        t_calleeBuffer = null;
        return b;
    }

    /// <summary>Back for the next accept on this thread, cleared: one condition function never sees what another wrote.</summary>
    private static void ReturnCalleeBuffer(byte[] buffer)
    {
        Array.Clear(buffer);
        t_calleeBuffer = buffer;
    }

    /// <summary>The listening socket's own address, the callee's in the condition function: asked of the kernel once.</summary>
    private IPEndPoint? CalleeAddress() => _calleeAddress ??= LocalEndPoint;
    private IPEndPoint? _calleeAddress;

    /// <summary>A blocking join's sleep: on its connection (<see cref="Connection.SleepUntilAnswered"/>), or the thread's own once it has none.</summary>
    protected static void SleepUntilAnswered(Connection? c, int milliseconds)
    {
        if (c is not null) c.SleepUntilAnswered(milliseconds);
        else ThreadContext.Current.Waiter.Sleep(milliseconds);
    }

    /// <summary>The join requests waiting for accept (a listening c_root's or c_leaf's), or null.</summary>
    protected virtual LinkedList<Connection>? JoinRequests => null;

    // What AcceptLoop needs of a listening socket (under the lock). A refused join gets JOIN_REJECT, then LEAVE.
    ReadyWaiters IListeningSocket<Connection>.ReadyWaiters => _readyWaiters;
    bool IListeningSocket<Connection>.HasPending => JoinRequests is { Count: > 0 };
    Connection? IListeningSocket<Connection>.TakePending(out int errno)
    {
        errno = 0;
        if (JoinRequests is not { First: { } first } queue) return null;
        queue.RemoveFirst();
        return first.Value;
    }
    void IListeningSocket<Connection>.PutBack(Connection pending) => JoinRequests!.AddFirst(pending);
    void IListeningSocket<Connection>.Refuse(Connection pending)
    {
        pending.Enqueue(JoinReject.Encode(Ws2Spi.WSAECONNREFUSED));
        pending.CloseGracefully();
    }

    /// <summary>
    /// The condition function's verdict, with its exceptions turned into an invalid verdict. As on Windows, the
    /// callee buffer arrives with len = the space available and the function sets len to what it wrote (0 = no reply).
    /// </summary>
    protected static int RunCondition(LPCONDITIONPROC? condition, IPEndPoint? caller, IPEndPoint? callee, JoinRequest request,
        QOS? sqos, WSABUF calleeData, nuint callbackData)
    {
        if (condition is null)
        {
            calleeData.len = 0; // accept without a condition function: no callee data
            return Ws2Spi.CF_ACCEPT;
        }
        return ConditionCall.Invoke(condition, caller, callee, request.CallerData, sqos, calleeData, callbackData);
    }

    /// <summary>The callee data the condition function left (len bytes of buf), bounded by the documented maximum.</summary>
    protected static byte[] CalleeBytes(WSABUF calleeData)
    {
        int start = Math.Max(0, calleeData.offset);
        int n = (int)Math.Min(calleeData.len, (uint)Math.Min(Math.Max(0, (calleeData.buf?.Length ?? 0) - start), RootedLimits.MaxConnectData));
        return n == 0 ? [] : calleeData.buf.AsSpan(start, n).ToArray();
    }
}
