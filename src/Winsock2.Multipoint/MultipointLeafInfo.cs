using System.Net;

namespace Winsock2.Multipoint;

/// <summary>One leaf of a root's session, as the root knows it.</summary>
/// <param name="Id">A number the root gives its leaves in join order, from 1.</param>
/// <param name="EndPoint">The leaf's address as the root sees it.</param>
/// <param name="CallerData">The caller data the leaf joined with (for an invited leaf: what the root invited it with).</param>
/// <param name="CalleeData">The callee data the root answered with (for an invited leaf: what the leaf answered).</param>
/// <param name="Granted">The granted flowspecs (SIO_GET_QOS on the root's socket for the leaf), or null without QoS.</param>
/// <param name="Invited">True when the root invited the leaf (root-initiated join).</param>
public sealed record MultipointLeafInfo(int Id, IPEndPoint EndPoint, ReadOnlyMemory<byte> CallerData, ReadOnlyMemory<byte> CalleeData, QOS? Granted, bool Invited);

/// <summary>A message a leaf sent to the root.</summary>
/// <param name="Leaf">Which leaf sent it (WSARecvFrom's lpFrom, matched to the session's leaves).</param>
/// <param name="Data">The whole message.</param>
public readonly record struct LeafMessage(MultipointLeafInfo Leaf, byte[] Data);

/// <summary>A leaf left the session (the root's socket for it got FD_CLOSE).</summary>
/// <param name="Leaf">The leaf.</param>
/// <param name="ErrorCode">FD_CLOSE's error: 0 when it left gracefully; WSAECONNRESET, WSAECONNABORTED or WSAENETRESET when it vanished.</param>
public readonly record struct LeafLeft(MultipointLeafInfo Leaf, int ErrorCode)
{
    /// <summary>True when the leaf left gracefully.</summary>
    public bool Graceful => ErrorCode == 0;
}

/// <summary>Why a leaf's session ended.</summary>
/// <param name="ErrorCode">0 when it ended gracefully (the root ended the session or dropped the leaf, or this leaf left); else the Winsock error (WSAECONNRESET, WSAECONNABORTED, WSAENETRESET).</param>
/// <param name="Local">True when this leaf left (disposed), false when the root or the network ended it.</param>
public readonly record struct MultipointCloseReason(int ErrorCode, bool Local)
{
    /// <summary>The error's winsock2.h name ("NO_ERROR" for 0).</summary>
    public string ErrorName => Ws2_32.WSAErrorName(ErrorCode);
}
