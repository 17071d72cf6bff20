using System.Text.Json;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Cli;

/// <summary>
/// Issue 3, "Done when" 2: a root and 16 leaves as separate `ws2` processes on loopback. Every leaf receives every
/// message, in order, none lost or duplicated; a killed leaf process (FIN without LEAVE) is reported by the root as a
/// leaf-left with an error, and the other 15 carry on. Every wait is bounded (Ws2Process.Wait); nothing asserts a duration.
/// </summary>
public class CliSixteenLeavesTests
{
    private const int Leaves = 16, Before = 200, After = 50;

    private static string S(JsonElement e, string name) => e.GetProperty(name).GetString()!;
    private static int I(JsonElement e, string name) => e.GetProperty(name).GetInt32();
    private static string Line(int i) => $"message {i:D4}";

    [Fact]
    public void RootedSession_SixteenLeafProcesses_EveryLeafGetsEveryMessageInOrder_KilledLeafReportedOthersCarryOn()
    {
        var leaves = new List<Ws2Process>();
        Ws2Process? root = null;
        try
        {
            // 127.0.0.1:0: the system picks a free port and the listening event names it.
            root = Ws2Process.Start("root", "--listen", "127.0.0.1:0", "--json");
            var address = S(root.Expect("listening"), "address");
            Assert.StartsWith("127.0.0.1:", address, StringComparison.Ordinal);

            for (int i = 0; i < Leaves; i++)
                leaves.Add(Ws2Process.Start("leaf", "--join", address, "--caller-data", $"leaf {i}", "--json"));

            // Every leaf joined, and the root saw each of them once.
            var locals = new string[Leaves];
            for (int i = 0; i < Leaves; i++)
            {
                Assert.Equal(address, S(leaves[i].Expect("joining"), "root"));
                var joined = leaves[i].Expect("joined");
                Assert.Equal(address, S(joined, "root"));
                locals[i] = S(joined, "local");
            }
            var seen = new Dictionary<string, string>();
            for (int i = 0; i < Leaves; i++)
            {
                var j = root.Expect("leaf-joined");
                Assert.True(seen.TryAdd(S(j, "leaf"), S(j, "callerData")), $"leaf joined twice: {j}");
            }
            for (int i = 0; i < Leaves; i++)
            {
                Assert.True(seen.TryGetValue(locals[i], out var caller), $"the root never saw leaf {i} ({locals[i]})");
                Assert.Equal($"leaf {i}", caller);
            }

            // N numbered lines; each leaf's next N data events are exactly those lines, in order.
            for (int n = 0; n < Before; n++) root.Send(Line(n));
            foreach (var leaf in leaves)
                for (int n = 0; n < Before; n++)
                {
                    var data = leaf.Expect("data");
                    Assert.Equal(Line(n), S(data, "text"));
                    Assert.Equal(address, S(data, "from"));
                }

            // Kill one leaf process: its connection ends with FIN (or RST) but no LEAVE.
            const int victim = 7;
            leaves[victim].Kill();
            var left = root.Expect("leaf-left");
            Assert.Equal(locals[victim], S(left, "leaf"));
            int error = I(left, "error");
            Assert.True(error is WSAECONNRESET or WSAENETRESET, $"leaf-left of a killed leaf: error {error}, expected WSAECONNRESET or WSAENETRESET: {left}");
            Assert.Equal(WSAErrorName(error), S(left, "errorName"));

            // The other 15 carry on: M more lines, in order, continuing the numbering.
            for (int n = Before; n < Before + After; n++) root.Send(Line(n));
            for (int i = 0; i < Leaves; i++)
            {
                if (i == victim) continue;
                for (int n = Before; n < Before + After; n++) Assert.Equal(Line(n), S(leaves[i].Expect("data"), "text"));
            }

            // The root ends the session: each survivor's next line is a graceful "closed", so nothing was duplicated
            // after the last message either.
            root.Signal(Ws2Process.SIGINT);
            Assert.Equal(0, I(root.Expect("closed"), "error"));
            Assert.Equal(0, root.WaitExit());
            for (int i = 0; i < Leaves; i++)
            {
                if (i == victim) continue;
                var closed = leaves[i].Expect("closed");
                Assert.Equal(0, I(closed, "error"));
                Assert.False(closed.GetProperty("local").GetBoolean());
                Assert.Equal(0, leaves[i].WaitExit());
            }
        }
        finally
        {
            foreach (var leaf in leaves) leaf.Dispose();
            root?.Dispose();
        }
    }
}
