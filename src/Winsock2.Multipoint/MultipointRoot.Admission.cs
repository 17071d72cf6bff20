using System.Net;
using Winsock2.Multipoint.Engine;
using static Winsock2.Ws2_32;

namespace Winsock2.Multipoint;

public sealed partial class MultipointRoot
{
    private LeafJoinRequest? _request;
    private byte[] _calleeReply = [];
    private int _nextId;

    /// <summary>FD_ACCEPT: WSAAccept with the condition function until no join waits (loop thread).</summary>
    private void AcceptJoins()
    {
        while (true)
        {
            _request = null;
            _calleeReply = [];
            var handle = WSAAccept(_socket, Condition, 0);
            if (handle.IsValid)
            {
                var request = _request ?? new LeafJoinRequest(new IPEndPoint(IPAddress.None, 0), [], null);
                var granted = request.HasQos ? Calls.GrantedQos(handle) : null;
                AddLeaf(handle, new MultipointLeafInfo(++_nextId, Calls.PeerEndPoint(handle) ?? request.Leaf, request.CallerData, _calleeReply, granted, Invited: false));
                continue;
            }
            int error = WSAGetLastError();
            if (error is WSAECONNREFUSED or WSAEOPNOTSUPP)
            {
                MultipointTelemetry.JoinsRefused.Add(1);
                MultipointLog.JoinRefused(_log, _request?.Leaf, WSAErrorText(error));
                continue;
            }
            if (error != WSAEWOULDBLOCK) MultipointLog.CallFailed(_log, "WSAAccept", WSAErrorText(error));
            return;
        }
    }

    /// <summary>WSAAccept's condition function: asks the admission callback, writes its callee data.</summary>
    private int Condition(WSABUF? lpCallerId, WSABUF? lpCallerData, QOS? lpSQOS, QOS? lpGQOS, WSABUF? lpCalleeId, WSABUF? lpCalleeData, out uint g, nuint dwCallbackData)
    {
        g = 0;
        var caller = lpCallerId?.buf is { } id && SockAddr.TryParse(id, (int)lpCallerId.len, out var ep) == 0 ? ep! : new IPEndPoint(IPAddress.None, 0);
        var request = new LeafJoinRequest(caller, Calls.Bytes(lpCallerData), lpSQOS);
        _request = request;
        LeafAdmission verdict;
        try
        {
            verdict = _options.Admission?.Invoke(request) ?? LeafAdmission.Accept();
        }
        catch (Exception e)
        {
            MultipointLog.AdmissionFailed(_log, caller, e);
            return CF_REJECT;
        }
        if (!verdict.Accepted) return CF_REJECT;
        _calleeReply = Calls.WriteCalleeData(lpCalleeData, verdict.CalleeData);
        return CF_ACCEPT;
    }

    /// <summary>A leaf is in: watch its socket for FD_CLOSE and announce it (loop thread).</summary>
    private void AddLeaf(SOCKET handle, MultipointLeafInfo leaf)
    {
        _leaves[handle] = leaf;
        MultipointTelemetry.Leaves.Add(1);
        MultipointTelemetry.Joins.Add(1, new KeyValuePair<string, object?>("direction", leaf.Invited ? "root-initiated" : "leaf-initiated"));
        MultipointLog.LeafJoined(_log, leaf.EndPoint, leaf.Id, leaf.Invited);
        _joined.Writer.TryWrite(leaf);
        int error = _loop.Watch(handle, FD_CLOSE, e => LeafGone(handle, e.iErrorCode[FD_CLOSE_BIT]));
        if (error != 0) LeafGone(handle, error);
    }

    /// <summary>FD_CLOSE on a leaf's socket: read what it sent before it left, then announce the departure (loop thread).</summary>
    private void LeafGone(SOCKET handle, int error)
    {
        if (!_leaves.TryGetValue(handle, out var leaf)) return;
        _received.Drain(); // its last messages still find their sender
        _leaves.TryRemove(handle, out _);
        _loop.Unwatch(handle);
        closesocket(handle);
        MultipointTelemetry.Leaves.Add(-1);
        MultipointLog.LeafLeft(_log, leaf.EndPoint, WSAErrorText(error));
        _left.Writer.TryWrite(new LeafLeft(leaf, error));
    }

    /// <summary>The session's record of the leaf at <paramref name="from"/> (a stand-in with Id 0 once it is gone).</summary>
    private MultipointLeafInfo FindLeaf(IPEndPoint from)
    {
        foreach (var leaf in _leaves.Values)
            if (leaf.EndPoint.Equals(from)) return leaf;
        return new MultipointLeafInfo(0, from, default, default, null, false);
    }
}
