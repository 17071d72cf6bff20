using System.Net;
using Winsock2.Providers.Core;

[assembly: Winsock2.WSPProviderEntry(typeof(Winsock2.Providers.Rooted.RootedProvider))]

namespace Winsock2.Providers.Rooted;

/// <summary>
/// The rooted multipoint provider (WSPPROC_TABLE): one root, many leaves, over TCP. A non-IFS provider: handles
/// come from WPUCreateSocketHandle; c_root|d_root sockets are <see cref="RootSocket"/>, c_leaf|d_leaf ones
/// <see cref="LeafSocket"/>, and the c_leaf sockets a root gets for its leaves <see cref="LeafHandle"/>.
/// </summary>
internal sealed partial class RootedProvider : ProviderBase<RootedSocket>, WSPPROC_TABLE, IWSPProviderSetup
{
    /// <inheritdoc />
    public Guid ProviderId => RootedCatalog.ProviderId;

    /// <inheritdoc />
    public WSAPROTOCOL_INFOW[] GetProtocolInfos() => RootedCatalog.Entries();

    protected override string Description => "Winsock2.NET rooted multipoint provider";
    protected override WSPPROC_TABLE Table => this;

    /// <summary>Gives a new socket object its handle.</summary>
    public SOCKET Register(RootedSocket sock, out int errno)
    {
        var h = Upcalls.WPUCreateSocketHandle(sock.Info.dwCatalogEntryId, sock, out errno);
        if (h.IsValid) sock.Attach(h);
        return h;
    }

    /// <summary>Releases a handle the provider made but the application never got.</summary>
    public void Unregister(RootedSocket sock)
    {
        sock.Closed = true;
        if (sock.Handle.IsValid) Upcalls.WPUCloseSocketHandle(sock.Handle, out _);
    }

    public SOCKET WSPSocket(int af, int type, int protocol, WSAPROTOCOL_INFOW? lpProtocolInfo, uint g, uint dwFlags, out int lpErrno)
    {
        try
        {
            if (lpProtocolInfo is null) { lpErrno = Ws2Spi.WSAEINVAL; return SOCKET.Invalid; }
            uint c = dwFlags & (Ws2Spi.WSA_FLAG_MULTIPOINT_C_ROOT | Ws2Spi.WSA_FLAG_MULTIPOINT_C_LEAF);
            uint d = dwFlags & (Ws2Spi.WSA_FLAG_MULTIPOINT_D_ROOT | Ws2Spi.WSA_FLAG_MULTIPOINT_D_LEAF);
            // The kinds a rooted control plane allows: c_root with d_root (or d_leaf on a nonrooted data plane), c_leaf with d_leaf.
            // With a nonrooted data plane every member is a d_leaf, the root included.
            bool rootedData = lpProtocolInfo.Has(Ws2Spi.XP1_MULTIPOINT_DATA_PLANE);
            uint rootData = rootedData ? Ws2Spi.WSA_FLAG_MULTIPOINT_D_ROOT : Ws2Spi.WSA_FLAG_MULTIPOINT_D_LEAF;
            RootedSocket sock;
            if (c == Ws2Spi.WSA_FLAG_MULTIPOINT_C_ROOT && d == rootData)
                sock = new RootSocket(this, lpProtocolInfo.Clone(), dwFlags);
            else if (c == Ws2Spi.WSA_FLAG_MULTIPOINT_C_LEAF && d == Ws2Spi.WSA_FLAG_MULTIPOINT_D_LEAF)
                sock = new LeafSocket(this, lpProtocolInfo.Clone(), dwFlags);
            else
            {
                lpErrno = Ws2Spi.WSAEINVAL;
                return SOCKET.Invalid;
            }
            return Register(sock, out lpErrno);
        }
        catch (Exception e)
        {
            Fail(e, out lpErrno);
            return SOCKET.Invalid;
        }
    }

    private static int Parse(byte[] name, int namelen, int family, out IPEndPoint? ep)
    {
        int rc = SockAddr.TryParse(name, namelen, out ep);
        if (rc != 0) return rc;
        return SockAddr.Family(name) != family ? Ws2Spi.WSAEAFNOSUPPORT : 0;
    }

    public int WSPBind(SOCKET s, byte[] name, int namelen, out int lpErrno) =>
        Run(s, out lpErrno, x => Parse(name, namelen, x.Family, out var ep) is var rc and not 0 ? rc : x.Bind(ep!));

    public int WSPListen(SOCKET s, int backlog, out int lpErrno) => Run(s, out lpErrno, x => x.Listen(backlog));

    public SOCKET WSPJoinLeaf(SOCKET s, byte[] name, int namelen, WSABUF? lpCallerData, WSABUF? lpCalleeData, QOS? lpSQOS, QOS? lpGQOS,
        uint dwFlags, out int lpErrno)
    {
        try
        {
            if (!TryGet(s, out var sock, out lpErrno)) return SOCKET.Invalid;
            lpErrno = Parse(name, namelen, sock.Family, out var ep);
            if (lpErrno != 0) return SOCKET.Invalid;
            return sock.JoinLeaf(ep!, lpCallerData, lpCalleeData, lpSQOS, dwFlags, out lpErrno);
        }
        catch (Exception e)
        {
            Fail(e, out lpErrno);
            return SOCKET.Invalid;
        }
    }

    /// <summary>WSAConnect on a c_leaf is a leaf-initiated join with JL_BOTH; a c_root joins leaves with WSAJoinLeaf only.</summary>
    public int WSPConnect(SOCKET s, byte[] name, int namelen, WSABUF? lpCallerData, WSABUF? lpCalleeData, QOS? lpSQOS, QOS? lpGQOS, out int lpErrno)
    {
        try
        {
            if (!TryGet(s, out var sock, out lpErrno)) return Ws2Spi.SOCKET_ERROR;
            if (sock is not LeafSocket) return Error(Ws2Spi.WSAEOPNOTSUPP, out lpErrno);
            var r = WSPJoinLeaf(s, name, namelen, lpCallerData, lpCalleeData, lpSQOS, lpGQOS, Ws2Spi.JL_BOTH, out lpErrno);
            if (!r.IsValid) return Ws2Spi.SOCKET_ERROR;
            if (sock.NonBlocking && !sock.Joined) return Error(Ws2Spi.WSAEWOULDBLOCK, out lpErrno); // connect's own convention
            return 0;
        }
        catch (Exception e)
        {
            return Fail(e, out lpErrno);
        }
    }

    public SOCKET WSPAccept(SOCKET s, byte[]? addr, ref int addrlen, LPCONDITIONPROC? lpfnCondition, nuint dwCallbackData, out int lpErrno)
    {
        try
        {
            if (!TryGet(s, out var sock, out lpErrno)) return SOCKET.Invalid;
            return sock.Accept(addr, ref addrlen, lpfnCondition, dwCallbackData, out lpErrno);
        }
        catch (Exception e)
        {
            Fail(e, out lpErrno);
            return SOCKET.Invalid;
        }
    }

    public int WSPGetPeerName(SOCKET s, byte[] name, ref int namelen, out int lpErrno)
    {
        int len = namelen;
        int rc = Run(s, out lpErrno, x => x.PeerEndPoint is { } ep ? SockAddr.Write(ep, name, ref len) : Ws2Spi.WSAENOTCONN);
        namelen = len;
        return rc;
    }

    public int WSPGetSockName(SOCKET s, byte[] name, ref int namelen, out int lpErrno)
    {
        int len = namelen;
        int rc = Run(s, out lpErrno, x => x.LocalEndPoint is { } ep ? SockAddr.Write(ep, name, ref len) : Ws2Spi.WSAEINVAL);
        namelen = len;
        return rc;
    }

    // select (ProviderBase.WSPSelect): readable = a message, a pending join, or the session ended; writable = a send would
    // be taken now; exceptional = a failed nonblocking join's error not yet read through SO_ERROR. A join's completion is
    // told by FD_CONNECT (select cannot tell it apart from later room).
}
