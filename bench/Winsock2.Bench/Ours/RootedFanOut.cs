using System.Diagnostics;
using System.Net;
using Winsock2.Bench.Suites;
using static Winsock2.Ws2_32;

namespace Winsock2.Bench.Ours;

/// <summary>
/// Our fan-out through the plain path: a c_root/d_root SOCK_SEQPACKET socket; leaves (c_leaf/d_leaf) join with
/// WSAJoinLeaf and the root accepts them. The root sends one message per send() — same frame bytes as the baseline —
/// and the provider does the batching. Each leaf does blocking recv (one message per call) and verifies every frame.
/// shutdown(SD_SEND) on the root ends the session: leaves see WSAEDISCON after the last message.
/// </summary>
public sealed class RootedFanOut : IFanOutSide
{
    public string Key => "recv";

    public IFanOutRoot CreateRoot() => new RootedFanOutRoot(registeredIo: false);

    public LeafReport RunLeaf(IPEndPoint root, int messageSize, Action ready)
    {
        var verifier = new FrameVerifier(messageSize);
        int frame = FanOutFrame.Length(messageSize);
        string? error = null;
        var s = INVALID_SOCKET;
        try
        {
            s = RootedFanOutRoot.JoinLeaf(root, Rooted.LeafFlags);
            ready();
            var buf = new byte[frame + 1];
            while (true)
            {
                int n = recv(s, buf, buf.Length, 0);
                if (n == SOCKET_ERROR)
                {
                    int e = WSAGetLastError();
                    if (e != WSAEDISCON) error = $"recv failed with {e} after {verifier.Received} messages";
                    break;
                }
                if (n == 0) break; // a zero-length end, should the provider report one
                if (n != frame) { error ??= $"message of {n} bytes, expected {frame}"; continue; }
                verifier.Feed(buf.AsSpan(0, n));
            }
            verifier.End();
        }
        catch (InvalidOperationException e) { error = e.Message; }
        finally { if (s.IsValid) closesocket(s); }
        return new LeafReport(verifier.Received, verifier.Error ?? error, Stopwatch.GetTimestamp());
    }
}

/// <summary>
/// The root of our fan-out sides: a c_root/d_root SOCK_SEQPACKET socket on 127.0.0.1 that accepts the leaves' joins;
/// sends one message per send(). The Registered I/O side derives from it and sends through RIOSend instead.
/// </summary>
public class RootedFanOutRoot(bool registeredIo) : IFanOutRoot
{
    private readonly List<SOCKET> _accepted = [];
    protected SOCKET RootSocket { get; private set; } = INVALID_SOCKET;
    protected int MessageSize { get; private set; }

    /// <summary>A leaf socket with <paramref name="flags"/>, joined to the root (JL_BOTH) with a 30 s receive timeout.</summary>
    public static SOCKET JoinLeaf(IPEndPoint root, uint flags)
    {
        var s = Rooted.Valid(WSASocket(AF_INET, SOCK_SEQPACKET, 0, null, 0, flags), "WSASocket(leaf)");
        try
        {
            Rooted.Ok(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, 30_000), "setsockopt(SO_RCVTIMEO)");
            var addr = SockAddr.From(root);
            Rooted.Valid(WSAJoinLeaf(s, addr, addr.Length, null, null, null, null, JL_BOTH), "WSAJoinLeaf");
            return s;
        }
        catch
        {
            closesocket(s);
            throw;
        }
    }

    public IPEndPoint Open(int leaves, int messageSize)
    {
        MessageSize = messageSize;
        RootSocket = Rooted.Valid(WSASocket(AF_INET, SOCK_SEQPACKET, 0, null, 0,
            Rooted.RootFlags | (registeredIo ? WSA_FLAG_REGISTERED_IO : 0)), "WSASocket(root)");
        // A blocking send waits for the slowest leaf; bounded, so a leaf that vanished fails the run instead of hanging it.
        Rooted.Ok(setsockopt(RootSocket, SOL_SOCKET, SO_SNDTIMEO, 30_000), "setsockopt(SO_SNDTIMEO)");
        return SockAddr.ToEndPoint(Rooted.ListenOnLoopback(RootSocket, leaves));
    }

    public virtual string? Admit(int leaves, Func<bool> leavesReady, TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var acceptor = new Thread(() =>
        {
            for (int i = 0; i < leaves; i++)
            {
                var h = accept(RootSocket);
                if (!h.IsValid) return;
                lock (_accepted) _accepted.Add(h);
            }
        }) { IsBackground = true, Name = "fanout-accept" };
        acceptor.Start();
        if (!acceptor.Join(timeout))
        {
            closesocket(RootSocket); // ends the blocked accept
            RootSocket = INVALID_SOCKET;
            acceptor.Join(5_000);
            lock (_accepted) return $"the root accepted {_accepted.Count} of {leaves} leaves in time";
        }
        lock (_accepted) if (_accepted.Count < leaves) return $"accept failed with {WSAGetLastError()} after {_accepted.Count} leaves";
        while (!leavesReady())
        {
            if (Environment.TickCount64 > deadline) return "leaves not ready in time";
            Thread.Sleep(1);
        }
        return null;
    }

    public virtual long SendLoop(long maxMessages, TimeSpan budget)
    {
        int frame = FanOutFrame.Length(MessageSize);
        var buf = new byte[frame];
        long deadline = Stopwatch.GetTimestamp() + (long)(budget.TotalSeconds * Stopwatch.Frequency);
        long sent = 0;
        while (sent < maxMessages && ((sent & 63) != 0 || Stopwatch.GetTimestamp() < deadline))
        {
            FanOutFrame.Encode(buf, (ulong)sent, MessageSize);
            if (send(RootSocket, buf, frame, 0) != frame) throw Rooted.Failed("send(root)");
            sent++;
        }
        Rooted.Ok(shutdown(RootSocket, SD_SEND), "shutdown(root)");
        return sent;
    }

    public virtual void Dispose()
    {
        if (RootSocket.IsValid) closesocket(RootSocket);
        lock (_accepted) Rooted.Close(_accepted);
    }
}
