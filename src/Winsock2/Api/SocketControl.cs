using Winsock2.Kernel;
using System.Buffers.Binary;
using Winsock2.Runtime;

namespace Winsock2;

/// <summary>bind, listen, connect, WSAConnect, shutdown, names, options, disconnect, address strings.</summary>
public static partial class Ws2_32
{
    /// <summary>Binds a local address (Windows sockaddr bytes).</summary>
    public static int bind(SOCKET s, byte[] name, int namelen)
    {
        try
        {
            if (!Dispatch.Enter(s, out var p)) return SOCKET_ERROR;
            return Dispatch.Finish(p.WSPBind(s, name, namelen, out int errno), errno);
        }
        catch (Exception e) { return Dispatch.Fail(e); }
    }

    /// <summary>Listens for connections (on a c_leaf: for multipoint invitations).</summary>
    public static int listen(SOCKET s, int backlog)
    {
        try
        {
            if (!Dispatch.Enter(s, out var p)) return SOCKET_ERROR;
            return Dispatch.Finish(p.WSPListen(s, backlog, out int errno), errno);
        }
        catch (Exception e) { return Dispatch.Fail(e); }
    }

    /// <summary>Connects (nonblocking: WSAEWOULDBLOCK, then FD_CONNECT).</summary>
    public static int connect(SOCKET s, byte[] name, int namelen) => WSAConnect(s, name, namelen, null, null, null, null);

    /// <summary>Connects, exchanging connect data and flowspecs where the provider supports them.</summary>
    public static int WSAConnect(SOCKET s, byte[] name, int namelen, WSABUF? lpCallerData, WSABUF? lpCalleeData, QOS? lpSQOS, QOS? lpGQOS)
    {
        try
        {
            if (!Dispatch.Enter(s, out var p)) return SOCKET_ERROR;
            if ((lpCallerData is not null && !lpCallerData.IsValid) || (lpCalleeData is not null && !lpCalleeData.IsValid))
                return Dispatch.Finish(SOCKET_ERROR, WSAEFAULT);
            return Dispatch.FinishClearingOnSuccess(p.WSPConnect(s, name, namelen, lpCallerData, lpCalleeData, lpSQOS, lpGQOS, out int errno), errno);
        }
        catch (Exception e) { return Dispatch.Fail(e); }
    }

    /// <summary>Disables receives (SD_RECEIVE), sends (SD_SEND) or both.</summary>
    public static int shutdown(SOCKET s, int how)
    {
        try
        {
            if (!Dispatch.Enter(s, out var p)) return SOCKET_ERROR;
            return Dispatch.Finish(p.WSPShutdown(s, how, out int errno), errno);
        }
        catch (Exception e) { return Dispatch.Fail(e); }
    }

    /// <summary>The local address; WSAEFAULT (namelen set to the size needed) if the buffer is too small.</summary>
    public static int getsockname(SOCKET s, byte[] name, ref int namelen)
    {
        try
        {
            if (!Dispatch.Enter(s, out var p)) return SOCKET_ERROR;
            return Dispatch.FinishClearingOnSuccess(p.WSPGetSockName(s, name, ref namelen, out int errno), errno);
        }
        catch (Exception e) { return Dispatch.Fail(e); }
    }

    /// <summary>The peer's address.</summary>
    public static int getpeername(SOCKET s, byte[] name, ref int namelen)
    {
        try
        {
            if (!Dispatch.Enter(s, out var p)) return SOCKET_ERROR;
            return Dispatch.Finish(p.WSPGetPeerName(s, name, ref namelen, out int errno), errno);
        }
        catch (Exception e) { return Dispatch.Fail(e); }
    }

    /// <summary>Reads an option into <paramref name="optval"/>; optlen is the buffer size in, the value size out.</summary>
    public static int getsockopt(SOCKET s, int level, int optname, byte[] optval, ref int optlen)
    {
        try
        {
            if (!Dispatch.Enter(s, out var p)) return SOCKET_ERROR;
            return Dispatch.FinishClearingOnSuccess(p.WSPGetSockOpt(s, level, optname, optval, ref optlen, out int errno), errno);
        }
        catch (Exception e) { return Dispatch.Fail(e); }
    }

    /// <summary>Reads an int or BOOL option.</summary>
    public static int getsockopt(SOCKET s, int level, int optname, out int optval)
    {
        var b = new byte[4];
        int len = 4;
        int rc = getsockopt(s, level, optname, b, ref len);
        optval = rc == 0 ? BinaryPrimitives.ReadInt32LittleEndian(b) : 0;
        return rc;
    }

    /// <summary>Reads SO_LINGER.</summary>
    public static int getsockopt(SOCKET s, int level, int optname, out linger optval)
    {
        var b = new byte[4];
        int len = 4;
        int rc = getsockopt(s, level, optname, b, ref len);
        optval = new linger { l_onoff = BinaryPrimitives.ReadUInt16LittleEndian(b), l_linger = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(2)) };
        return rc;
    }

    /// <summary>Reads SO_PROTOCOL_INFOW.</summary>
    public static int getsockopt(SOCKET s, int level, int optname, out WSAPROTOCOL_INFOW? optval)
    {
        var b = new byte[WSAPROTOCOL_INFOW.Size];
        int len = b.Length;
        int rc = getsockopt(s, level, optname, b, ref len);
        optval = rc == 0 ? ProtocolInfoCodec.Read(b) : null;
        return rc;
    }

    /// <summary>Sets an option from <paramref name="optval"/>.</summary>
    public static int setsockopt(SOCKET s, int level, int optname, byte[]? optval, int optlen)
    {
        try
        {
            if (!Dispatch.Enter(s, out var p)) return SOCKET_ERROR;
            return Dispatch.FinishClearingOnSuccess(p.WSPSetSockOpt(s, level, optname, optval, optlen, out int errno), errno);
        }
        catch (Exception e) { return Dispatch.Fail(e); }
    }

    /// <summary>Sets an int or BOOL option.</summary>
    public static int setsockopt(SOCKET s, int level, int optname, int optval)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, optval);
        return setsockopt(s, level, optname, b, 4);
    }

    /// <summary>Sets SO_LINGER.</summary>
    public static int setsockopt(SOCKET s, int level, int optname, linger optval)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(b, optval.l_onoff);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2), optval.l_linger);
        return setsockopt(s, level, optname, b, 4);
    }

    /// <summary>Shuts down sends, with disconnect data where XP1_DISCONNECT_DATA allows (else WSAENOPROTOOPT).</summary>
    public static int WSASendDisconnect(SOCKET s, WSABUF? lpOutboundDisconnectData)
    {
        try
        {
            if (!Dispatch.Enter(s, out var p)) return SOCKET_ERROR;
            return Dispatch.Finish(p.WSPSendDisconnect(s, lpOutboundDisconnectData, out int errno), errno);
        }
        catch (Exception e) { return Dispatch.Fail(e); }
    }

    /// <summary>Shuts down receives, with disconnect data where XP1_DISCONNECT_DATA allows (else WSAENOPROTOOPT).</summary>
    public static int WSARecvDisconnect(SOCKET s, WSABUF? lpInboundDisconnectData)
    {
        try
        {
            if (!Dispatch.Enter(s, out var p)) return SOCKET_ERROR;
            return Dispatch.Finish(p.WSPRecvDisconnect(s, lpInboundDisconnectData, out int errno), errno);
        }
        catch (Exception e) { return Dispatch.Fail(e); }
    }

    /// <summary>
    /// Describes a socket for process <paramref name="dwProcessId"/>, which creates its copy with
    /// WSASocket(FROM_PROTOCOL_INFO ×3, info): the Inet provider hands the descriptor over (one-shot, bounded); the
    /// rooted provider refuses (WSAEOPNOTSUPP). Errors in Windows' order (Wine's test_WSADuplicateSocket): not a socket
    /// WSAENOTSOCK, no such process WSAEINVAL, no structure WSAEFAULT.
    /// </summary>
    public static int WSADuplicateSocket(SOCKET s, uint dwProcessId, WSAPROTOCOL_INFOW lpProtocolInfo)
    {
        try
        {
            if (!Dispatch.Enter(s, out var p)) return SOCKET_ERROR;
            if (dwProcessId == 0 || dwProcessId > int.MaxValue || !Directory.Exists($"/proc/{dwProcessId}"))
                return Dispatch.Finish(SOCKET_ERROR, WSAEINVAL);
            if (lpProtocolInfo is null) return Dispatch.Finish(SOCKET_ERROR, WSAEFAULT);
            return Dispatch.Finish(p.WSPDuplicateSocket(s, dwProcessId, lpProtocolInfo, out int errno), errno);
        }
        catch (Exception e) { return Dispatch.Fail(e); }
    }

    /// <summary>Cancels the blocking call in progress on this thread (called from a completion routine): it fails with WSAEINTR.</summary>
    public static int WSACancelBlockingCall()
    {
        try
        {
            if (!Dispatch.Started()) return SOCKET_ERROR;
            var ctx = ThreadContext.Current;
            if (ctx.BlockingDepth == 0) return Dispatch.Finish(SOCKET_ERROR, WSAEINVAL);
            var entry = Array.Find(ApiInstance.Catalog, e => !e.IsLayered);
            var loaded = entry is null ? null : ApiInstance.TryGetProvider(entry.Id, out _);
            if (loaded is null) return Dispatch.Finish(SOCKET_ERROR, WSAEINVAL);
            return Dispatch.Finish(loaded.Table.WSPCancelBlockingCall(out int errno), errno);
        }
        catch (Exception e) { return Dispatch.Fail(e); }
    }

    /// <summary>Formats a sockaddr ("127.0.0.1:5150", "[::1]:5150").</summary>
    public static int WSAAddressToString(byte[] lpsaAddress, int dwAddressLength, WSAPROTOCOL_INFOW? lpProtocolInfo, out string lpszAddressString)
    {
        lpszAddressString = "";
        try
        {
            if (!Dispatch.Started()) return SOCKET_ERROR;
            var p = ProviderForFamily(lpProtocolInfo, lpsaAddress is null ? 0 : SockAddr.Family(lpsaAddress), out int err);
            if (p is null) return Dispatch.Finish(SOCKET_ERROR, err);
            return Dispatch.Finish(p.WSPAddressToString(lpsaAddress!, dwAddressLength, lpProtocolInfo, out lpszAddressString, out int errno), errno);
        }
        catch (Exception e) { return Dispatch.Fail(e); }
    }

    /// <summary>Parses "address[:port]" into sockaddr bytes; lpAddressLength is the buffer size in, the address size out.</summary>
    public static int WSAStringToAddress(string AddressString, int AddressFamily, WSAPROTOCOL_INFOW? lpProtocolInfo, byte[] lpAddress, ref int lpAddressLength)
    {
        try
        {
            if (!Dispatch.Started()) return SOCKET_ERROR;
            var p = ProviderForFamily(lpProtocolInfo, AddressFamily == AF_UNSPEC ? AF_INET : AddressFamily, out int err);
            if (p is null) return Dispatch.Finish(SOCKET_ERROR, err);
            return Dispatch.Finish(p.WSPStringToAddress(AddressString, AddressFamily, lpProtocolInfo, lpAddress, ref lpAddressLength, out int errno), errno);
        }
        catch (Exception e) { return Dispatch.Fail(e); }
    }

    private static WSPPROC_TABLE? ProviderForFamily(WSAPROTOCOL_INFOW? info, int af, out int errno)
    {
        var entry = info is not null
            ? Array.Find(ApiInstance.Catalog, e => e.Id == info.dwCatalogEntryId)
            : ProviderSelection.Choose(ApiInstance.Catalog, af, 0, 0, out _);
        if (entry is null) { errno = info is null ? WSAEAFNOSUPPORT : WSAEINVAL; return null; }
        return ApiInstance.TryGetProvider(entry.Id, out errno)?.Table;
    }
}
