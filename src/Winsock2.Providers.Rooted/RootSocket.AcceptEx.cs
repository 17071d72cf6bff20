using Winsock2.Kernel;
using Winsock2.Providers.Core;

namespace Winsock2.Providers.Rooted;

/// <summary>
/// AcceptEx on a listening c_root: the next leaf-initiated join is admitted as WSAAccept admits it (without a condition
/// function: CF_ACCEPT), and the accept socket the application made comes to stand for that leaf's socket (the root's
/// c_leaf handle for it: side chat, FD_CLOSE on departure, closing it drops the leaf). Its first data is the leaf's
/// caller data (what its WSAJoinLeaf sent with the join, at most dwReceiveDataLength bytes; 0 bytes when it sent none):
/// the join completes with it, so the AcceptEx never waits for a first message. Both addresses go into the output
/// buffer as for TCP; SO_UPDATE_ACCEPT_CONTEXT is accepted and changes nothing (the socket already is the leaf's).
/// Each waiting AcceptEx is served by a thread of its own (at most <see cref="MaxAcceptEx"/> per root; one more is
/// WSAENOBUFS); closing the root completes them with WSA_OPERATION_ABORTED. Every AcceptEx completes through the root's
/// completion (its hEvent, and the packet to the port the root is associated with, under its key), also when closing
/// the root ended it after the handle was released.
/// </summary>
internal sealed partial class RootSocket
{
    /// <summary>Most AcceptEx requests one root may have waiting.</summary>
    public const int MaxAcceptEx = 16;

    private int _acceptExWaiting;

    /// <summary>
    /// WSAEINVAL when not listening, without an overlapped structure, or for an accept socket that is bound, joined,
    /// listening, of another family, or already given to an AcceptEx; WSAEFAULT for the buffer as for TCP. Else
    /// WSA_IO_PENDING.
    /// </summary>
    public int AcceptEx(RootedSocket acceptor, byte[] buffer, uint receiveLength, uint localLength, uint remoteLength,
        WSAOVERLAPPED? ov, WSATHREADID? threadId)
    {
        lock (Gate)
        {
            if (Closed) return Ws2Spi.WSAENOTSOCK;
            if (!Listening) return Ws2Spi.WSAEINVAL;
        }
        int check = AcceptExBuffer.Check(Family, buffer, receiveLength, localLength, remoteLength);
        if (check != 0) return check;
        if (ov is null || acceptor == this) return Ws2Spi.WSAEINVAL;
        lock (acceptor.Gate)
        {
            if (acceptor.Closed) return Ws2Spi.WSAENOTSOCK;
            if (acceptor.Family != Family || acceptor.LocalEndPoint is not null || acceptor.Listening || acceptor.AcceptExPending
                || acceptor.AcceptedLeaf is not null || acceptor is LeafHandle)
                return Ws2Spi.WSAEINVAL;
            if (Interlocked.Increment(ref _acceptExWaiting) > MaxAcceptEx)
            {
                Interlocked.Decrement(ref _acceptExWaiting);
                return Ws2Spi.WSAENOBUFS;
            }
            acceptor.AcceptExPending = true;
        }
        var io = new IoRequest([], 0, 0, ov, null, threadId);
        Completion.Pend(io);
        Completion.KeepFile(); // closing the root only wakes the thread: its abort may come after the handle is gone
        new Thread(() => ServeAcceptEx(acceptor, buffer, receiveLength, localLength, io)) { IsBackground = true, Name = "rooted AcceptEx" }.Start();
        return Ws2Spi.WSA_IO_PENDING;
    }

    /// <summary>The thread of one AcceptEx: waits for a join, admits it, and completes the request.</summary>
    private void ServeAcceptEx(RootedSocket acceptor, byte[] buffer, uint receiveLength, uint localLength, IoRequest io)
    {
        int error = Ws2Spi.WSA_OPERATION_ABORTED, bytes = 0;
        try
        {
            while (true)
            {
                lock (Gate) if (Closed) break;
                lock (acceptor.Gate) if (acceptor.Closed) break;
                var listening = (IListeningSocket<Connection>)this;
                int wait = listening.ReadyWaiters.WaitFor(this, static s => { lock (s.Gate) return s.Closed || ((IListeningSocket<Connection>)s).HasPending; }, 200);
                if (wait != 0 && wait != Ws2Spi.WSAETIMEDOUT) { error = wait; break; }
                bool pending;
                lock (Gate) pending = !Closed && listening.HasPending;
                if (!pending) continue;
                byte[] callerData = [];
                LPCONDITIONPROC capture = (_, caller, _, _, _, _, out g, _) =>
                {
                    g = 0;
                    if (caller is { len: > 0, buf: not null }) callerData = caller.buf.AsSpan(0, (int)Math.Min(caller.len, (uint)caller.buf.Length)).ToArray();
                    return Ws2Spi.CF_ACCEPT;
                };
                int len = 0;
                var handle = Accept(null, ref len, capture, 0, out int err);
                if (!handle.IsValid)
                {
                    if (err == Ws2Spi.WSAEWOULDBLOCK || err == Ws2Spi.WSATRY_AGAIN) continue;
                    error = err == Ws2Spi.WSAENOTSOCK ? Ws2Spi.WSA_OPERATION_ABORTED : err;
                    break;
                }
                Provider.Upcalls.WPUQuerySocketHandleContext(handle, out var ctx, out _);
                var leaf = (RootedSocket)ctx!;
                lock (acceptor.Gate)
                {
                    if (acceptor.Closed)
                    {
                        leaf.Close(); // nobody holds the accept socket any more: the leaf is dropped
                        Provider.Upcalls.WPUCloseSocketHandle(handle, out _);
                        break;
                    }
                    acceptor.AcceptedLeaf = leaf;
                    acceptor.AcceptExPending = false;
                    leaf.Attach(acceptor.Handle);
                }
                Provider.Upcalls.WPUCloseSocketHandle(handle, out _); // the leaf is reached through the accept socket's handle now
                AcceptExBuffer.Write(buffer, receiveLength, localLength, leaf.LocalEndPoint, leaf.PeerEndPoint);
                bytes = (int)Math.Min(callerData.Length, receiveLength);
                callerData.AsSpan(0, bytes).CopyTo(buffer);
                error = 0;
                break;
            }
        }
        catch (Exception e)
        {
            Diagnostics.InternalFailure("rooted AcceptEx", e);
            error = Ws2Spi.WSASYSCALLFAILURE;
        }
        finally
        {
            Interlocked.Decrement(ref _acceptExWaiting);
            if (error != 0) lock (acceptor.Gate) acceptor.AcceptExPending = false;
            Completion.Complete(io, error, bytes, 0);
        }
    }
}
