using Winsock2.Runtime;

namespace Winsock2;

/// <summary>socket, WSASocket, accept, WSAAccept, WSAJoinLeaf, closesocket.</summary>
public static partial class Ws2_32
{
    /// <summary>Creates a socket (overlapped-capable, as on Windows).</summary>
    public static SOCKET socket(int af, int type, int protocol) => WSASocket(af, type, protocol, null, 0, WSA_FLAG_OVERLAPPED);

    /// <summary>
    /// Creates a socket on the catalog entry <paramref name="lpProtocolInfo"/> names, or on the first entry that
    /// matches (af, type, protocol). Multipoint flags are checked against the entry (WSAEINVAL).
    /// </summary>
    public static SOCKET WSASocket(int af, int type, int protocol, WSAPROTOCOL_INFOW? lpProtocolInfo, uint g, uint dwFlags)
    {
        try
        {
            if (!Dispatch.Started()) return INVALID_SOCKET;
            var catalog = ApiInstance.Catalog;
            CatalogEntry? entry;
            if (lpProtocolInfo is not null)
            {
                entry = Array.Find(catalog, e => e.Id == lpProtocolInfo.dwCatalogEntryId);
                if (entry is null) return Dispatch.Finish(INVALID_SOCKET, WSAEINVAL);
                // FROM_PROTOCOL_INFO, and 0 as Windows takes it (Wine's test_WSASocket), mean the structure's member;
                // a family the entry does not have is WSAEAFNOSUPPORT.
                if (af is FROM_PROTOCOL_INFO or 0) af = lpProtocolInfo.iAddressFamily;
                if (type is FROM_PROTOCOL_INFO or 0) type = lpProtocolInfo.iSocketType;
                if (protocol is FROM_PROTOCOL_INFO or 0) protocol = lpProtocolInfo.iProtocol;
                if (af != entry.Info.iAddressFamily && entry.Info.iAddressFamily != AF_UNSPEC)
                    return Dispatch.Finish(INVALID_SOCKET, WSAEAFNOSUPPORT);
            }
            else
            {
                // Without a structure FROM_PROTOCOL_INFO (-1) is an unsupported value like any other (test_WSASocket).
                entry = ProviderSelection.Choose(catalog, af, type, protocol, out int chooseErr);
                if (entry is null) return Dispatch.Finish(INVALID_SOCKET, chooseErr);
            }
            int flagErr = ProviderSelection.CheckMultipointFlags(entry.Info, dwFlags);
            if (flagErr != 0) return Dispatch.Finish(INVALID_SOCKET, flagErr);
            var loaded = ApiInstance.TryGetProvider(entry.Id, out int loadErr);
            if (loaded is null) return Dispatch.Finish(INVALID_SOCKET, loadErr);
            var info = entry.Info.Clone();
            // A structure from WSADuplicateSocket carries the provider's handoff key (dwProviderReserved).
            if (lpProtocolInfo is not null) info.dwProviderReserved = lpProtocolInfo.dwProviderReserved;
            var s = loaded.Table.WSPSocket(af, type, protocol, info, g, dwFlags, out int errno);
            return Dispatch.Finish(s, errno);
        }
        catch (Exception e)
        {
            Dispatch.Fail(e);
            return INVALID_SOCKET;
        }
    }

    /// <summary>Accepts a connection; <paramref name="addr"/> receives the peer's sockaddr.</summary>
    public static SOCKET accept(SOCKET s, byte[]? addr, ref int addrlen) => WSAAccept(s, addr, ref addrlen, null, 0);

    /// <summary>Accepts a connection without asking for the peer's address.</summary>
    public static SOCKET accept(SOCKET s)
    {
        int len = 0;
        return WSAAccept(s, null, ref len, null, 0);
    }

    /// <summary>
    /// Accepts a connection after the condition function: CF_ACCEPT → a new socket with the listener's
    /// properties; CF_REJECT → WSAECONNREFUSED; CF_DEFER → WSATRY_AGAIN and the request stays queued.
    /// </summary>
    public static SOCKET WSAAccept(SOCKET s, byte[]? addr, ref int addrlen, LPCONDITIONPROC? lpfnCondition, nuint dwCallbackData)
    {
        try
        {
            if (!Dispatch.Enter(s, out var p)) return INVALID_SOCKET;
            var r = p.WSPAccept(s, addr, ref addrlen, lpfnCondition, dwCallbackData, out int errno);
            return Dispatch.Finish(r, errno);
        }
        catch (Exception e)
        {
            Dispatch.Fail(e);
            return INVALID_SOCKET;
        }
    }

    /// <summary>WSAAccept without an address buffer.</summary>
    public static SOCKET WSAAccept(SOCKET s, LPCONDITIONPROC? lpfnCondition, nuint dwCallbackData)
    {
        int len = 0;
        return WSAAccept(s, null, ref len, lpfnCondition, dwCallbackData);
    }

    /// <summary>
    /// Joins a leaf to a multipoint session (the seeds): exchanges connect data and flowspecs; returns the
    /// leaf's own socket (leaf-initiated or nonrooted) or a new c_leaf socket (root-initiated).
    /// </summary>
    public static SOCKET WSAJoinLeaf(SOCKET s, byte[] name, int namelen, WSABUF? lpCallerData, WSABUF? lpCalleeData,
        QOS? lpSQOS, QOS? lpGQOS, uint dwFlags)
    {
        try
        {
            if (!Dispatch.Enter(s, out var p)) return INVALID_SOCKET;
            if (name is null || namelen <= 0 || namelen > name.Length) return Dispatch.Finish(INVALID_SOCKET, WSAEFAULT);
            if ((lpCallerData is not null && !lpCallerData.IsValid) || (lpCalleeData is not null && !lpCalleeData.IsValid))
                return Dispatch.Finish(INVALID_SOCKET, WSAEFAULT);
            var r = p.WSPJoinLeaf(s, name, namelen, lpCallerData, lpCalleeData, lpSQOS, lpGQOS, dwFlags, out int errno);
            return Dispatch.Finish(r, errno);
        }
        catch (Exception e)
        {
            Dispatch.Fail(e);
            return INVALID_SOCKET;
        }
    }

    /// <summary>Closes a socket; pending overlapped operations complete with WSA_OPERATION_ABORTED.</summary>
    public static int closesocket(SOCKET s)
    {
        try
        {
            if (!Dispatch.Enter(s, out var p)) return SOCKET_ERROR;
            ApiInstance.Sockets.TryGet(s.Value, out var entry);
            int rc = p.WSPCloseSocket(s, out int errno);
            // A non-IFS provider released its handle with WPUCloseSocketHandle; an IFS handle is dropped here.
            if (rc != SOCKET_ERROR && entry is { IsIfs: true }) ApiInstance.Sockets.TryRemove(s.Value, entry);
            return Dispatch.Finish(rc, errno);
        }
        catch (Exception e) { return Dispatch.Fail(e); }
    }
}
