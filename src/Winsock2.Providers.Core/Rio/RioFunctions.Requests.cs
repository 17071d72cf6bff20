using System.Diagnostics.CodeAnalysis;
using Winsock2.Kernel;

namespace Winsock2.Providers.Core;

/// <summary>The request queue functions: RIOCreateRequestQueue, RIOResizeRequestQueue and the four posting calls.</summary>
public sealed partial class RioFunctions
{
    private const uint ReceiveFlags = Ws2Spi.RIO_MSG_DONT_NOTIFY | Ws2Spi.RIO_MSG_DEFER | Ws2Spi.RIO_MSG_WAITALL | Ws2Spi.RIO_MSG_COMMIT_ONLY;
    private const uint SendFlags = Ws2Spi.RIO_MSG_DONT_NOTIFY | Ws2Spi.RIO_MSG_DEFER | Ws2Spi.RIO_MSG_COMMIT_ONLY;

    /// <summary>
    /// WSAEINVAL for an invalid or closed completion queue, both limits 0, or a data-buffer count other than 1 (as on
    /// Windows 8: one buffer per request); WSAENOTSOCK when the handle is not the provider's socket; WSAEOPNOTSUPP for
    /// a socket kind without Registered I/O; WSAENOBUFS when a completion queue cannot hold the outstanding requests of
    /// every request queue on it; and what the transport's <see cref="IRioSocket.RioAttach"/> refuses (WSAEINVAL without
    /// WSA_FLAG_REGISTERED_IO, or a second request queue).
    /// </summary>
    private RIO_RQ? CreateRequestQueue(SOCKET Socket, uint MaxOutstandingReceive, uint MaxReceiveDataBuffers,
        uint MaxOutstandingSend, uint MaxSendDataBuffers, RIO_CQ ReceiveCQ, RIO_CQ SendCQ, nint SocketContext)
    {
        try
        {
            if (ReceiveCQ is not RioCompletionQueue { IsClosed: false } rcq || SendCQ is not RioCompletionQueue { IsClosed: false } scq)
                return Fail<RIO_RQ>(Ws2Spi.WSAEINVAL);
            if (MaxOutstandingReceive == 0 && MaxOutstandingSend == 0) return Fail<RIO_RQ>(Ws2Spi.WSAEINVAL);
            if (MaxReceiveDataBuffers != 1 || MaxSendDataBuffers != 1) return Fail<RIO_RQ>(Ws2Spi.WSAEINVAL);
            if (MaxOutstandingReceive > Ws2Spi.RIO_MAX_CQ_SIZE || MaxOutstandingSend > Ws2Spi.RIO_MAX_CQ_SIZE) return Fail<RIO_RQ>(Ws2Spi.WSAENOBUFS);
            var found = _find?.Invoke(Socket);
            if (found is null) return Fail<RIO_RQ>(Ws2Spi.WSAENOTSOCK);
            if (found is not IRioSocket socket) return Fail<RIO_RQ>(Ws2Spi.WSAEOPNOTSUPP);
            var rq = new RioRequestQueue(socket, (ulong)(long)SocketContext, rcq, (int)MaxOutstandingReceive, scq, (int)MaxOutstandingSend);
            if (rcq == scq)
            {
                if (!rcq.Commit(rq, (long)MaxOutstandingReceive + MaxOutstandingSend)) return Fail<RIO_RQ>(Ws2Spi.WSAENOBUFS);
            }
            else if (!rcq.Commit(rq, MaxOutstandingReceive)) return Fail<RIO_RQ>(Ws2Spi.WSAENOBUFS);
            else if (!scq.Commit(rq, MaxOutstandingSend))
            {
                rcq.Release(rq, MaxOutstandingReceive);
                return Fail<RIO_RQ>(Ws2Spi.WSAENOBUFS);
            }
            int err = socket.RioAttach(rq);
            if (err == 0) return rq;
            rq.Abort(Ws2Spi.WSA_OPERATION_ABORTED); // nothing was posted: this only gives the commitments back
            return Fail<RIO_RQ>(err);
        }
        catch (Exception e)
        {
            return Fail<RIO_RQ>(ExtensionFunctions.Failed(e));
        }
    }

    /// <summary>
    /// WSAEINVAL for an invalid queue or both limits 0; WSAETOOMANYREFS below the requests outstanding (or, here, when
    /// a direction must grow its ring while it has requests outstanding); WSAENOBUFS when a completion queue could not
    /// hold the new limits.
    /// </summary>
    private static bool ResizeRequestQueue(RIO_RQ RQ, uint MaxOutstandingReceive, uint MaxOutstandingSend) =>
        ExtensionFunctions.Guarded(() =>
        {
            if (RQ is not RioRequestQueue { IsClosed: false } rq) return Ws2Spi.WSAEINVAL;
            if (MaxOutstandingReceive == 0 && MaxOutstandingSend == 0) return Ws2Spi.WSAEINVAL;
            if (MaxOutstandingReceive > Ws2Spi.RIO_MAX_CQ_SIZE || MaxOutstandingSend > Ws2Spi.RIO_MAX_CQ_SIZE) return Ws2Spi.WSAENOBUFS;
            RioRing r = rq.Receives, s = rq.Sends;
            if (MaxOutstandingReceive < r.Outstanding || MaxOutstandingSend < s.Outstanding) return Ws2Spi.WSAETOOMANYREFS;
            long dr = (long)MaxOutstandingReceive - r.Max, ds = (long)MaxOutstandingSend - s.Max;
            if (r.Cq == s.Cq)
            {
                if (!r.Cq.Recommit(dr + ds)) return Ws2Spi.WSAENOBUFS;
            }
            else if (!r.Cq.Recommit(dr)) return Ws2Spi.WSAENOBUFS;
            else if (!s.Cq.Recommit(ds))
            {
                r.Cq.Recommit(-dr);
                return Ws2Spi.WSAENOBUFS;
            }
            try
            {
                int err = r.Resize((int)MaxOutstandingReceive);
                if (err == 0 && (err = s.Resize((int)MaxOutstandingSend)) != 0) r.Resize(r.Max - (int)dr);
                if (err != 0)
                {
                    if (r.Cq == s.Cq) r.Cq.Recommit(-(dr + ds));
                    else
                    {
                        r.Cq.Recommit(-dr);
                        s.Cq.Recommit(-ds);
                    }
                }
                return err;
            }
            finally
            {
                // A direction's limit to or from 0 changes which one may reserve ahead — even if a resize threw halfway.
                r.Cq.LimitsChanged();
                if (s.Cq != r.Cq) s.Cq.LimitsChanged();
            }
        });

    private bool Receive(RIO_RQ SocketQueue, in RIO_BUF pData, uint DataBufferCount, uint Flags, nint RequestContext) =>
        Post(SocketQueue, pData, DataBufferCount, Flags, RequestContext, receive: true);

    private int ReceiveEx(RIO_RQ SocketQueue, in RIO_BUF pData, uint DataBufferCount, in RIO_BUF pLocalAddress,
        in RIO_BUF pRemoteAddress, in RIO_BUF pControlContext, in RIO_BUF pFlags, uint Flags, nint RequestContext) =>
        (NoSlices(pLocalAddress, pRemoteAddress, pControlContext, pFlags)
            ? Post(SocketQueue, pData, DataBufferCount, Flags, RequestContext, receive: true)
            : PostEx(SocketQueue, pData, DataBufferCount, pLocalAddress, pRemoteAddress, pFlags, pControlContext, Flags, RequestContext, receive: true)) ? 1 : 0;

    private bool Send(RIO_RQ SocketQueue, in RIO_BUF pData, uint DataBufferCount, uint Flags, nint RequestContext) =>
        Post(SocketQueue, pData, DataBufferCount, Flags, RequestContext, receive: false);

    private bool SendEx(RIO_RQ SocketQueue, in RIO_BUF pData, uint DataBufferCount, in RIO_BUF pLocalAddress,
        in RIO_BUF pRemoteAddress, in RIO_BUF pControlContext, in RIO_BUF pFlags, uint Flags, nint RequestContext) =>
        NoSlices(pLocalAddress, pRemoteAddress, pControlContext, pFlags)
            ? Post(SocketQueue, pData, DataBufferCount, Flags, RequestContext, receive: false)
            : PostEx(SocketQueue, pData, DataBufferCount, pLocalAddress, pRemoteAddress, pFlags, pControlContext, Flags, RequestContext, receive: false);

    /// <summary>RIOReceiveEx / RIOSendEx given none of their four extra slices: the request is a plain one.</summary>
    private static bool NoSlices(in RIO_BUF local, in RIO_BUF remote, in RIO_BUF control, in RIO_BUF flags) =>
        local.BufferId is null && remote.BufferId is null && control.BufferId is null && flags.BufferId is null;

    /// <summary>The smallest address slice: SOCKADDR_INET (a SOCKADDR_IN6's 28 bytes).</summary>
    private const int AddressSliceSize = SockAddr.SizeIn6;

    /// <summary>
    /// Posts one request without address, flags or control slices: WSAEINVAL for an invalid or closed queue, flags the
    /// call does not take, RIO_MSG_COMMIT_ONLY with another flag, data or a RequestContext, or a data-buffer count that
    /// does not match pData (0 with NULL, else 1); WSAEFAULT for a slice outside its registered buffer or a deregistered
    /// or unknown buffer; WSAENOBUFS at the queue's outstanding limit or with its completion queue full. Without
    /// RIO_MSG_DEFER the request — and every deferred one before it — goes to the transport.
    /// </summary>
    private static bool Post(RIO_RQ queue, in RIO_BUF data, uint count, uint flags, nint context, bool receive)
    {
        try
        {
            if (!Open(queue, flags, receive, out var rq, out var ring)) return ExtensionFunctions.Result(Ws2Spi.WSAEINVAL);
            if ((flags & Ws2Spi.RIO_MSG_COMMIT_ONLY) != 0) return CommitOnly(rq, ring, data, count, flags, context, receive);
            int err;
            if ((err = DataSlice(data, count, out var d)) == 0 && (err = ring.Post(d, (ulong)(long)context, flags)) == 0)
                return Done(rq, ring, flags, receive);
            return ExtensionFunctions.Result(err);
        }
        catch (Exception e)
        {
            return ExtensionFunctions.Result(ExtensionFunctions.Failed(e));
        }
    }

    /// <summary>
    /// Posts one RIOReceiveEx / RIOSendEx request that gives some of its extra slices: the errors of the plain post, and
    /// WSAEINVAL with RIO_MSG_COMMIT_ONLY (which takes no slice); WSAEFAULT for an address slice shorter than
    /// SOCKADDR_INET, or a flags or control-context slice shorter than a ULONG (the control context's RIO_CMSG_BUFFER
    /// header). A receive's control-context slice starts out holding no records (TotalLength = RIO_CMSG_BASE_SIZE): only
    /// a datagram's packet information adds any.
    /// </summary>
    private static bool PostEx(RIO_RQ queue, in RIO_BUF data, uint count, in RIO_BUF local, in RIO_BUF remote, in RIO_BUF flagsBuf,
        in RIO_BUF controlBuf, uint flags, nint context, bool receive)
    {
        try
        {
            // RIO_MSG_COMMIT_ONLY takes no slice, and some are given here.
            if (!Open(queue, flags, receive, out var rq, out var ring) || (flags & Ws2Spi.RIO_MSG_COMMIT_ONLY) != 0)
                return ExtensionFunctions.Result(Ws2Spi.WSAEINVAL);
            int err = DataSlice(data, count, out var d);
            if (err != 0) return ExtensionFunctions.Result(err);
            RioSlice l = default, r = default, f = default, c = default;
            if (local.BufferId is not null) err = AddressSlice(local, out l);
            if (err == 0 && remote.BufferId is not null) err = AddressSlice(remote, out r);
            if (err == 0 && flagsBuf.BufferId is not null && (err = RioBuffer.Resolve(flagsBuf, out f)) == 0 && f.Length < sizeof(uint))
                err = Ws2Spi.WSAEFAULT;
            if (err == 0 && controlBuf.BufferId is not null && (err = RioBuffer.Resolve(controlBuf, out c)) == 0 && c.Length < sizeof(uint))
                err = Ws2Spi.WSAEFAULT;
            if (err != 0) return ExtensionFunctions.Result(err);
            // Before the request is posted: once it is, a commit from another thread may let the transport fill it.
            if (receive && c.IsPresent) RioControl.WriteEmpty(c.Span);
            err = ring.Post(d, (ulong)(long)context, flags, r, l, f, c);
            return err == 0 ? Done(rq, ring, flags, receive) : ExtensionFunctions.Result(err);
        }
        catch (Exception e)
        {
            return ExtensionFunctions.Result(ExtensionFunctions.Failed(e));
        }
    }

    /// <summary>
    /// The checks every posting call starts with: the queue and the direction posted to, or false for WSAEINVAL (a closed
    /// or invalid queue, flags the call does not take).
    /// </summary>
    private static bool Open(RIO_RQ queue, uint flags, bool receive, [NotNullWhen(true)] out RioRequestQueue? rq,
        [NotNullWhen(true)] out RioRing? ring)
    {
        rq = queue as RioRequestQueue;
        ring = null;
        if (rq is null || rq.IsClosed || (flags & ~(receive ? ReceiveFlags : SendFlags)) != 0) return false;
        ring = receive ? rq.Receives : rq.Sends;
        return true;
    }

    /// <summary>RIO_MSG_COMMIT_ONLY: alone, without data or RequestContext (else WSAEINVAL); the deferred requests go to the transport.</summary>
    private static bool CommitOnly(RioRequestQueue rq, RioRing ring, in RIO_BUF data, uint count, uint flags, nint context, bool receive)
    {
        if (flags != Ws2Spi.RIO_MSG_COMMIT_ONLY || data.BufferId is not null || count != 0 || context != 0)
            return ExtensionFunctions.Result(Ws2Spi.WSAEINVAL);
        if (ring.Commit()) Posted(rq, receive);
        return true;
    }

    /// <summary>The data slice: WSAEINVAL when the count does not match pData (0 with NULL, else 1), WSAEFAULT when it does not resolve.</summary>
    private static int DataSlice(in RIO_BUF data, uint count, out RioSlice d)
    {
        d = default;
        if (count != (data.BufferId is null ? 0u : 1u)) return Ws2Spi.WSAEINVAL;
        return data.BufferId is null ? 0 : RioBuffer.Resolve(data, out d);
    }

    /// <summary>A request was posted: without RIO_MSG_DEFER it — and every deferred one before it — goes to the transport.</summary>
    private static bool Done(RioRequestQueue rq, RioRing ring, uint flags, bool receive)
    {
        if ((flags & Ws2Spi.RIO_MSG_DEFER) == 0 && ring.Commit()) Posted(rq, receive);
        return true;
    }

    private static int AddressSlice(in RIO_BUF buf, out RioSlice slice)
    {
        int err = RioBuffer.Resolve(buf, out slice);
        return err == 0 && slice.Length < AddressSliceSize ? Ws2Spi.WSAEFAULT : err;
    }

    private static void Posted(RioRequestQueue rq, bool receive)
    {
        if (receive) rq.Socket.RioReceivesPosted();
        else rq.Socket.RioSendsPosted();
    }
}
