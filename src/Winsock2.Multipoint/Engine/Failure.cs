using System.Net.Sockets;

namespace Winsock2.Multipoint.Engine;

/// <summary>Exceptions of the idiomatic surface: a <see cref="SocketException"/> whose code is the Winsock error.</summary>
internal static class Failure
{
    /// <summary>"<paramref name="what"/> failed: WSAECONNREFUSED 10061", with <see cref="SocketException.SocketErrorCode"/> = the Winsock code.</summary>
    public static SocketException Of(int error, string what) => new(error, $"{what} failed: {Ws2_32.WSAErrorText(error)}");
}
