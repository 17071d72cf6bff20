using System.Net;
using System.Net.Sockets;
using Winsock2.Providers.Core;
using Winsock2.Kernel;

[assembly: Winsock2.WSPProviderEntry(typeof(Winsock2.Providers.Inet.InetProvider))]

namespace Winsock2.Providers.Inet;

/// <summary>
/// The base provider: TCP and UDP over System.Net.Sockets. A non-IFS provider: every handle comes from
/// WPUCreateSocketHandle, every call finds its socket through WPUQuerySocketHandleContext.
/// </summary>
internal sealed partial class InetProvider : ProviderBase<InetSocket>, WSPPROC_TABLE, IWSPProviderSetup
{
    /// <inheritdoc />
    public Guid ProviderId => InetCatalog.ProviderId;

    /// <inheritdoc />
    public WSAPROTOCOL_INFOW[] GetProtocolInfos() => InetCatalog.Entries();

    private WSPUPCALLTABLE _upcalls => Upcalls;

    protected override string Description => "Winsock2.NET TCP/UDP provider";
    protected override WSPPROC_TABLE Table => this;

    /// <inheritdoc />
    public SOCKET WSPSocket(int af, int type, int protocol, WSAPROTOCOL_INFOW? lpProtocolInfo, uint g, uint dwFlags, out int lpErrno)
    {
        try
        {
            if (lpProtocolInfo is null) { lpErrno = Ws2Spi.WSAEINVAL; return SOCKET.Invalid; }
            if ((dwFlags & (Ws2Spi.WSA_FLAG_MULTIPOINT_C_ROOT | Ws2Spi.WSA_FLAG_MULTIPOINT_D_ROOT)) != 0)
            {
                lpErrno = Ws2Spi.WSAEINVAL; // IP multicast has no root
                return SOCKET.Invalid;
            }
            if (lpProtocolInfo.dwProviderReserved != 0) return Duplicated(lpProtocolInfo, dwFlags, out lpErrno);
            var family = lpProtocolInfo.iAddressFamily == Ws2Spi.AF_INET6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
            bool stream = lpProtocolInfo.iSocketType == Ws2Spi.SOCK_STREAM;
            var os = new Socket(family, stream ? SocketType.Stream : SocketType.Dgram, stream ? ProtocolType.Tcp : ProtocolType.Udp);
            if (family == AddressFamily.InterNetworkV6) os.DualMode = false; // Windows' default: IPV6_V6ONLY
            var sock = new InetSocket(_upcalls, lpProtocolInfo.Clone(), dwFlags, os);
            var handle = _upcalls.WPUCreateSocketHandle(lpProtocolInfo.dwCatalogEntryId, sock, out lpErrno);
            if (!handle.IsValid)
            {
                sock.Close();
                return SOCKET.Invalid;
            }
            sock.AttachHandle(handle);
            return handle;
        }
        catch (Exception e)
        {
            Fail(e, out lpErrno);
            if (lpErrno == Ws2Spi.WSASYSCALLFAILURE) lpErrno = Ws2Spi.WSAENOBUFS;
            return SOCKET.Invalid;
        }
    }

    /// <summary>
    /// WSPSocket on a WSAPROTOCOL_INFOW from WSPDuplicateSocket: claims the offered descriptor (WSAEINVAL when the
    /// offer is gone, was claimed, or is for another process) and wraps it with its state read back from the kernel.
    /// </summary>
    private SOCKET Duplicated(WSAPROTOCOL_INFOW info, uint flags, out int errno)
    {
        var fd = SocketHandoff.Take(info.dwProviderReserved, out errno);
        if (fd is null) return SOCKET.Invalid;
        var mine = info.Clone();
        mine.dwProviderReserved = 0;
        var sock = new InetSocket(_upcalls, mine, flags, InetSocket.FromHandle(fd));
        var handle = _upcalls.WPUCreateSocketHandle(mine.dwCatalogEntryId, sock, out errno);
        if (!handle.IsValid)
        {
            sock.Close();
            return SOCKET.Invalid;
        }
        sock.AttachHandle(handle);
        sock.InitDuplicated();
        return handle;
    }

    /// <summary>
    /// WSPDuplicateSocket: the socket is offered to process <paramref name="dwProcessId"/>, which creates its copy
    /// with WSPSocket on the filled-in structure (see <see cref="SocketHandoff"/>); WSAEINVAL when no such process runs.
    /// </summary>
    public override int WSPDuplicateSocket(SOCKET s, uint dwProcessId, WSAPROTOCOL_INFOW lpProtocolInfo, out int lpErrno) =>
        Run(s, out lpErrno, x => dwProcessId == 0 || dwProcessId > int.MaxValue || !Directory.Exists($"/proc/{dwProcessId}")
            ? Ws2Spi.WSAEINVAL
            : x.Duplicate((int)dwProcessId, lpProtocolInfo));

    /// <summary>Wraps an accepted connection as a new socket of the listener's kind.</summary>
    internal SOCKET Adopt(InetSocket listener, Socket conn, out int errno)
    {
        var sock = new InetSocket(_upcalls, listener.Info, listener.Flags, conn);
        var handle = _upcalls.WPUCreateSocketHandle(listener.Info.dwCatalogEntryId, sock, out errno);
        if (!handle.IsValid)
        {
            sock.Close();
            return SOCKET.Invalid;
        }
        sock.AttachHandle(handle);
        sock.InitAccepted(listener);
        return handle;
    }

    /// <inheritdoc />
    public SOCKET WSPAccept(SOCKET s, byte[]? addr, ref int addrlen, LPCONDITIONPROC? lpfnCondition, nuint dwCallbackData, out int lpErrno)
    {
        try
        {
            if (!TryGet(s, out var sock, out lpErrno)) return SOCKET.Invalid;
            return sock.Accept(this, addr, ref addrlen, lpfnCondition, dwCallbackData, out lpErrno);
        }
        catch (Exception e)
        {
            Fail(e, out lpErrno);
            return SOCKET.Invalid;
        }
    }

    /// <inheritdoc />
    public int WSPBind(SOCKET s, byte[] name, int namelen, out int lpErrno) => Run(s, out lpErrno, (name, namelen), static (x, a) => x.Bind(a.name, a.namelen));

    /// <inheritdoc />
    public int WSPListen(SOCKET s, int backlog, out int lpErrno) => Run(s, out lpErrno, backlog, static (x, backlog) => x.Listen(backlog));

    /// <inheritdoc />
    public int WSPConnect(SOCKET s, byte[] name, int namelen, WSABUF? lpCallerData, WSABUF? lpCalleeData, QOS? lpSQOS, QOS? lpGQOS, out int lpErrno) =>
        Run(s, out lpErrno, (name, namelen, lpCallerData, lpCalleeData, lpSQOS),
            static (x, a) => x.Connect(a.name, a.namelen, a.lpCallerData, a.lpCalleeData, a.lpSQOS));

    /// <inheritdoc />
    public int WSPGetPeerName(SOCKET s, byte[] name, ref int namelen, out int lpErrno)
    {
        int len = namelen;
        int rc = Run(s, out lpErrno, x => x.GetPeerName(name, ref len));
        namelen = len;
        return rc;
    }

    /// <inheritdoc />
    public int WSPGetSockName(SOCKET s, byte[] name, ref int namelen, out int lpErrno)
    {
        int len = namelen;
        int rc = Run(s, out lpErrno, x => x.GetSockName(name, ref len));
        namelen = len;
        return rc;
    }

    /// <inheritdoc />
    public SOCKET WSPJoinLeaf(SOCKET s, byte[] name, int namelen, WSABUF? lpCallerData, WSABUF? lpCalleeData, QOS? lpSQOS, QOS? lpGQOS,
        uint dwFlags, out int lpErrno)
    {
        // Nonrooted (IP multicast): the leaf joins with its own socket, which is the result.
        int rc = Run(s, out lpErrno, x => x.JoinLeaf(name, namelen, lpCallerData, lpCalleeData, lpSQOS, dwFlags));
        return rc == 0 ? s : SOCKET.Invalid;
    }

}
