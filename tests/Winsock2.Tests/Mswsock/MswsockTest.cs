using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Mswsock;

/// <summary>What the extension-function tests share: loading a function as a C program does, and waiting for an overlapped result.</summary>
public abstract class MswsockTest : WinsockTest
{
    /// <summary>The address block AcceptEx needs for IPv4: sizeof(sockaddr_in) + 16.</summary>
    protected const uint AddrBlock = 16 + 16;

    /// <summary>WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) for <paramref name="id"/>, which must succeed.</summary>
    protected static T Load<T>(SOCKET s, Guid id) where T : Delegate
    {
        Ok(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, id, out T? fn, out uint bytes, null, null), "WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER)");
        Assert.Equal(8u, bytes);
        return fn!;
    }

    protected static SOCKET Tcp(int af = AF_INET) => Check(WSASocket(af, SOCK_STREAM, IPPROTO_TCP, null, 0, WSA_FLAG_OVERLAPPED));

    /// <summary>An overlapped structure with its own event.</summary>
    protected static WSAOVERLAPPED Overlapped() => new() { hEvent = WSACreateEvent() };

    /// <summary>Waits (generously) for the overlapped operation; true when it succeeded, with its byte count.</summary>
    protected static bool Finish(SOCKET s, WSAOVERLAPPED ov, out uint bytes)
    {
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ov.hEvent], false, 20_000, false));
        return WSAGetOverlappedResult(s, ov, out bytes, false, out _);
    }

    /// <summary>Asserts a BOOL extension function failed with exactly <paramref name="expectedError"/>.</summary>
    protected static void FailsWith(int expectedError, bool result)
    {
        Assert.False(result);
        Assert.Equal(expectedError, WSAGetLastError());
    }
}
