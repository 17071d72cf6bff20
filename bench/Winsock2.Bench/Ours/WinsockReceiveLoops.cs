using System.Net;
using Winsock2.Bench.Suites;
using static Winsock2.Ws2_32;

namespace Winsock2.Bench.Ours;

/// <summary>Our receive path: a WSASocket TCP client through Ws2_32 (WSAStartup is done by the program).</summary>
public abstract class WinsockReceiveLoop : IReceiveLoop
{
    protected SOCKET S { get; private set; } = INVALID_SOCKET;

    public void Connect(IPEndPoint feeder, int receiveBufferBytes)
    {
        S = WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, WSA_FLAG_OVERLAPPED);
        if (!S.IsValid) throw Error("WSASocket");
        if (setsockopt(S, SOL_SOCKET, SO_RCVBUF, receiveBufferBytes) == SOCKET_ERROR) throw Error("setsockopt(SO_RCVBUF)");
        if (setsockopt(S, SOL_SOCKET, SO_RCVTIMEO, 20_000) == SOCKET_ERROR) throw Error("setsockopt(SO_RCVTIMEO)");
        var addr = SockAddr.From(feeder);
        if (connect(S, addr, addr.Length) == SOCKET_ERROR) throw Error("connect");
    }

    public abstract string? ReceiveAll(long total, int size, bool verify);

    public void Dispose()
    {
        if (S.IsValid) closesocket(S);
    }

    protected static InvalidOperationException Error(string call) => new($"{call} failed with {WSAGetLastError()}");

    protected static string? Check(byte[] buf, int n, long got, bool verify) =>
        verify && !ReceiveFeed.Verify(buf.AsSpan(0, n), got) ? $"wrong bytes at stream offset {got}" : null;
}

/// <summary>recv on a blocking socket, one call per message.</summary>
public sealed class BlockingRecv : WinsockReceiveLoop
{
    public override string? ReceiveAll(long total, int size, bool verify)
    {
        var buf = new byte[size];
        long got = 0;
        while (got < total)
        {
            int n = recv(S, buf, (int)Math.Min(size, total - got), 0);
            if (n <= 0) return $"recv returned {n} (error {WSAGetLastError()}) after {got} of {total} bytes";
            if (Check(buf, n, got, verify) is { } bad) return bad;
            got += n;
        }
        return null;
    }
}

/// <summary>
/// Overlapped WSARecv with an event, the canonical loop: post, WSAWaitForMultipleEvents (the event is signalled for
/// immediate completions too), WSAGetOverlappedResult, WSAResetEvent.
/// </summary>
public sealed class OverlappedEventRecv : WinsockReceiveLoop
{
    public override string? ReceiveAll(long total, int size, bool verify)
    {
        var buf = new byte[size];
        var wsabuf = new WSABUF(buf);
        WSABUF[] bufs = [wsabuf];
        var ev = WSACreateEvent();
        WSAEVENT[] events = [ev];
        var ov = new WSAOVERLAPPED { hEvent = ev };
        try
        {
            long got = 0;
            while (got < total)
            {
                wsabuf.len = (uint)Math.Min(size, total - got);
                uint flags = 0;
                int rc = WSARecv(S, bufs, 1, out _, ref flags, ov, null);
                if (rc == SOCKET_ERROR && WSAGetLastError() != WSA_IO_PENDING) return $"WSARecv failed with {WSAGetLastError()}";
                if (WSAWaitForMultipleEvents(1, events, false, 20_000, false) != WSA_WAIT_EVENT_0) return "WSAWaitForMultipleEvents timed out";
                if (!WSAGetOverlappedResult(S, ov, out uint n, false, out _)) return $"WSAGetOverlappedResult failed with {WSAGetLastError()}";
                WSAResetEvent(ev);
                if (n == 0) return $"connection closed after {got} of {total} bytes";
                if (Check(buf, (int)n, got, verify) is { } bad) return bad;
                got += n;
            }
            return null;
        }
        finally { WSACloseEvent(ev); }
    }
}

/// <summary>Overlapped WSARecv with a completion routine, run by SleepEx(…, TRUE) on this thread.</summary>
public sealed class CompletionRoutineRecv : WinsockReceiveLoop
{
    private uint _error, _bytes;
    private bool _done;

    public override string? ReceiveAll(long total, int size, bool verify)
    {
        var buf = new byte[size];
        var wsabuf = new WSABUF(buf);
        WSABUF[] bufs = [wsabuf];
        var ov = new WSAOVERLAPPED();
        LPWSAOVERLAPPED_COMPLETION_ROUTINE routine = OnCompleted;
        long got = 0;
        while (got < total)
        {
            wsabuf.len = (uint)Math.Min(size, total - got);
            uint flags = 0;
            _done = false;
            int rc = WSARecv(S, bufs, 1, out _, ref flags, ov, routine);
            if (rc == SOCKET_ERROR && WSAGetLastError() != WSA_IO_PENDING) return $"WSARecv failed with {WSAGetLastError()}";
            while (!_done)
            {
                if (SleepEx(20_000, true) != WSA_WAIT_IO_COMPLETION) return "SleepEx returned without running the completion routine";
            }
            if (_error != 0) return $"completion routine reported error {_error}";
            if (_bytes == 0) return $"connection closed after {got} of {total} bytes";
            if (Check(buf, (int)_bytes, got, verify) is { } bad) return bad;
            got += _bytes;
        }
        return null;
    }

    private void OnCompleted(uint dwError, uint cbTransferred, WSAOVERLAPPED lpOverlapped, uint dwFlags)
    {
        _error = dwError;
        _bytes = cbTransferred;
        _done = true;
    }
}
