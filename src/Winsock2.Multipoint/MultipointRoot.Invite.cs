using System.Net.Sockets;
using System.Net;
using Winsock2.Multipoint.Engine;
using static Winsock2.Ws2_32;

namespace Winsock2.Multipoint;

public sealed partial class MultipointRoot
{
    private sealed class Invitation(IPEndPoint leaf, ReadOnlyMemory<byte> callerData, QOS? qos)
    {
        public readonly IPEndPoint Leaf = leaf;
        public readonly WSABUF? CallerData = Calls.ConnectData(callerData);
        public readonly QOS? Qos = qos?.Clone();
        public readonly WSABUF Callee = new(new byte[MP_MAX_CONNECT_DATA]);
        public readonly TaskCompletionSource<MultipointLeafInfo> Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public SOCKET Handle = SOCKET.Invalid;
    }

    private readonly SemaphoreSlim _inviteGate = new(1, 1);
    private Invitation? _invitation;

    /// <summary>
    /// Invites a listening leaf (root-initiated join): WSAJoinLeaf on the root returns a new socket for the leaf at
    /// once; the root's FD_CONNECT tells the outcome. One invitation is outstanding at a time; later calls wait.
    /// </summary>
    /// <param name="leaf">The leaf's listening address.</param>
    /// <param name="callerData">The invitation's caller data (at most MP_MAX_CONNECT_DATA = 4096 bytes); the leaf's condition function sees it.</param>
    /// <param name="qos">Flowspecs to ask for (lpSQOS); the leaf may lower them. Null: none.</param>
    /// <param name="cancellationToken">Withdraws the invitation (closesocket on the new socket).</param>
    /// <returns>The leaf, with the callee data it answered.</returns>
    /// <exception cref="SocketException">WSAECONNREFUSED (refused, or nobody listening), WSAETIMEDOUT, ...</exception>
    /// <exception cref="ObjectDisposedException">The root was disposed.</exception>
    public async ValueTask<MultipointLeafInfo> InviteAsync(IPEndPoint leaf, ReadOnlyMemory<byte> callerData = default, QOS? qos = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ThrowIfDisposed();
        var invitation = new Invitation(leaf, callerData, qos);
        await _inviteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_loop.Post(() => StartInvite(invitation))) throw new ObjectDisposedException(nameof(MultipointRoot));
            using var withdraw = cancellationToken.Register(() => _loop.Post(() => WithdrawInvite(invitation, cancellationToken)));
            return await invitation.Done.Task.ConfigureAwait(false);
        }
        finally
        {
            _inviteGate.Release();
        }
    }

    private void StartInvite(Invitation invitation)
    {
        var name = SockAddr.From(invitation.Leaf);
        var handle = WSAJoinLeaf(_socket, name, name.Length, invitation.CallerData, invitation.Callee, invitation.Qos, null, JL_BOTH);
        if (!handle.IsValid)
        {
            invitation.Done.TrySetException(Failure.Of(WSAGetLastError(), $"invitation to {invitation.Leaf}"));
            return;
        }
        invitation.Handle = handle;
        _invitation = invitation;
    }

    /// <summary>FD_CONNECT on the root: the outstanding invitation finished (loop thread).</summary>
    private void InviteCompleted(int error)
    {
        if (_invitation is not { } invitation) return;
        _invitation = null;
        if (error != 0)
        {
            closesocket(invitation.Handle);
            invitation.Done.TrySetException(Failure.Of(error, $"invitation to {invitation.Leaf}"));
            return;
        }
        var granted = invitation.Qos is null ? null : Calls.GrantedQos(invitation.Handle);
        var leaf = new MultipointLeafInfo(++_nextId, Calls.PeerEndPoint(invitation.Handle) ?? invitation.Leaf,
            Calls.Bytes(invitation.CallerData), Calls.Bytes(invitation.Callee), granted, Invited: true);
        AddLeaf(invitation.Handle, leaf);
        invitation.Done.TrySetResult(leaf);
    }

    private void WithdrawInvite(Invitation invitation, CancellationToken cancellationToken)
    {
        if (_invitation != invitation) return;
        _invitation = null;
        closesocket(invitation.Handle);
        invitation.Done.TrySetCanceled(cancellationToken);
    }

    private void FailInvite(int error)
    {
        if (_invitation is not { } invitation) return;
        _invitation = null;
        closesocket(invitation.Handle);
        invitation.Done.TrySetException(Failure.Of(error, $"invitation to {invitation.Leaf}"));
    }
}
