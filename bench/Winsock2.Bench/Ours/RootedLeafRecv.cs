using System.Buffers.Binary;
using static Winsock2.Ws2_32;

namespace Winsock2.Bench.Ours;

/// <summary>
/// The rooted provider's plain receive path, one message per call: a root sends <c>messages</c> messages of
/// <c>size</c> bytes (each starting with its sequence number) from a feeder thread, and the joined leaf takes them
/// with blocking recv, one call each. What is measured is the receiving thread's CPU time for its loop; every message's length is checked,
/// and with verify its sequence number too.
/// </summary>
public static class RootedLeafRecv
{
    /// <summary>Null and the receiving thread's CPU nanoseconds for the loop on success, else what went wrong.</summary>
    public static (string? Failure, long Elapsed) Run(int size, long messages, bool verify)
    {
        var root = Rooted.Root();
        var leaf = Rooted.Leaf();
        SOCKET member = INVALID_SOCKET;
        string? feedFailure = null;
        Thread? feeder = null;
        try
        {
            var addr = Rooted.ListenOnLoopback(root, 1);
            var acceptor = new Thread(() => member = accept(root)) { IsBackground = true, Name = "leafrecv-accept" };
            acceptor.Start();
            Rooted.Ok(setsockopt(leaf, SOL_SOCKET, SO_RCVTIMEO, 30_000), "setsockopt(SO_RCVTIMEO)");
            Rooted.Valid(WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH), "WSAJoinLeaf");
            if (!acceptor.Join(10_000) || !member.IsValid) return ("the root did not accept the leaf", 0);
            feeder = new Thread(() =>
            {
                var msg = new byte[size];
                for (long i = 0; i < messages; i++)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(msg, i);
                    if (send(root, msg, size, 0) != size) { feedFailure = $"send(root) failed with {WSAGetLastError()}"; return; }
                }
            }) { IsBackground = true, Name = "leafrecv-feed" };
            var buf = new byte[size + 1];
            feeder.Start();
            long c0 = Harness.Cpu.ThreadNanoseconds();
            for (long i = 0; i < messages; i++)
            {
                int n = recv(leaf, buf, buf.Length, 0);
                if (n != size) return ($"recv returned {n} (error {WSAGetLastError()}) for message {i} of {messages}", 0);
                if (verify && BinaryPrimitives.ReadInt64LittleEndian(buf) != i) return ($"message {i} carried sequence {BinaryPrimitives.ReadInt64LittleEndian(buf)}", 0);
            }
            long elapsed = Harness.Cpu.ThreadNanoseconds() - c0;
            if (!feeder.Join(30_000)) return ("the feeder did not finish", 0);
            return (feedFailure, elapsed);
        }
        finally
        {
            closesocket(leaf);
            if (member.IsValid) closesocket(member);
            closesocket(root);
            feeder?.Join(5_000);
        }
    }
}
