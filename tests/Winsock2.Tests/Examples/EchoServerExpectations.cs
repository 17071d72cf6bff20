using System.Text;

namespace Winsock2.Tests.Examples;

/// <summary>
/// What a run of any echo server example with its built-in clients must print: each client's short messages
/// echoed verbatim, its large last message echoed byte-exact, and the server's total. The expected texts are
/// written out here, not taken from the example.
/// </summary>
public static class EchoServerExpectations
{
    /// <summary>Asserts every client line and the server's final count for <paramref name="clients"/> × <paramref name="messages"/>.</summary>
    public static void AssertEchoed(ExampleRun run, string program, int clients, int messages)
    {
        run.Succeeded();
        long total = 0;
        for (int id = 1; id <= clients; id++)
        {
            for (int m = 1; m < messages; m++)
            {
                string text = $"client {id}, message {m} of {messages}";
                run.Printed($"client {id} got back \"{text}\"");
                total += Encoding.ASCII.GetByteCount(text);
            }
            run.Printed($"client {id} got back 32768 bytes, byte-exact");
            total += 32768;
        }
        run.Printed($"{program}: served {clients} clients, echoed {total} bytes");
        Assert.DoesNotContain(run.Lines, l => l.Contains("failed", StringComparison.Ordinal) || l.Contains("different", StringComparison.Ordinal));
    }
}
